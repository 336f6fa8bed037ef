"""Two people acting on the same offer at the same instant (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from candidatures import services
from candidatures.models import Candidature
from candidatures.workflow import Role, Status
from offres.models import Offer
from tests.accounts.factories import AdvisorFactory
from tests.candidatures.factories import CandidatureFactory
from tests.offres.factories import OfferFactory


def simultaneously(*actions):
    """Run the actions in threads released together; return what each said."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        try:
            action()
            outcomes[i] = "ok"
        except services.CandidatureError as exc:
            outcomes[i] = str(exc)
        except Exception as exc:  # noqa: BLE001 — a deadlock or integrity error is a failure
            outcomes[i] = f"ERREUR {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_candidates_accepting_the_same_dwelling_at_once(postgres):
    for _ in range(5):
        offer = OfferFactory()
        first, second = (
            CandidatureFactory(offer=offer, status=Status.ATTRIBUTED_CONDITION) for _ in range(2)
        )
        outcomes = simultaneously(
            *(
                lambda c=c: services.transition(c, "accept", actor=c.applicant, role=Role.APPLICANT)
                for c in (first, second)
            )
        )
        assert outcomes.count("ok") == 1, outcomes
        assert any("n'est pas possible" in o for o in outcomes), outcomes
        statuses = sorted(Candidature.objects.filter(offer=offer).values_list("status", flat=True))
        assert statuses == sorted([Status.ACCEPTED, Status.NOT_SELECTED])
        assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ALLOCATED


@pytest.mark.django_db(transaction=True)
def test_two_advisors_forwarding_on_the_same_offer_at_once_stay_under_the_cap(postgres, settings):
    settings.CANDIDATURES_FORWARD_MAX = 3
    for _ in range(5):
        offer = OfferFactory()
        batches = [
            [CandidatureFactory(offer=offer, status=Status.VALIDATED) for _ in range(2)]
            for _ in range(2)
        ]
        advisors = [AdvisorFactory(), AdvisorFactory()]
        outcomes = simultaneously(
            *(
                lambda b=b, a=a, o=offer: services.forward_best(offer=o, actor=a, candidatures=b)
                for a, b in zip(advisors, batches, strict=True)
            )
        )
        assert outcomes.count("ok") == 1, outcomes
        assert any(o.startswith("Au plus 3 candidatures") for o in outcomes), outcomes
        assert Candidature.objects.filter(offer=offer, status=Status.FORWARDED).count() == 2
