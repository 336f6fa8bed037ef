from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from entreprises.views import consultations

admin.site.site_header = "AL'in — administration Action Logement"
admin.site.site_title = "AL'in administration"
admin.site.index_title = "Espace conseiller"
# The admin's sign-in is the portal's (allauth): same rate limits and lockout, then the
# second factor that staff need (accounts/second_factor.py).
admin.site.login = secure_admin_login(admin.site.login)

# allauth's rate limits answer with this view (accounts): the page says how long to wait.
handler429 = "accounts.views.too_many_requests"
# Acting outside one's role: a French page that says where one's own space is.
handler403 = "accounts.views.forbidden"
# French error pages in the portal's shell (400/404: templates; 500: alin/errors.py).
handler500 = "alin.errors.server_error"

urlpatterns = [
    path("", include("core.urls")),
    path("compte/", include("accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("demande/", include("demandes.urls")),
    path("offres/", include("offres.urls")),
    path("candidatures/", include("candidatures.urls")),
    path("resultats-des-attributions/", include("candidatures.outcome_urls")),
    path("ma-situation/", include("alin.dashboard_urls")),
    path("bailleur/", include("offres.landlord_urls")),
    path("bailleur/candidatures/", include("candidatures.landlord_urls")),
    path("bailleur/api/", include("api.landlord_urls")),
    path("api/", include("api.urls")),
    path("entreprise/", include("entreprises.urls")),
    path("compte/qui-a-consulte-ma-demande/", consultations, name="company_accesses"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
