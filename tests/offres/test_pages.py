"""Chapter "#5 Choisir une offre de logement": the list, filters, sort, the offer page."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from offres.freshness import bump_offers_version
from offres.models import Offer
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def without_csrf(response):
    """The page, its CSRF token aside (masked differently in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text(response))


@pytest.fixture
def places():
    return {
        "saint-ouen": CommuneFactory(),
        "aubervilliers": CommuneFactory(
            insee_code="93001", name="Aubervilliers", postal_code="93300"
        ),
        "bordeaux": CommuneFactory(
            insee_code="33063",
            name="Bordeaux",
            postal_code="33000",
            department=DepartmentFactory(code="33", name="Gironde"),
        ),
    }


@pytest.fixture
def applicant(client, ceilings, places):
    demande = DemandeFactory(
        communes=[places["saint-ouen"]],
        monthly_resources=Decimal("1800"),
        information_confirmed_at=timezone.now(),
    )
    client.force_login(demande.user)
    return demande


def test_an_applicant_sees_only_the_offers_open_to_them(client, applicant, places):
    fits = OfferFactory(title="T2 qui convient", commune=places["saint-ouen"])
    OfferFactory(
        title="T4 trop grand", typology=4, surface=Decimal("80"), commune=places["saint-ouen"]
    )
    OfferFactory(title="Trop loin", commune=places["bordeaux"])
    page = text(client.get("/offres/"))
    assert "Nombre de pièces T1 - T2" in page
    assert "Surface minimum 9 m²" in page
    assert "1 résultat correspondant à votre recherche" in page
    assert f"/offres/{fits.pk}/" in page and "Trop loin" not in page


def test_the_guide_message_when_nothing_fits(client, applicant, places):
    OfferFactory(commune=places["bordeaux"])
    page = text(client.get("/offres/"))
    assert (
        "A ce jour nous n'avons pas d'offre adaptée à votre situation sur vos communes "
        "choisies. Veuillez élargir vos souhaits."
    ) in page
    assert "Pensez à élargir votre zone de recherche." in page
    assert "0 résultat correspondant à votre recherche" in page


def test_visitors_see_every_published_offer_with_a_warning(client, places):
    OfferFactory(commune=places["bordeaux"])
    OfferFactory(commune=places["saint-ouen"])
    OfferFactory(status=Offer.Status.DRAFT, commune=places["saint-ouen"])
    page = text(client.get("/offres/"))
    assert "Sans votre demande, ces logements peuvent ne pas être adaptés à votre situation" in page
    assert "2 résultats correspondant à votre recherche" in page


def test_filters_and_sort(client, places):
    cheap = OfferFactory(
        rent=Decimal("300"), charges=Decimal("20"), commune=places["aubervilliers"]
    )
    dear = OfferFactory(
        rent=Decimal("800"),
        charges=Decimal("50"),
        typology=3,
        surface=Decimal("60"),
        commune=places["saint-ouen"],
        reduced_mobility=True,
    )
    house = OfferFactory(
        kind="maison",
        typology=4,
        surface=Decimal("85"),
        rent=Decimal("900"),
        commune=places["bordeaux"],
    )
    later = OfferFactory(
        available_from=timezone.localdate() + datetime.timedelta(days=60),
        commune=places["bordeaux"],
    )

    def ids(query):
        page = client.get("/offres/?" + query + "&vue=liste")
        return [o.pk for o in page.context["page"].object_list]

    assert set(ids("typologie=3&typologie=4")) == {dear.pk, house.pk}
    assert ids("type=maison") == [house.pk]
    assert ids("loyer_max=400") == [cheap.pk]
    assert set(ids("loyer_min=800&loyer_max=5000")) == {dear.pk, house.pk}
    assert ids("pmr=on") == [dear.pk]
    assert later.pk not in ids("disponible=on")
    assert set(ids("lieu=93")) == {cheap.pk, dear.pk}
    assert ids("lieu=Aubervilliers (93300)") == [cheap.pk]
    assert ids("lieu=auberv") == [cheap.pk]
    assert set(ids("lieu=Gironde")) == {house.pk, later.pk}
    assert ids("tri=loyer")[0] == cheap.pk
    assert ids("tri=loyer_desc")[0] == house.pk
    assert ids("tri=surface")[0] == house.pk


def test_bad_filter_values_get_a_french_error_not_a_crash(client, places):
    OfferFactory(commune=places["saint-ouen"])
    response = client.get("/offres/?loyer_max=abc&loyer_min=-5&tri=nimporte&typologie=9&page=zz")
    assert response.status_code == 200
    page = text(response)
    assert "Saisissez un nombre." in page
    assert "supérieure ou égale à 0" in page


def test_htmx_gets_only_the_results(client, places):
    OfferFactory(commune=places["saint-ouen"])
    response = client.get("/offres/?lieu=93", HTTP_HX_REQUEST="true")
    page = text(response)
    assert "1 résultat correspondant à votre recherche" in page
    assert "<html" not in page and "Afficher" not in page


def test_place_suggestions_as_you_type(client, places):
    page = text(client.get("/offres/lieux/?lieu=auber"))
    assert '<option value="Aubervilliers (93300)">' in page


