from django.urls import path

from . import feeds, views

app_name = "offres"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("lieux/", views.place_suggestions, name="places"),
    path("flux.atom", feeds.public_feed, name="feed"),
    path("<int:pk>/", views.offer_detail, name="detail"),
    path("alertes/", views.alerts, name="alerts"),
    path("alertes/creer/", views.create_alert, name="alert_create"),
    path("alertes/<int:pk>/frequence/", views.alert_frequency, name="alert_frequency"),
    path("alertes/<int:pk>/supprimer/", views.delete_alert, name="alert_delete"),
    path("alertes/flux/<str:token>.atom", feeds.alert_feed, name="alert_feed"),
    path(
        "alertes/<int:pk>/flux/nouveau-lien/",
        views.renew_alert_feed,
        name="alert_feed_renew",
    ),
    path("alertes/desabonnement/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
]
