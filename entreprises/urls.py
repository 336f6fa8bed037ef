from django.urls import path

from accounts.member_views import member_urls

from . import views

app_name = "entreprises"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.csv", views.export, name="export"),
    path("salaries/<int:pk>/", views.employee, name="employee"),
    path("salaries/<int:pk>/designer/", views.designate, name="designate"),
    path("salaries/<int:pk>/mettre-a-jour/", views.refresh, name="refresh"),
    path("salaries/<int:pk>/pieces/", views.confirm_documents, name="confirm_documents"),
    path("salaries/<int:pk>/situation/", views.professional, name="professional"),
    path("salaries/<int:pk>/postuler/", views.apply, name="apply"),
    path("salaries/<int:pk>/annuler/", views.cancel, name="cancel"),
    *member_urls(access=views.company_required),
]
