import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def deliver_email(self, email_id):
    """Send one outbox email. Idempotent: an email already sent is never sent again.

    The row is locked while sending, so two workers given the same id (a re-sent
    message after a worker died) cannot both send it.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return "skipped"
        email.attempts += 1
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except OSError as exc:
            email.last_error = str(exc)[:2000]
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("Email %s not sent yet: %s", email_id, exc)
            raise
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"


@shared_task
def resend_pending_emails(older_than_minutes=5):
    """Queue again every email still pending after a while (lost broker message)."""
    limit = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.PENDING, created_at__lt=limit
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        deliver_email.delay(pk)
    return len(ids)
