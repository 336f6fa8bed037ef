"""The landlord space (/bailleur/candidatures/): candidatures forwarded to the landlord."""

from django.urls import path

from . import landlord_views as views

app_name = "bailleur_candidatures"

urlpatterns = [
    path("", views.candidature_list, name="list"),
    path("<int:pk>/", views.candidature_detail, name="detail"),
    path("<int:pk>/visite/", views.record_visit, name="visit"),
    path("<int:pk>/decision/", views.record_decision, name="decision"),
    path("<int:pk>/bail/", views.record_lease, name="lease"),
    path("<int:pk>/dossier.pdf", views.candidature_pdf, name="pdf"),
]
