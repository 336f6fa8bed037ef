"""/bailleur/api/: the landlord's API keys and the log of its calls."""

from django.urls import path

from . import landlord_views as views

app_name = "bailleur_api"

urlpatterns = [
    path("", views.keys, name="keys"),
    path("<str:prefix>/revoquer/", views.revoke, name="revoke"),
]
