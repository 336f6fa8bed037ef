"""The landlord space (/bailleur/): offers of the signed-in staff member's landlord."""

from django.urls import path

from accounts.member_views import member_urls

from . import landlord_views as views

app_name = "bailleur"

urlpatterns = [
    path("", views.offers, name="offers"),
    path("offres/nouvelle/", views.offer_create, name="offer_create"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:pk>/publier/", views.offer_publish, name="offer_publish"),
    path("offres/<int:pk>/cloturer/", views.offer_close, name="offer_close"),
    path("offres/<int:pk>/photos/", views.offer_photos, name="offer_photos"),
    path(
        "offres/<int:pk>/photos/<int:photo_pk>/supprimer/", views.photo_delete, name="photo_delete"
    ),
    *member_urls(access=views.landlord_required),
]
