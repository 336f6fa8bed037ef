"""After deletion or anonymisation, the person appears in no table at all: every column
of every table that can hold personal data is found by introspection (history tables,
the outbox, the admin's journal included) and searched for each of their traces
(issue 20, "Personal data after anonymisation"). Django's sessions are stored signed
and encoded: they are decoded and searched too."""

import datetime
import json

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.services import delete_account
from accounts.tasks import anonymise_inactive_accounts
from candidatures.workflow import Status
from core.emails import queue_rendered_email
from core.models import ContactMessage, OutgoingEmail
from tests.accounts.factories import PASSWORD, UserFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory, registry_data, registry_record

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

EMAIL = "zoeline.quennevillez@example.org"
NUMBER = "0930321987654G1U21"
INCOME = 23456
TEXT_NEEDLES = [EMAIL, "Quennevillez", "Zoéline", "699887766", NUMBER]
TEXT_TYPES = {"character varying", "text", "json", "jsonb", "character"}
# Where a person's figures live: searched for the income as a number.
NUMERIC_PERSONAL = ("income", "resources", "allowance")


def personal_columns():
    """Every (table, column, kind) of the database that can hold a person's data:
    all text and JSON columns, and the numeric columns of incomes and resources."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, column_name"
        )
        rows = cursor.fetchall()
    columns = []
    for table, column, data_type in rows:
        if data_type in TEXT_TYPES:
            columns.append((table, column, "text"))
        elif any(word in column for word in NUMERIC_PERSONAL) and data_type in {
            "integer",
            "bigint",
            "numeric",
        }:
            columns.append((table, column, "number"))
    return columns


def where_the_person_appears():
    found = []
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), ensure_ascii=False).lower()
        found += [
            ("django_session", "session_data (décodé)", needle)
            for needle in TEXT_NEEDLES
            if needle.lower() in decoded
        ]
    with connection.cursor() as cursor:
        for table, column, kind in personal_columns():
            if kind == "text":
                for needle in TEXT_NEEDLES:
                    cursor.execute(
                        f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, column, needle))
            else:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}" IN (%s, %s)',  # noqa: S608
                    [INCOME, INCOME + 1],
                )
                if cursor.fetchone()[0]:
                    found.append((table, column, INCOME))
    return found


def a_person_with_a_past(django_capture_on_commit_callbacks):
    """An applicant whose data went through every place the portal writes to."""
    user = UserFactory(
        email=EMAIL, first_name="Zoéline", last_name="Quennevillez", mobile_phone="+33699887766"
    )
    demande = DemandeFactory(
        user=user, number=NUMBER, fiscal_income=INCOME, mobile_phone="+33699887766"
    )
    demande.fiscal_income = INCOME + 1  # a change: a second historical copy
    demande.save()
    # The national registry's copy of her request, as import_registre stores it.
    applicant = {**registry_data()["demandeur"], "nom_naissance": "QUENNEVILLEZ"}
    registry_record(
        number=NUMBER,
        email=EMAIL,
        demandeur={**applicant, "prenom": "Zoéline"},
        revenu_fiscal_reference=INCOME,
    )
    # Signed in on her phone and her computer: two sessions naming her.
    for _ in range(2):
        device = Client()
        signed_in = device.post("/compte/login/", {"login": EMAIL, "password": PASSWORD})
        assert signed_in.status_code == 302
    candidature = CandidatureFactory(demande=demande)
    candidature.status = Status.VALIDATED
    candidature.decision_reason = "Mme Quennevillez a fourni son avis d'imposition."
    candidature.save()
    with django_capture_on_commit_callbacks(execute=False):
        to_her = queue_rendered_email(
            to=EMAIL, subject="Votre candidature", body_text="Bonjour Zoéline Quennevillez"
        )
        about_her = queue_rendered_email(
            to="bailleur@example.org",
            subject="Candidature transmise",
            body_text=f"Dossier de Zoéline Quennevillez, demande {NUMBER}.",
        )
    OutgoingEmail.objects.filter(pk__in=[to_her.pk, about_her.pk]).update(
        status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
    )
    ContactMessage.objects.create(
        name="Zoéline Quennevillez", email=EMAIL.upper(), subject="compte", message="Bonjour"
    )
    advisor = UserFactory(role=User.Role.ADVISOR, is_staff=True)
    LogEntry.objects.log_actions(
        advisor.pk, [user], CHANGE, change_message=f"Téléphone de {EMAIL} corrigé"
    )
    assert ContentType.objects.get_for_model(user)
    return user, candidature


def test_introspection_finds_the_personal_columns_of_every_kind_of_table():
    found = {(table, column) for table, column, _ in personal_columns()}
    for expected in [
        ("accounts_user", "email"),
        ("demandes_demande", "birth_name"),
        ("demandes_historicaldemande", "birth_name"),
        ("demandes_historicaldemande", "fiscal_income"),
        ("candidatures_historicalcandidature", "number"),
        ("core_outgoingemail", "body_text"),
        ("core_contactmessage", "email"),
        ("django_admin_log", "object_repr"),
    ]:
        assert expected in found
    assert len({table for table, _ in found}) > 20


def test_before_erasure_the_scan_finds_the_person_in_history_outbox_and_journal(
    django_capture_on_commit_callbacks,
):
    a_person_with_a_past(django_capture_on_commit_callbacks)
    tables = {table for table, _, _ in where_the_person_appears()}
    assert {
        "accounts_user",
        "demandes_historicaldemande",
        "candidatures_historicalcandidature",
        "core_outgoingemail",
        "core_contactmessage",
        "django_admin_log",
        "demandes_registryrecord",
        "django_session",
    } <= tables


def sealed_bodies_naming_her():
    """Outbox bodies are encrypted (core/sealing.py): read back, they still name people."""
    return [e.pk for e in OutgoingEmail.objects.all() if "Quennevillez" in e.read_text()]


def test_after_account_deletion_the_person_appears_in_no_table(
    django_capture_on_commit_callbacks,
):
    user, candidature = a_person_with_a_past(django_capture_on_commit_callbacks)
    assert len(sealed_bodies_naming_her()) == 2
    delete_account(user=user)
    assert where_the_person_appears() == []
    assert sealed_bodies_naming_her() == []
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    # The candidature stays as a record of the allocation, with its history of states.
    candidature.refresh_from_db()
    assert candidature.number == ""
    assert candidature.history.filter(status=Status.VALIDATED).exists()


def test_after_anonymisation_of_an_inactive_account_the_person_appears_in_no_table(
    django_capture_on_commit_callbacks, settings
):
    user, _ = a_person_with_a_past(django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(days=settings.ACCOUNT_RETENTION_DAYS + 1)
    with time_machine.travel(later):
        assert anonymise_inactive_accounts() >= 1
    user.refresh_from_db()
    assert not user.is_active
    assert where_the_person_appears() == []
    assert sealed_bodies_naming_her() == []


def test_sent_emails_are_purged_after_the_retention_time(
    settings, django_capture_on_commit_callbacks
):
    from core.tasks import purge_sent_emails

    settings.OUTBOX_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=False):
        old = queue_rendered_email(to="a@example.org", subject="Ancien", body_text="x")
        recent = queue_rendered_email(to="b@example.org", subject="Récent", body_text="x")
        pending = queue_rendered_email(to="c@example.org", subject="En attente", body_text="x")
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=old.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=now - datetime.timedelta(days=31)
    )
    OutgoingEmail.objects.filter(pk=recent.pk).update(
        status=OutgoingEmail.Status.SENT, sent_at=now - datetime.timedelta(days=29)
    )
    OutgoingEmail.objects.filter(pk=pending.pk).update(created_at=now - datetime.timedelta(days=60))
    assert purge_sent_emails() == 1
    assert set(OutgoingEmail.objects.values_list("subject", flat=True)) == {"Récent", "En attente"}
    assert "purge-sent-emails" in settings.CELERY_BEAT_SCHEDULE


def test_expired_sessions_are_cleared_daily(settings):
    from accounts.tasks import clear_expired_sessions

    for email in ("hier@example.org", "aujourdhui@example.org"):
        UserFactory(email=email)
        Client().post("/compte/login/", {"login": email, "password": PASSWORD})
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=Session.objects.order_by("expire_date").first().pk).update(
        expire_date=yesterday
    )
    clear_expired_sessions.delay().get()
    assert Session.objects.count() == 1
    assert Session.objects.get().expire_date > timezone.now()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.clear_expired_sessions" in tasks
