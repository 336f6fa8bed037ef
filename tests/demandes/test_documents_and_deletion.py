"""Documents asked for each situation, and the deletion hook other apps rely on."""

import pytest

from demandes import services
from demandes.documents import required_documents
from demandes.models import Demande
from demandes.signals import demande_deleting
from tests.demandes.factories import DemandeFactory

pytestmark = pytest.mark.django_db


def kinds(demande):
    return [document.kind for document in required_documents(demande)]


def test_an_employee_alone_is_asked_for_pay_slips_and_the_contract():
    demande = DemandeFactory(professional_situation="cdi")
    assert kinds(demande) == [
        "identite",
        "avis_imposition_n2",
        "avis_imposition_n1",
        "bulletins_salaire",
        "contrat_travail",
        "logement_actuel",
    ]


def test_a_retired_couple_proves_other_resources_and_the_family_situation():
    demande = DemandeFactory(
        professional_situation="retraite",
        household_size=2,
        co_applicant={"prenom": "Anne", "date_naissance": "1955-01-01"},
    )
    assert "justificatif_ressources" in kinds(demande)
    assert "bulletins_salaire" not in kinds(demande)
    assert "situation_familiale" in kinds(demande)


def test_a_household_with_a_disability_proves_it():
    demande = DemandeFactory(
        household_members=[{"prenom": "Léa", "handicap": True, "role": "enfant"}]
    )
    assert "handicap" in kinds(demande)


def test_apps_are_told_before_a_request_is_deleted_and_can_stop_it():
    demande = DemandeFactory()
    seen = []

    def refuse(sender, demande, actor, **kwargs):
        seen.append((demande.number, actor))
        raise RuntimeError("annulation impossible")

    demande_deleting.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.delete_demande(demande=demande, actor=demande.user)
    finally:
        demande_deleting.disconnect(refuse)
    assert seen == [(demande.number, demande.user)]
    assert Demande.objects.filter(pk=demande.pk).exists()  # nothing deleted
