from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("mot-de-passe/<str:token>/", views.initial_password, name="initial_password"),
    path("compte-cree/", views.account_created, name="created"),
    path("nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("mes-donnees.json", views.export_data, name="export"),
    path("supprimer/", views.delete_account, name="delete"),
]
