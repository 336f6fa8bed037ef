"""Issue 12: advisors read the outbox's metadata, never a link or a code in a body.

A real advisor (advisors' group, not a superuser) walks every outbox page of the admin
while the outbox holds a password-reset link, a sign-up link and an access code; none
of them shows, nor is stored readable. The resend action still delivers the right link.
"""

import re

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import apply_role
from core.emails import queue_email
from core.models import OutgoingEmail
from tests.accounts.factories import UserFactory, staff_login
from tests.accounts.test_signup_journey import SIGNUP, text_part
from tests.services import free_port

pytestmark = pytest.mark.django_db
Status = OutgoingEmail.Status


def test_advisors_never_read_links_or_codes_and_a_resend_delivers_the_right_link(
    client, sink, settings, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="jean@example.org")
    settings.EMAIL_PORT = free_port()  # SMTP down: the emails stay in the outbox, failed
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/password/reset/", {"email": applicant.email})
        client.post("/compte/signup/", SIGNUP)
        queue_email("marie@example.org", "demandes/email/access_code", {"code": "739214"})
    emails = list(OutgoingEmail.objects.order_by("pk"))
    assert [e.status for e in emails] == [Status.FAILED] * 3

    advisor = UserFactory(role=User.Role.ADVISOR, is_staff=True, is_superuser=False)
    apply_role(advisor)
    staff_login(client, advisor)
    base = "/admin/core/outgoingemail/"
    pages = {}
    for url in [base, f"{base}?q=example", f"{base}?status__exact=failed", f"{base}add/"]:
        pages[url] = client.get(url)
    for email in emails:
        for suffix in ["change/", "history/", "delete/"]:
            url = f"{base}{email.pk}/{suffix}"
            pages[url] = client.get(url)
    assert pages[base].status_code == 200
    listing = pages[base].content.decode()
    assert "jean@example.org" in listing and "Échec" in listing  # the metadata is there
    assert pages[f"{base}{emails[0].pk}/change/"].status_code == 200
    assert pages[f"{base}add/"].status_code == 403
    assert pages[f"{base}{emails[0].pk}/delete/"].status_code == 403

    settings.EMAIL_PORT = sink.port  # SMTP is back: the advisor resends all three
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            base, {"action": "resend", "_selected_action": [e.pk for e in emails]}, follow=True
        )
    assert "3 email(s) renvoyé(s)." in response.content.decode()
    assert len(sink.messages) == 3
    bodies = {m["To"]: text_part(m) for m in sink.messages}
    reset_link = re.search(r"http://\S+/password/reset/key/\S+", bodies["jean@example.org"])[0]
    confirm_link = re.search(r"http://\S+/confirm-email/\S+", bodies["dupontjean@yopmail.com"])[0]
    assert "739214" in bodies["marie@example.org"]

    secrets = [
        reset_link.rsplit("/key/", 1)[1].strip("/"),
        confirm_link.rstrip("/").rsplit("/", 1)[1],
    ]
    secrets.append("739214")
    for url, page in pages.items():
        for secret in secrets:
            assert secret not in page.content.decode(), (url, secret)
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, body_text, body_html, last_error FROM core_outgoingemail")
        stored = repr(cursor.fetchall())
    assert not any(secret in stored for secret in secrets)

    client.logout()  # the applicant follows the resent link: it still works
    form_page = client.get(reset_link.removeprefix(settings.SITE_URL), follow=True)
    assert "password1" in form_page.content.decode()
    # Each resent email kept its row's Message-ID.
    assert {e.message_id for e in emails} == {m["Message-ID"] for m in sink.messages}
