"""The ceilings a request is checked against (issue 13, §5): PLAI follows PLUS with the
published shares, checked against the official 2021 and 2022 tables."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from offres.ceilings import EXTRA_PERSON, plai_from_plus
from offres.eligibility import explain
from offres.management.commands.load_plafonds import DATA
from offres.models import Offer, ResourceCeiling
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

ZONES = ("paris", "idf", "autres")  # Paris + limitrophes, rest of IdF, other regions

# The official tables (arrêté du 29 juillet 1987 as revalued on 1 January 2021 and 2022,
# Légifrance LEGIARTI000043030087 and LEGIARTI000045015082), as held in OpenFisca-France's
# parameters prestations_sociales/aides_logement/logement_social/{plu,plai/plafond_ressources}
# /par_categorie_de_menage/categorie_N/{paris_communes_limitrophes,ile_de_france,
# autres_regions}.yaml and par_personne_supplementaire/*.yaml. One row per category (1–6,
# then the amount per extra person), one column per zone.
OFFICIAL = {
    2021: {
        "PLUS": {
            1: (24116, 24116, 20966),
            2: (36042, 36042, 27998),
            3: (47247, 43325, 33670),
            4: (56410, 51897, 40648),
            5: (67116, 61435, 47818),
            6: (75523, 69134, 53891),
            EXTRA_PERSON: (8416, 7703, 6011),
        },
        "PLAI": {
            1: (13268, 13268, 11531),
            2: (21626, 21626, 16800),
            3: (28348, 25995, 20203),
            4: (31029, 28543, 22479),
            5: (36912, 33792, 26300),
            6: (41539, 38024, 29641),
            EXTRA_PERSON: (4628, 4235, 3306),
        },
    },
    2022: {
        "PLUS": {
            1: (24316, 24316, 21139),
            2: (36341, 36341, 28231),
            3: (47639, 43684, 33949),
            4: (56878, 52326, 40985),
            5: (67672, 61944, 48214),
            6: (76149, 69707, 54338),
            EXTRA_PERSON: (8486, 7767, 6061),
        },
        "PLAI": {
            1: (13378, 13378, 11626),
            # OpenFisca-France writes 218805 for Paris (a typo: one digit repeated); the
            # Île-de-France column of the same table, equal to Paris in categories 1 and 2,
            # and the arrêté give 21 805.
            2: (21805, 21805, 16939),
            3: (28582, 26210, 20370),
            4: (31287, 28779, 22665),
            5: (37218, 34071, 26519),
            6: (41884, 38339, 29886),
            EXTRA_PERSON: (4666, 4270, 3333),
        },
    },
}
OPENFISCA_TYPO = 218805
# The published tables are rounded by the administration from its own computation;
# the shares give every figure within a few euros.
TOLERANCE_EUROS = 5


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_shares_give_the_official_plai_tables_from_the_plus_tables(year):
    table = OFFICIAL[year]
    for category, plus_row in table["PLUS"].items():
        for zone, plus, plai in zip(ZONES, plus_row, table["PLAI"][category], strict=True):
            derived = plai_from_plus(plus, category, zone)
            assert abs(derived - plai) <= TOLERANCE_EUROS, (year, category, zone, derived, plai)


def test_the_openfisca_typo_is_not_a_ceiling_the_shares_could_give():
    derived = plai_from_plus(OFFICIAL[2022]["PLUS"][2][0], 2, "paris")
    assert derived == 21805  # the arrêté's figure
    assert abs(derived - OPENFISCA_TYPO) > TOLERANCE_EUROS


def test_a_flat_55_percent_would_miss_the_official_categories_2_and_3():
    """The old derivation of the portal: 2 500 € too low for a Paris couple."""
    plus, plai = OFFICIAL[2021]["PLUS"][2][0], OFFICIAL[2021]["PLAI"][2][0]
    assert plai - round(plus * 0.55) > 1500


def test_the_2026_plai_data_follows_the_plus_data_through_the_same_derivation():
    rows = json.loads(DATA.read_text(encoding="utf-8"))["ceilings"]
    plus = {(r["zone"], r["category"]): r for r in rows if r["financing"] == "PLUS"}
    plai = [r for r in rows if r["financing"] == "PLAI" and r["year"] == 2026]
    assert len(plai) == 18
    for row in plai:
        base = plus[(row["zone"], row["category"])]
        assert row["amount"] == plai_from_plus(base["amount"], row["category"], row["zone"])
        assert row["extra_person"] == plai_from_plus(
            base["extra_person"], EXTRA_PERSON, row["zone"]
        )
        assert row["source"].startswith("DÉRIVÉ") and "19 décembre 2025" in row["source"]


@pytest.mark.django_db
def test_a_paris_couple_earning_23000_euros_may_apply_to_a_plai_offer(ceilings):
    saint_ouen = CommuneFactory()  # Paris et communes limitrophes
    couple = DemandeFactory(
        household_size=2,
        household_category=2,
        fiscal_income=23000,
        monthly_resources=Decimal("3000"),
        desired_typologies=[2, 3],
        communes=[saint_ouen],
    )
    offer = OfferFactory(commune=saint_ouen, financing=Offer.Financing.PLAI, typology=2, surface=40)
    assert Offer.objects.open_to(couple).filter(pk=offer.pk).exists()
    assert explain(offer, couple) == []
    richer = DemandeFactory(
        household_size=2,
        household_category=2,
        fiscal_income=24141,
        monthly_resources=Decimal("3000"),
        communes=[saint_ouen],
    )
    assert explain(offer, richer) == [
        "Votre revenu fiscal de référence (24\u202f141\u00a0€) dépasse le plafond de ce "
        "logement PLAI (24\u202f140\u00a0€ pour votre ménage)."
    ]


@pytest.mark.django_db
def test_loading_the_file_corrects_the_old_derived_rows_but_not_an_advisors_correction():
    call_command("load_plafonds", stdout=StringIO())
    paris_2 = ResourceCeiling.objects.get(year=2026, financing="PLAI", zone="paris", category=2)
    autres_3 = ResourceCeiling.objects.get(year=2026, financing="PLAI", zone="autres", category=3)
    # A database loaded from the previous file (flat 55 %), one row corrected by hand.
    ResourceCeiling.objects.filter(pk=paris_2.pk).update(amount=22128, source="ancien")
    ResourceCeiling.objects.filter(pk=autres_3.pk).update(amount=22000, source="conseiller")
    out = StringIO()
    call_command("load_plafonds", stdout=out)
    assert "0 ajouté(s), 1 corrigé(s)" in out.getvalue()
    paris_2.refresh_from_db()
    autres_3.refresh_from_db()
    assert paris_2.amount == 24140 and paris_2.source.startswith("DÉRIVÉ")
    assert autres_3.amount == 22000 and autres_3.source == "conseiller"
