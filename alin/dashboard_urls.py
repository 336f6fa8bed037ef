"""Pages composed from several apps live at project level, where every app is visible."""

from django.urls import path

from .dashboard import after_login, dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("apres-connexion/", after_login, name="after_login"),
]
