"""Each email reaches its recipient exactly once, whatever dies meanwhile.

These tests run a real Redis server (a private one, on its own port, so that it can be
stopped), real Celery worker processes killed with SIGKILL and a real SMTP server that
refuses then accepts, against PostgreSQL. The beat schedule is played by calling
``dispatch`` from the test, as beat would every 30 s.
"""

import os
import random
import shutil
import signal
import time

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import apply_role
from core import outbox
from core.models import OutgoingEmail
from core.services import submit_contact_message
from tests import services
from tests.accounts.factories import UserFactory, staff_login
from tests.services import wait_until
from tests.worker_fixtures import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
Status = OutgoingEmail.Status


def ask_support(n):
    return submit_contact_message(
        name=f"Demandeur {n}",
        email=f"d{n}@example.org",
        subject="demande",
        message=f"Question numéro {n}",
    )


def dispatch_until(predicate, timeout=120):
    """Beat's part, faster: recover and queue due emails until the predicate holds."""

    def step():
        connection.close()  # a fresh view of what the workers committed
        outbox.dispatch()
        return predicate()

    return wait_until(step, timeout=timeout, step=0.5)


def all_settled():
    return not OutgoingEmail.objects.exclude(status__in=[Status.SENT, Status.UNCONFIRMED]).exists()


def test_emails_written_while_the_broker_is_down_are_sent_once_it_is_back(
    postgres, sink, broker, start_worker
):
    broker.stop()
    for n in range(5):
        ask_support(n)  # the applicant's action succeeds although Redis is down
    assert OutgoingEmail.objects.filter(status=Status.PENDING).count() == 5
    assert sink.messages == []

    broker.start()
    start_worker()
    assert dispatch_until(lambda: not OutgoingEmail.objects.exclude(status=Status.SENT).exists())
    outbox.dispatch()  # nothing left to send
    time.sleep(1)
    bodies = sorted(m.get_payload(decode=True).decode() for m in sink.messages)
    assert len(bodies) == 5
    assert all(f"Question numéro {n}" in bodies[n] for n in range(5))


def test_a_worker_killed_while_sending_neither_loses_nor_duplicates_the_email(
    postgres, sink, broker, start_worker
):
    held = {"first": True}
    first = start_worker()

    def kill_during_first_conversation(session):
        # The first message has fully arrived; the worker dies before the server answers.
        if held.pop("first", False):
            os.kill(first.pid, signal.SIGKILL)

    sink.on_data = kill_during_first_conversation
    ask_support(1)
    email = OutgoingEmail.objects.get()
    assert wait_until(lambda: first.poll() is not None, timeout=120)
    start_worker()
    assert dispatch_until(lambda: OutgoingEmail.objects.get().status != Status.SENDING)
    time.sleep(4)  # the unacknowledged original comes back from Redis: it must be skipped
    outbox.dispatch()
    assert len(sink.messages) == 1
    assert sink.messages[0]["Message-ID"] == email.message_id
    email.refresh_from_db()
    # Handed over but never confirmed: shown as such, not sent a second time.
    assert email.status == Status.UNCONFIRMED
    assert "très probablement été reçu" in email.last_error


def test_a_worker_killed_before_the_message_was_handed_over_sends_it_again(
    postgres, sink, broker, start_worker
):
    first = start_worker()
    killed = {}

    def kill_mid_conversation(session):
        if not killed:  # nothing delivered yet
            killed["at"] = time.monotonic()
            os.kill(first.pid, signal.SIGKILL)

    sink.on_rcpt = kill_mid_conversation
    ask_support(1)
    assert wait_until(lambda: first.poll() is not None, timeout=120)
    assert OutgoingEmail.objects.get().status == Status.SENDING
    start_worker()
    assert dispatch_until(lambda: OutgoingEmail.objects.get().status == Status.SENT)
    recovered_in = time.monotonic() - killed["at"]
    time.sleep(4)
    outbox.dispatch()
    assert len(sink.messages) == 1
    assert b"Question num" in sink.messages[0].as_bytes()
    assert OutgoingEmail.objects.get().attempts == 2
    assert recovered_in < 30  # lease of 3 s here; 60 s + one 30 s beat tick in production


@pytest.fixture(scope="module")
def worker_pool(django_db_setup):
    """A private Redis, an SMTP sink and two workers kept across the kill runs: each run
    kills one worker and starts its replacement at once (as a supervisor would), so a
    run does not wait for workers to boot."""
    if not os.environ.get("REDIS_URL") or not shutil.which("redis-server"):
        pytest.skip("Redis absent : REDIS_URL n'est pas défini ou redis-server manque")
    redis = services.RedisServer()
    redis.start()
    sink = services.SMTPSink().start()
    pool = {"redis": redis, "sink": sink, "workers": []}

    def spawn():
        pool["workers"].append(
            services.start_worker(
                database_url=database_url(), redis_url=redis.url, email_port=sink.port
            )
        )

    pool["spawn"] = spawn
    spawn()
    spawn()
    yield pool
    for process in pool["workers"]:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    sink.stop()
    redis.stop()


