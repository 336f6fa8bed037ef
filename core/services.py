import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import outbox
from .emails import queue_email
from .models import ContactMessage, OutgoingEmail

logger = logging.getLogger(__name__)


@transaction.atomic
def submit_contact_message(*, name, email, subject, message) -> ContactMessage:
    """Store a contact message and email it to the support address."""
    contact = ContactMessage.objects.create(
        name=name, email=email, subject=subject, message=message
    )
    queue_email(settings.SUPPORT_EMAIL, "core/email/contact", {"contact": contact})
    return contact


RESENDABLE = (OutgoingEmail.Status.FAILED, OutgoingEmail.Status.UNCONFIRMED)


@transaction.atomic
def resend_emails(*, email_ids, by=None) -> int:
    """Send again, as they were written, the failed or unconfirmed emails among these.

    An advisor's action: the body (links, codes) is sent again without anyone reading
    it. Pending, in-flight and sent emails are left alone. Returns how many were queued.
    """
    now = timezone.now()
    ids = list(
        OutgoingEmail.objects.select_for_update()
        .filter(pk__in=email_ids, status__in=RESENDABLE)
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        dispatched_at=now,
        lease_token=None,
        leased_until=None,
        handed_over_at=None,
    )
    for pk in ids:
        transaction.on_commit(partial(outbox.publish_soon, pk), robust=True)
    logger.info("Outbox: %s email(s) resent by user %s", len(ids), getattr(by, "pk", None))
    return len(ids)
