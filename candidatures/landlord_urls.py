"""The landlord space (/bailleur/candidatures/): candidatures forwarded to the landlord."""

app_name = "bailleur_candidatures"

urlpatterns: list = []
