from .models import Demande


def demande_of(user):
    """The request imported by this user, or None."""
    if not user.is_authenticated:
        return None
    return (
        Demande.objects.filter(user=user)
        .select_related("user__als", "coapplicant")
        .prefetch_related("desired_communes", "desired_departments")
        .first()
    )
