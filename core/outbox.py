"""Delivering the outbox: each email reaches its recipient once, whatever dies meanwhile.

One attempt, step by step, each step committed on its own (no transaction spans the
SMTP conversation, so nothing is rolled back with a failing task):

1. **claim**: ``pending`` and due → ``sending`` with a fresh lease token, a lease end
   and one more attempt (a single UPDATE: two workers given the same id cannot both win);
2. the SMTP conversation up to the end of the message body;
3. **hand-over**: the row is marked ``handed_over_at`` — only while the lease is still
   ours — and only then the final ``.`` that makes the server accept the message;
4. **outcome**: ``sent``, or the error with the next attempt's time (exponential
   backoff), or ``failed`` after the last attempt.

A worker killed before 3 left the server nothing to deliver: when its lease ends, the
row goes back to ``pending`` and is sent again (``recover_stranded``). A worker killed
between 3 and 4 (one network round trip) leaves a message the server most probably
accepted: the row becomes ``unconfirmed`` and is never re-sent by itself; an advisor
sees it and may resend it. Every message carries a ``Message-ID`` fixed per row.

Retries are driven by the row (``next_attempt_at``), never by broker retries: only
``dispatch`` (Celery beat, every 30 s) queues due rows, and it does not queue a row
again while its previous message may still be waiting, so one email has one chain.
"""

import contextvars
import logging
import re
import smtplib
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import redis_guard
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status
PERMANENT_SMTP_CODES = range(500, 600)


class LeaseLost(Exception):
    """The lease ended before the hand-over: another worker may send the email now."""


def lease_duration():
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def backoff(attempts):
    steps = settings.OUTBOX_BACKOFF_SECONDS
    return timedelta(seconds=steps[max(min(attempts, len(steps)), 1) - 1])


def claim(email_id):
    """Take the email for one attempt; return the lease token, or None if not ours."""
    token = uuid.uuid4()
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status=Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=Status.SENDING,
        lease_token=token,
        leased_until=now + lease_duration(),
        attempts=F("attempts") + 1,
        handed_over_at=None,
    )
    return token if claimed else None


def _hand_over(email_id, token):
    marked = OutgoingEmail.objects.filter(
        pk=email_id, lease_token=token, status=Status.SENDING, leased_until__gt=timezone.now()
    ).update(handed_over_at=timezone.now())
    if not marked:
        raise LeaseLost(f"bail perdu pour l'email {email_id}")


def build_message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.read_text(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    html = email.read_html()
    if html:
        message.attach_alternative(html, "text/html")
    return message


def _smtp_data_without_end(data):
    """The message as sent after DATA, dot-stuffed, ending with CRLF (RFC 5321 4.5.2)."""
    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data


def send_with_hand_over(message, hand_over):
    """Send one message; ``hand_over()`` runs just before the server can accept it."""
    backend = get_connection()
    if not isinstance(backend, SMTPBackend):  # console, locmem (tests), file…
        hand_over()
        backend.send_messages([message])
        return
    backend.open()
    try:
        smtp = backend.connection
        sender = message.from_email
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        for recipient in message.recipients():
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        code, reply = smtp.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        smtp.send(_smtp_data_without_end(message.message().as_bytes(linesep="\r\n")))
        hand_over()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
    finally:
        try:
            backend.close()
        except Exception:  # noqa: BLE001 — QUIT after the outcome; nothing to undo
            logger.info("SMTP QUIT failed after the outcome", exc_info=True)


def deliver(email_id):
    """One delivery attempt of one email; returns what happened, in a word."""
    token = claim(email_id)
    if token is None:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        send_with_hand_over(build_message(email), lambda: _hand_over(email_id, token))
    except LeaseLost:
        logger.warning("Email %s: lease lost before the hand-over, not sent", email_id)
        return "lease lost"
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        permanent = getattr(exc, "smtp_code", None) in PERMANENT_SMTP_CODES or (
            isinstance(exc, smtplib.SMTPRecipientsRefused)
            and all(code in PERMANENT_SMTP_CODES for code, _ in exc.recipients.values())
        )
        return record_failure(email_id, token, exc, permanent=permanent)
    OutgoingEmail.objects.filter(pk=email_id, lease_token=token).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        lease_token=None,
        leased_until=None,
        last_error="",
    )
    logger.info("Email %s sent", email_id, extra={"email_id": email_id})
    return "sent"


