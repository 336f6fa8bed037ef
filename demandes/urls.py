from django.urls import path

from . import views

app_name = "demandes"

urlpatterns = [
    path("importer/", views.import_start, name="import"),
    path("code/", views.code, name="code"),
    path("code/nouveau/", views.resend_code, name="resend_code"),
    path("informations/", views.information, name="information"),
    path("pieces-justificatives/", views.documents, name="documents"),
    path("", views.detail, name="detail"),
    path("mettre-a-jour/", views.refresh, name="refresh"),
    path("valider/", views.validate, name="validate"),
    path("supprimer/", views.delete, name="delete"),
]
