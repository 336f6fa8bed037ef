from django.conf import settings
from django.db import transaction

from .emails import queue_email
from .models import ContactMessage


@transaction.atomic
def submit_contact_message(*, name, email, subject, message) -> ContactMessage:
    """Store a contact message and email it to the support address."""
    contact = ContactMessage.objects.create(
        name=name, email=email, subject=subject, message=message
    )
    queue_email(settings.SUPPORT_EMAIL, "core/email/contact", {"contact": contact})
    return contact