def test_the_offer_page_and_back_to_the_same_results(client, applicant, places):
    offer = OfferFactory(commune=places["saint-ouen"], energy_class="C", climate_class="D")
    listing = text(client.get("/offres/?lieu=93&tri=loyer"))
    assert f"/offres/{offer.pk}/?retour=lieu%3D93%26tri%3Dloyer" in listing
    page = text(client.get(f"/offres/{offer.pk}/?retour=lieu%3D93%26tri%3Dloyer"))
    assert 'href="/offres/?lieu=93&tri=loyer">« Retour aux résultats' in page
    for label in (
        "Date limite de candidature",
        "Disponible dès le",
        "Caractéristiques du logement",
        "SAINT-OUEN-SUR-SEINE (93400)",
        "500 €",
        "43m² | T2",
        "Etage 2",
        "classe C",
        "Ce logement correspond à votre situation.",
    ):
        assert label in page, label


def test_the_offer_page_explains_each_failed_rule(client, applicant, places):
    offer = OfferFactory(commune=places["bordeaux"], typology=4, surface=Decimal("80"))
    page = text(client.get(f"/offres/{offer.pk}/"))
    assert "Vous ne pouvez pas postuler à cette offre" in page
    assert "Pour un ménage de 1 personne, les logements proposés sont des T1 ou T2." in page
    assert "n'est pas situé dans les communes choisies" in page


def test_drafts_are_not_shown(client, places):
    draft = OfferFactory(status=Offer.Status.DRAFT, commune=places["saint-ouen"])
    assert client.get(f"/offres/{draft.pk}/").status_code == 404


def _bulk_offers(n, commune, landlord):
    today = timezone.localdate()
    Offer.objects.bulk_create(
        [
            Offer(
                landlord=landlord,
                title=f"Offre {i}",
                typology=1 + i % 3,
                surface=Decimal("40"),
                rent=Decimal(300 + i % 400),
                charges=Decimal("40"),
                financing="PLUS",
                address="1 rue",
                commune=commune,
                available_from=today,
                deadline=today + datetime.timedelta(days=1 + i % 60),
                status="publiee",
                published_at=timezone.now(),
            )
            for i in range(n)
        ]
    )
    # bulk_create sends no signal: like every bulk path of the portal, it says so.
    bump_offers_version()


def test_the_offers_page_makes_the_same_queries_for_100_and_10000_offers(
    client, applicant, places, django_assert_num_queries
):
    landlord = OfferFactory(commune=places["saint-ouen"]).landlord
    _bulk_offers(99, places["saint-ouen"], landlord)
    with django_assert_num_queries(10) as small:
        client.get("/offres/?tri=loyer")
    _bulk_offers(9900, places["saint-ouen"], landlord)
    with django_assert_num_queries(10) as large:
        response = client.get("/offres/?tri=loyer&page=3")
    assert len(small.captured_queries) == len(large.captured_queries)
    assert response.context["page"].paginator.count > 1000


@pytest.mark.parametrize("applicant_signed_in", [False, True])
def test_a_search_seen_again_is_not_counted_again_whatever_the_volume(
    client, places, ceilings, django_assert_num_queries, applicant_signed_in
):
    """Seen again (the cache warm), a search neither counts its offers nor looks for
    its page's offers again: it reads them by primary key, with their photos. The same
    queries for 100 and 10 000 offers."""
    if applicant_signed_in:
        demande = DemandeFactory(
            communes=[places["saint-ouen"]],
            monthly_resources=Decimal("1800"),
            information_confirmed_at=timezone.now(),
        )
        client.force_login(demande.user)
    landlord = OfferFactory(commune=places["saint-ouen"]).landlord
    # Anonymous: none (the results fragment is cached whole). Signed in: the offers by
    # pk, their photos, the session, the user,
    # the request with its wishes (3), the ceilings and the unread notifications.
    warm = 9 if applicant_signed_in else 0
    for n, path in ((99, "/offres/?tri=loyer"), (9900, "/offres/?tri=loyer&page=3")):
        _bulk_offers(n, places["saint-ouen"], landlord)
        first = client.get(path)
        with django_assert_num_queries(warm):
            again = client.get(path)
        assert without_csrf(again) == without_csrf(first)


def test_the_offer_page_seen_again_reads_only_the_offer(client, places, django_assert_num_queries):
    offer = OfferFactory(commune=places["saint-ouen"])
    first = client.get(f"/offres/{offer.pk}/")
    # The page's body (photos included) comes from the cache, keyed by the offer's
    # last change: the offer itself is the only query.
    with django_assert_num_queries(1):
        again = client.get(f"/offres/{offer.pk}/")
    assert again.content == first.content


def test_anonymous_gallery_query_count(client, places, django_assert_num_queries):
    OfferFactory(commune=places["saint-ouen"])
    with django_assert_num_queries(3):
        client.get("/offres/")


def test_the_offer_page_query_count_is_fixed(client, places, django_assert_num_queries):
    offer = OfferFactory(commune=places["saint-ouen"])
    with django_assert_num_queries(2):
        client.get(f"/offres/{offer.pk}/")


def test_a_visitor_is_asked_to_sign_in_to_create_an_alert(client, places):
    OfferFactory(commune=places["saint-ouen"])
    page = text(client.get("/offres/?lieu=93&typologie=2"))
    assert (
        '<a class="btn btn-outline-primary btn-sm" '
        'href="/compte/login/?next=/offres/%3Flieu%3D93%26typologie%3D2">Créer une alerte'
    ) in page


def test_the_same_search_saved_twice_is_one_alert(client):
    from offres.models import SearchAlert
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    for _ in range(2):
        response = client.post("/offres/alertes/creer/", {"query": "lieu=93&tri=loyer"})
    assert response.url == "/offres/?lieu=93&tri=loyer"
    assert SearchAlert.objects.get().query == "lieu=93"
