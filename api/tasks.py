from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import ApiCall, IdempotentRequest


@shared_task(ignore_result=True)
def purge_api_records():
    """Daily: delete the log of calls older than API_CALL_RETENTION_DAYS and the answers
    kept for idempotent writes older than API_IDEMPOTENCY_RETENTION_HOURS (a retry later
    than that acts again). Both tables would otherwise grow with every call."""
    now = timezone.now()
    calls, _ = ApiCall.objects.filter(
        at__lt=now - timedelta(days=settings.API_CALL_RETENTION_DAYS)
    ).delete()
    answers, _ = IdempotentRequest.objects.filter(
        created_at__lt=now - timedelta(hours=settings.API_IDEMPOTENCY_RETENTION_HOURS)
    ).delete()
    return {"calls": calls, "idempotent_requests": answers}
