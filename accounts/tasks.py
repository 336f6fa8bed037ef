from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import User
from .services import delete_account


def inactive_applicants(now=None):
    """Applicant accounts without a sign-in (or, never signed in, created) for longer than
    the retention time (ACCOUNT_RETENTION_DAYS, 2 years by default)."""
    limit = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_RETENTION_DAYS)
    return User.objects.filter(role=User.Role.APPLICANT, is_active=True).filter(
        Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit)
    )


@shared_task
def anonymise_inactive_accounts():
    """Daily: anonymise applicant accounts inactive beyond the retention time (RGPD)."""
    count = 0
    for user in inactive_applicants():
        delete_account(user=user)
        count += 1
    return count


@shared_task(ignore_result=True)
def clear_expired_sessions():
    """Daily: delete expired sessions (Django's ``clearsessions``): they are never used
    again, may name their visitor, and erasure searches the ones left (personal_data)."""
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
