"""Pages composed from several apps live at project level, where every app is visible."""

from django.urls import path

from .dashboard import dashboard

urlpatterns = [path("", dashboard, name="dashboard")]