@pytest.mark.parametrize("run", range(10))
def test_a_worker_killed_mid_batch_delivers_every_email_exactly_once(
    postgres, worker_pool, settings, run
):
    """The same kill, 10 times, at a different point of a batch of 20 emails: while the
    server holds a fully received message (the narrowest window), in the middle of a
    conversation, or at a random moment."""
    from alin.celery import app

    sink, batch = worker_pool["sink"], 20
    sink.messages.clear()
    sink.on_data = sink.on_rcpt = None
    app.conf.task_always_eager = False
    app.conf.broker_url = worker_pool["redis"].url
    app._pool = app.amqp._producer_pool = None
    settings.OUTBOX_REDISPATCH_SECONDS = 0
    alive = [w for w in worker_pool["workers"] if w.poll() is None]
    rng = random.Random(run)
    kill_after, mode = rng.randint(2, 15), ("data", "rcpt", "random")[run % 3]
    killed = []

    def kill_sender(session):
        if not killed and len(sink.messages) >= kill_after:
            pid = services.pid_of_peer(session.peer[1], [w.pid for w in alive])
            if pid:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    if mode == "data":
        sink.on_data = kill_sender
    elif mode == "rcpt":
        sink.on_rcpt = kill_sender
    try:
        for n in range(batch):
            ask_support(n)
        if mode == "random":
            assert wait_until(lambda: len(sink.messages) >= kill_after, timeout=60, step=0.005)
            time.sleep(rng.random() * 0.05)
            victim = rng.choice(alive)
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)
        assert wait_until(lambda: killed, timeout=60)
        worker_pool["spawn"]()
        assert dispatch_until(all_settled, timeout=90)
        time.sleep(4)  # messages left unacknowledged by the dead worker come back: skipped
        outbox.dispatch()
    finally:
        sink.on_data = sink.on_rcpt = None
        app.conf.task_always_eager = True

    expected = {email.message_id for email in OutgoingEmail.objects.all()}
    assert len(expected) == batch
    assert sink.duplicates() == 0, sink.message_ids()
    assert set(sink.message_ids()) == expected  # nothing lost
    unconfirmed = OutgoingEmail.objects.filter(status=Status.UNCONFIRMED).count()
    assert unconfirmed == (1 if mode == "data" else 0) or mode == "random"


def test_smtp_refusing_then_accepting_keeps_attempts_and_errors_in_one_chain(
    postgres, sink, broker, start_worker
):
    sink.refuse_next(2)
    start_worker(env={"OUTBOX_BACKOFF_SECONDS": "1"})
    ask_support(1)

    assert dispatch_until(lambda: OutgoingEmail.objects.get().last_error != "", timeout=120)
    email = OutgoingEmail.objects.get()
    assert email.status != Status.SENT and email.attempts >= 1
    assert "451" in email.last_error  # kept although the attempt failed

    assert dispatch_until(lambda: OutgoingEmail.objects.get().status == Status.SENT)
    email.refresh_from_db()
    # dispatch ran dozens of times meanwhile: still one attempt after another.
    assert email.attempts == 3
    assert sink.rcpt_calls == 3
    assert len(sink.messages) == 1


def test_smtp_down_ends_failed_and_an_advisor_resends_it(postgres, broker, start_worker, settings):
    smtp_port = services.free_port()  # nothing listens there yet: SMTP is down
    settings.EMAIL_PORT = smtp_port
    start_worker(env={"OUTBOX_BACKOFF_SECONDS": "1", "OUTBOX_MAX_ATTEMPTS": "3"})
    ask_support(1)
    assert dispatch_until(lambda: OutgoingEmail.objects.get().status == Status.FAILED)
    email = OutgoingEmail.objects.get()
    assert email.attempts == 3
    assert "ConnectionRefusedError" in email.last_error

    advisor = UserFactory(role=User.Role.ADVISOR, is_staff=True, is_superuser=False)
    apply_role(advisor)
    from django.test import Client

    browser = Client()
    staff_login(browser, advisor)
    page = browser.get("/admin/core/outgoingemail/?status__exact=failed").content.decode()
    assert "Échec" in page and "ConnectionRefusedError" in page

    sink = services.SMTPSink(port=smtp_port).start()  # SMTP is back
    try:
        response = browser.post(
            "/admin/core/outgoingemail/",
            {"action": "resend", "_selected_action": [email.pk]},
            follow=True,
        )
        assert "1 email(s) renvoyé(s)." in response.content.decode()
        assert dispatch_until(lambda: OutgoingEmail.objects.get().status == Status.SENT)
        assert len(sink.messages) == 1
        assert sink.messages[0]["Message-ID"] == email.message_id
    finally:
        sink.stop()
