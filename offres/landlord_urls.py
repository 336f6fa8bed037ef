"""The landlord space (/bailleur/): offers of the signed-in staff member's landlord."""

app_name = "bailleur"

urlpatterns: list = []
