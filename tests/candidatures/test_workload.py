"""The team's workload, a view of the admin site an advisor of the advisors' group reaches
from the index: for a chosen month, the candidatures each advisor validated, invalidated
and forwarded, per week; the median time from the deposit to the validation (hours
elapsed); the invalidation reasons with their counts; the same as a CSV file that Excel
(French) opens. Its cost does not grow with the number of candidatures."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
import time_machine
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from candidatures import backoffice, services
from candidatures.models import Candidature, CandidatureEvent
from candidatures.workflow import Role, Status
from tests.accounts.factories import AdvisorFactory, UserFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=2))  # summer time
WORKLOAD = "/admin/charge-de-travail/"
CSV = "/admin/charge-de-travail/export.csv"


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


def at(day, hour):
    return datetime.datetime(2026, 5, day, hour, 0, tzinfo=PARIS)


def deposited(when, offer=None):
    candidature = CandidatureFactory(**({"offer": offer} if offer else {}))
    Candidature.objects.filter(pk=candidature.pk).update(applied_at=when)
    candidature.refresh_from_db()
    return candidature


def decide(when, candidature, name, advisor, reason=""):
    with time_machine.travel(when, tick=False):
        if name == "forward":
            services.forward_best(
                offer=candidature.offer, actor=advisor, candidatures=[candidature]
            )
        else:
            services.transition(candidature, name, actor=advisor, role=Role.ADVISOR, reason=reason)


@pytest.fixture
def team():
    """May 2026 (Friday 1 May is a public holiday; weeks 18 to 22) for two advisors."""
    ines = AdvisorFactory(first_name="Inès", last_name="Petit")
    marc = AdvisorFactory(first_name="Marc", last_name="Durand")
    offer = OfferFactory()
    # Inès: validated 6 h and 48 h after the deposit, forwards one, invalidates one.
    first = deposited(at(4, 9), offer)
    decide(at(4, 15), first, "validate", ines)
    second = deposited(at(5, 10), offer)
    decide(at(7, 10), second, "validate", ines)
    decide(at(12, 11), first, "forward", ines)
    missing = backoffice.invalidation_text("pieces", "Bulletins de salaire manquants")
    decide(at(12, 14), deposited(at(11, 9)), "invalidate", ines, missing)
    # Marc: validated 10 h after the deposit; two invalidations the week of the 18th.
    decide(at(11, 19), deposited(at(11, 9)), "validate", marc)
    too_low = backoffice.invalidation_text("ressources", "")
    decide(at(20, 9), deposited(at(19, 9)), "invalidate", marc, too_low)
    decide(at(20, 10), deposited(at(19, 9)), "invalidate", marc, missing)
    # Outside May: not counted.
    decide(
        datetime.datetime(2026, 4, 30, 12, 0, tzinfo=PARIS),
        deposited(datetime.datetime(2026, 4, 29, 9, 0, tzinfo=PARIS)),
        "validate",
        ines,
    )
    decide(
        datetime.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS),
        deposited(datetime.datetime(2026, 5, 29, 9, 0, tzinfo=PARIS)),
        "validate",
        marc,
    )
    return {"ines": ines, "marc": marc}


def test_the_team_reads_its_month_per_advisor_and_per_week(client, team):
    staff_login(client, team["ines"])
    index = client.get("/admin/").content.decode()
    assert f'href="{WORKLOAD}"' in index  # reachable from the queue

    page = text(client.get(WORKLOAD, {"mois": "2026-05"}))
    assert "Charge de travail de l'équipe — mai 2026" in page
    assert "Candidatures validées 3" in page
    assert "Candidatures invalidées 3" in page
    assert "Transmises au bailleur 1" in page
    # 6 h, 10 h and 48 h: the median is 10 h; Inès's (6 h and 48 h) is 27 h.
    assert "Délai médian de validation 10,0 h en heures écoulées du dépôt" in page
    assert "Marc Durand 1 2 0 10,0 h Inès Petit 2 1 1 27,0 h" in page
    # Per week: the weeks of May, cut to the month (Friday 1 May to Sunday 3 May).
    assert "Inès Petit S18 : du 01/05 au 03/05 0 0 0" in page
    assert "Inès Petit S19 : du 04/05 au 10/05 2 0 0" in page
    assert "Inès Petit S20 : du 11/05 au 17/05 0 1 1" in page
    assert "Marc Durand S20 : du 11/05 au 17/05 1 0 0" in page
    assert "Marc Durand S21 : du 18/05 au 24/05 0 2 0" in page
    assert "S22 : du 25/05 au 31/05 0 0 0" in page
    assert "S20 : du 11/05 au 17/05 1 1 1" in page  # the team's week
    # Refusal reasons, the most frequent first.
    assert (
        "Motifs d'invalidation (3) Motif Candidatures invalidées "
        "Pièces justificatives manquantes ou non conformes 2 "
        "Ressources insuffisantes pour le loyer 1"
    ) in page

    april = text(client.get(WORKLOAD, {"mois": "2026-04"}))
    assert "Inès Petit 1 0 0 27,0 h" in april  # 30 April 12:00, deposited the 29th at 9:00


def test_the_month_exports_to_csv_for_excel(client, team):
    staff_login(client, team["marc"])
    page = client.get(WORKLOAD, {"mois": "2026-05"}).content.decode()
    assert f'href="{CSV}?mois=2026-05"' in page

    response = client.get(CSV, {"mois": "2026-05"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="charge-de-travail-2026-05.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Charge de travail de l'équipe — mai 2026"]
    assert [
        "Conseiller",
        "Validées",
        "Invalidées",
        "Transmises au bailleur",
        "Délai médian de validation (heures écoulées depuis le dépôt)",
    ] in rows
    assert ["Inès Petit", "2", "1", "1", "27,0"] in rows
    assert ["Marc Durand", "1", "2", "0", "10,0"] in rows
    assert ["Équipe", "3", "3", "1", "10,0"] in rows
    assert ["Inès Petit", "S19", "04/05/2026", "10/05/2026", "2", "0", "0"] in rows
    assert ["Marc Durand", "S21", "18/05/2026", "24/05/2026", "0", "2", "0"] in rows
    assert ["Pièces justificatives manquantes ou non conformes", "2"] in rows
    assert ["Ressources insuffisantes pour le loyer", "1"] in rows


def test_a_bad_month_is_refused_in_french_and_the_current_month_shown(client, team):
    staff_login(client, team["ines"])
    page = text(client.get(WORKLOAD, {"mois": "2026-13"}))
    assert "Indiquez un mois au format AAAA-MM (par exemple 2026-05)." in page
    this_month = date_format(timezone.localdate(), "F Y")
    assert f"Charge de travail de l'équipe — {this_month}" in page
    response = client.get(CSV, {"mois": "1999-12"})
    assert response.status_code == 400
    assert "Choisissez un mois entre 2000 et 2099." in response.content.decode()


def test_the_workload_is_for_those_who_may_read_candidatures(client, team):
    staff = UserFactory(role=User.Role.ADVISOR, is_staff=True)  # no group, no permission
    staff_login(client, staff)
    assert client.get(WORKLOAD).status_code == 403
    assert client.get(CSV).status_code == 403
    assert "Charge de travail" not in client.get("/admin/").content.decode()
    client.logout()
    assert client.get(WORKLOAD).status_code == 302  # to the sign-in


def _month_of_events(count, advisors):
    """``count`` candidatures deposited and decided this month by ``advisors``: each
    validated, a third of them forwarded, a fifth of the others invalidated (in bulk)."""
    offer = OfferFactory()
    users = User.objects.bulk_create(
        User(email=f"charge{n}@example.org", last_name=f"NOM{n}") for n in range(count)
    )
    candidatures = Candidature.objects.bulk_create(
        Candidature(
            applicant=user,
            offer=offer,
            status=Status.VALIDATED,
            number=f"0930322{n:06d}V0L01",
            first_filed_on=datetime.date(2024, 1, 1),
        )
        for n, user in enumerate(users)
    )
    Candidature.objects.update(applied_at=timezone.now() - datetime.timedelta(hours=30))
    reasons = [code for code, _ in backoffice.InvalidationReason.choices]
    events = []
    for n, candidature in enumerate(candidatures):
        advisor = advisors[n % len(advisors)]

        def event(status, reason="", advisor=advisor, candidature=candidature):
            return CandidatureEvent(
                candidature=candidature,
                transition=status.label,
                from_status=Status.SUBMITTED,
                to_status=status,
                actor=advisor,
                role=Role.ADVISOR,
                reason=reason,
            )

        events.append(event(Status.VALIDATED))
        if n % 3 == 0:
            events.append(event(Status.FORWARDED))
        elif n % 5 == 0:
            code = reasons[n % len(reasons)]
            events.append(event(Status.INVALIDATED, backoffice.invalidation_text(code, "x")))
    CandidatureEvent.objects.bulk_create(events)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_workload_costs_the_same_with_10_or_1000_candidatures(
    client, count, django_assert_num_queries
):
    advisors = [AdvisorFactory(first_name=f"Conseiller{n}") for n in range(3)]
    _month_of_events(count, advisors)
    staff_login(client, advisors[0])
    client.get(WORKLOAD)  # warm caches
    # The admin's own (session, user, second factor, the user's and the group's
    # permissions), then 4 for the month: the counts grouped per advisor and week, the
    # medians per advisor and for the team, the reasons.
    with django_assert_num_queries(9):
        page = text(client.get(WORKLOAD))
    assert f"Candidatures validées {count}" in page
    with django_assert_num_queries(9):
        response = client.get(CSV)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Équipe", str(count), *[str(n) for n in _expected_other_counts(count)]] == rows[
        next(i for i, r in enumerate(rows) if r and r[0] == "Équipe")
    ][:4]


def _expected_other_counts(count):
    invalidated = sum(1 for n in range(count) if n % 3 and n % 5 == 0)
    forwarded = sum(1 for n in range(count) if n % 3 == 0)
    return invalidated, forwarded
