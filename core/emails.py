"""Emails from templates, through the outbox.

``queue_email`` renders ``<template>_subject.txt``, ``<template>.txt`` and
``<template>.html`` and stores the result in the current transaction; delivery
happens after commit, in a Celery task. Links are absolute, built from SITE_URL.
Bodies are stored sealed (encrypted): they hold links and codes staff must not read.
"""

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from . import outbox
from .models import OutgoingEmail
from .sealing import seal


def absolute_url(path):
    """Return the absolute address of a path of the portal, for use in emails."""
    return f"{settings.SITE_URL}{path}"


def render_plain(template_name, context):
    """Render a plain-text template without HTML escaping (subjects and text bodies)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def queue_email(to, template, context=None):
    """Write an email to the outbox and deliver it once the transaction commits."""
    context = {
        "SITE_URL": settings.SITE_URL,
        "SUPPORT_PHONE": settings.SUPPORT_PHONE,
        **(context or {}),
    }
    subject = " ".join(render_plain(f"{template}_subject.txt", context).split())
    body_text = render_plain(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        body_html = ""
    return queue_rendered_email(
        to=to, subject=subject, body_text=body_text, body_html=body_html, template=template
    )


def queue_rendered_email(*, to, subject, body_text, body_html="", template=""):
    """Write an already rendered email to the outbox; deliver it after commit."""
    now = timezone.now()
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject,
        body_text=seal(body_text),
        body_html=seal(body_html),
        template=template,
        next_attempt_at=now,
        dispatched_at=now,
    )
    # publish never blocks nor raises: with the broker down the email stays pending
    # and the periodic dispatch queues it (dispatched_at tells it when to).
    transaction.on_commit(lambda: outbox.publish_soon(email.pk), robust=True)
    return email
