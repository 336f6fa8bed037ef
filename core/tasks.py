from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import outbox
from .models import OutgoingEmail


@shared_task(acks_late=True, ignore_result=True)
def deliver_email(email_id):
    """One delivery attempt of one outbox email (see core/outbox.py).

    No broker retry: a failure is recorded on the row with its next attempt's time and
    ``dispatch_outbox`` queues it then, so each email has a single retry chain.
    """
    return outbox.deliver(email_id)


@shared_task(ignore_result=True)
def dispatch_outbox():
    """Every 30 s (beat): recover emails of dead workers, queue the emails that are due."""
    return outbox.dispatch()


@shared_task(ignore_result=True)
def purge_sent_emails():
    """Daily: delete emails sent more than OUTBOX_RETENTION_DAYS ago (RGPD retention; the
    outbox only exists to deliver, and bodies hold names and addresses). Added by h20b."""
    limit = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=limit
    ).delete()
    return deleted
