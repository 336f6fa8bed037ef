from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The unread count, computed only when a page shows it."""
    user = getattr(request, "user", None)

    def count():
        if user is None or not user.is_authenticated or not user.is_applicant:
            return 0
        from .selectors import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}