def record_failure(email_id, token, exc, *, permanent=False):
    """Keep the error and schedule the next attempt, or give up after the last one."""
    email = OutgoingEmail.objects.get(pk=email_id)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    final = permanent or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    changes = {"last_error": error, "lease_token": None, "leased_until": None}
    if final:
        changes["status"] = Status.FAILED
    else:
        changes.update(
            status=Status.PENDING,
            handed_over_at=None,
            next_attempt_at=timezone.now() + backoff(email.attempts),
            dispatched_at=None,
        )
    OutgoingEmail.objects.filter(pk=email_id, lease_token=token).update(**changes)
    logger.warning(
        "Email %s not sent (attempt %s%s): %s",
        email_id,
        email.attempts,
        ", final" if final else "",
        error,
        extra={"email_id": email_id},
    )
    return "failed" if final else "retry"


def recover_stranded():
    """Rows whose worker died (lease over): back to pending, or unconfirmed if the
    message had already been handed to the SMTP server."""
    now = timezone.now()
    expired = OutgoingEmail.objects.filter(status=Status.SENDING, leased_until__lt=now)
    unconfirmed = expired.filter(handed_over_at__isnull=False).update(
        status=Status.UNCONFIRMED,
        last_error=(
            "Envoi interrompu après la remise au serveur SMTP : l'email a très "
            "probablement été reçu ; il n'est pas renvoyé automatiquement."
        ),
    )
    given_up = expired.filter(
        handed_over_at__isnull=True, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS
    ).update(
        status=Status.FAILED,
        lease_token=None,
        leased_until=None,
        last_error="Envoi interrompu (worker arrêté) au dernier essai.",
    )
    retried = expired.filter(handed_over_at__isnull=True).update(
        status=Status.PENDING,
        lease_token=None,
        leased_until=None,
        next_attempt_at=now,
        dispatched_at=None,
        last_error="Envoi interrompu (worker arrêté) : nouvel essai.",
    )
    if unconfirmed or given_up or retried:
        logger.warning(
            "Outbox recovery: %s back to pending, %s unconfirmed, %s failed",
            retried,
            unconfirmed,
            given_up,
        )
    return retried


def publish(email_id):
    """Queue one delivery, never blocking nor raising (the row waits for ``dispatch``)."""
    from .tasks import deliver_email

    try:
        if redis_guard.is_down("broker"):
            raise ConnectionError("broker marked down a moment ago")
        deliver_email.apply_async((email_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 — a broker outage must not break the caller
        redis_guard.mark_down("broker")
        logger.warning("Broker unavailable, email %s waits in the outbox: %s", email_id, exc)
        # Not queued: the next dispatch takes it at once.
        OutgoingEmail.objects.filter(pk=email_id, status=Status.PENDING).update(dispatched_at=None)
        return False
    return True


_publisher = None


def _publish_from_thread(email_id):
    try:
        publish(email_id)
    finally:
        connections.close_all()  # this thread's own database connection


def publish_soon(email_id):
    """Queue a delivery after commit without holding the caller, even if Redis hangs.

    Web processes hand the publishing to one background thread: the request answers at
    once; a broker outage costs that thread a socket timeout, after which publishing
    is skipped for a while and the rows wait for ``dispatch`` (the outbox is the
    source of truth). Eager mode (tests, no Redis) delivers in place.
    """
    global _publisher
    from .tasks import deliver_email

    if deliver_email.app.conf.task_always_eager:
        return publish(email_id)
    if _publisher is None:
        _publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")
    # In the request's context: the task carries the request id (core/observability.py).
    _publisher.submit(contextvars.copy_context().run, _publish_from_thread, email_id)
    return True


def dispatch(limit=500):
    """Recover stranded rows, then queue due rows not queued recently; return how many."""
    recover_stranded()
    now = timezone.now()
    redispatch = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_SECONDS)
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=redispatch))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=ids).update(dispatched_at=now)
    for sent, pk in enumerate(ids):
        if not publish(pk):
            # Broker down: the rest is queued again by the next run.
            OutgoingEmail.objects.filter(pk__in=ids[sent + 1 :]).update(dispatched_at=None)
            return sent
    return len(ids)
