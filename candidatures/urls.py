from django.urls import path

from . import views

app_name = "candidatures"

urlpatterns = [
    path("", views.candidature_list, name="list"),
    path("postuler/<int:offer_pk>/", views.apply, name="apply"),
    path("ajoutee/", views.applied, name="applied"),
    path("<int:pk>/annuler/", views.cancel, name="cancel"),
    path("<int:pk>/<str:answer>/", views.respond, name="respond"),
    path("notifications/", views.notifications, name="notifications"),
]
