from django.urls import path

from . import outcome_views

app_name = "resultats"

urlpatterns = [path("", outcome_views.outcome_list, name="list")]
