from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("besoin-d-aide/", views.help_page, name="help"),
    path("mentions-legales/", views.legal_notice, name="legal"),
    path("donnees-personnelles/", views.privacy_notice, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("metrics", views.metrics, name="metrics"),
]
