from django.conf import settings

from .navigation import tabs_for


def site(request):
    """Values every page needs: the help phone number and the navigation tabs."""
    user = getattr(request, "user", None)
    return {
        "SUPPORT_PHONE": settings.SUPPORT_PHONE,
        "PRIVACY_NOTICE_VERSION": settings.PRIVACY_NOTICE_VERSION,
        "nav_tabs": tabs_for(user, request.path) if user is not None else [],
    }
