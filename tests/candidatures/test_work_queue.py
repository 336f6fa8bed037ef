"""The admin's index, "Espace conseiller", opens on what waits, for an advisor of the
advisors' group: candidatures to validate (oldest first, late ones marked, French public
holidays counted), validated candidatures to forward on offers closing soon, attributions
waiting for the applicant's answer; the cost of the queue and of a candidature's page
does not grow with the number of candidatures."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from accounts.roles import apply_role
from candidatures.models import Candidature
from candidatures.workflow import Status
from tests.accounts.factories import UserFactory, staff_login
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=2))  # summer time
# Tuesday 12 May 2026: Friday 8 May (Victoire 1945) is a public holiday.
TODAY = datetime.datetime(2026, 5, 12, 10, 0, tzinfo=PARIS)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(response.content.decode())))


@pytest.fixture
def advisor(client):
    user = UserFactory(role=User.Role.ADVISOR, is_staff=True)
    apply_role(user)
    staff_login(client, user)  # the admin asks staff for their second factor
    return user


def deposited(at, **kwargs):
    candidature = CandidatureFactory(**kwargs)
    Candidature.objects.filter(pk=candidature.pk).update(applied_at=at)
    return candidature


@time_machine.travel(TODAY, tick=False)
def test_the_queue_lists_what_waits_in_the_right_order(client, advisor):
    recent = deposited(datetime.datetime(2026, 5, 11, 9, 0, tzinfo=PARIS))
    # 2 working days before Tuesday 12 May is Thursday 7 May (8 May is a holiday):
    # deposited on the 7th, it is on time; on the 6th, it is late.
    on_time = deposited(datetime.datetime(2026, 5, 7, 9, 0, tzinfo=PARIS))
    late = deposited(datetime.datetime(2026, 5, 6, 16, 0, tzinfo=PARIS))
    soon = OfferFactory(deadline=datetime.date(2026, 5, 15))
    later = OfferFactory(deadline=datetime.date(2026, 6, 30))
    second = CandidatureFactory(offer=soon, status=Status.VALIDATED)
    first = CandidatureFactory(
        offer=soon, status=Status.VALIDATED, demande=DemandeFactory(legal_priority=True)
    )
    not_soon = CandidatureFactory(offer=later, status=Status.VALIDATED)
    waiting_answer = CandidatureFactory(
        status=Status.ATTRIBUTED, answer_by=datetime.date(2026, 5, 20)
    )

    response = client.get("/admin/")
    page = response.content.decode()
    body = text(response)
    assert "Espace conseiller" in body
    assert "3 à valider , dont 1 en retard (plus de 2 jours ouvrés)" in body
    assert "2 validées à transmettre" in body
    assert "1 attribution en attente de la réponse du demandeur" in body

    def order(*candidatures):
        return [page.index(f">{c.number}</a>") for c in candidatures]

    assert order(late, on_time, recent) == sorted(order(late, on_time, recent))
    assert order(first, second) == sorted(order(first, second))
    assert not_soon.number not in page
    late_row = page[page.rindex("<tr", 0, page.index(late.number)) : page.index(late.number)]
    on_time_row = page[
        page.rindex("<tr", 0, page.index(on_time.number)) : page.index(on_time.number)
    ]
    assert 'class="late"' in late_row and "En retard" in late_row
    assert "late" not in on_time_row
    assert "3 jours ouvrés" in late_row  # 7, 11 and 12 May
    # One click from the queue to each candidature's page.
    for candidature in (late, first, waiting_answer):
        assert f'href="/admin/candidatures/candidature/{candidature.pk}/change/"' in page


def test_the_queue_is_for_those_who_may_read_candidatures(client):
    staff = UserFactory(role=User.Role.ADVISOR, is_staff=True)  # no group, no permission
    client.force_login(staff)
    assert "Ce qui attend" not in client.get("/admin/").content.decode()


def _many(count):
    """``count`` candidatures (every state the queue reads), built in bulk."""
    offer = OfferFactory(deadline=timezone.localdate() + datetime.timedelta(days=3))
    users = User.objects.bulk_create(
        User(email=f"volume{n}@example.org", last_name=f"NOM{n}") for n in range(count)
    )
    states = [Status.SUBMITTED, Status.VALIDATED, Status.ATTRIBUTED]
    Candidature.objects.bulk_create(
        Candidature(
            applicant=user,
            offer=offer,
            status=states[n % 3],
            number=f"0930321{n:06d}V0L01",
            first_filed_on=datetime.date(2024, 1, 1),
            forwarded_at=timezone.now() if states[n % 3] == Status.ATTRIBUTED else None,
            answer_by=timezone.localdate() if states[n % 3] == Status.ATTRIBUTED else None,
        )
        for n, user in enumerate(users)
    )
    return offer


@pytest.mark.parametrize("count", [10, 1000])
def test_the_queue_and_a_candidatures_page_cost_the_same_with_10_or_1000(
    client, advisor, ceilings, count, django_assert_num_queries
):
    offer = _many(count)
    demande = DemandeFactory(communes=[offer.commune])
    mine = CandidatureFactory(offer=offer, demande=demande)
    client.get(f"/admin/candidatures/candidature/{mine.pk}/change/")  # warm caches
    # The admin's own (session, user, permissions, recent actions), the queue's counts,
    # its three lists and the ranks of the offers listed.
    with django_assert_num_queries(11):
        page = client.get("/admin/").content.decode()
    assert "Ce qui attend" in page
    # The candidature's dossier: the offer's candidatures in rank order, the events,
    # the eligibility figures, the data-sharing history.
    # (+1 each: the second factor checked on every admin request; the candidature is
    # read with its offer and commune, its applicant, its request and co-applicant in
    # one query.)
    with django_assert_num_queries(13):
        response = client.get(f"/admin/candidatures/candidature/{mine.pk}/change/")
    assert response.status_code == 200
    # The list advisors search (100 a page, the offer's rank on each line): the admin's
    # own, the counts, the page, the ranks of its offers, the filters' choices.
    with django_assert_num_queries(11):
        page = client.get("/admin/candidatures/candidature/", {"q": "NOM"}).content.decode()
    assert "rang sur l" in page.lower()
