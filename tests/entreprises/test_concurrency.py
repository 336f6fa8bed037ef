"""Two HR members designating at the same instant for the last place of the quota
(PostgreSQL, real threads): only one designation is made."""

import threading

import pytest
from django.db import connection

from entreprises import services
from entreprises.models import Designation
from tests.demandes.factories import DemandeFactory
from tests.entreprises.factories import CompanyMembershipFactory, siret_of


@pytest.mark.django_db(transaction=True)
def test_two_designations_for_the_last_place_of_the_quota(postgres):
    first = CompanyMembershipFactory(company__designation_quota=1)
    second = CompanyMembershipFactory(company=first.company, is_admin=False)
    company = first.company
    demandes = [DemandeFactory(siret=siret_of(company), data_sharing=2) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(i, hr, demande):
        barrier.wait()
        try:
            services.designate(actor=hr.user, company=company, demande_pk=demande.pk)
            outcomes[i] = "ok"
        except services.CompanyError as exc:
            outcomes[i] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, hr, d))
        for i, (hr, d) in enumerate(zip((first, second), demandes, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert any("quota de 1 désignation" in o for o in outcomes), outcomes
    assert Designation.objects.filter(company=company).count() == 1
