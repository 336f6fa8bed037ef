"""Every form and query parameter, fed random input (hypothesis): never a server error,
and a refused form saves nothing."""

from urllib.parse import quote

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidatures.models import Candidature
from candidatures.workflow import Status
from core.models import ContactMessage
from demandes.models import Demande
from offres.models import Offer
from tests.accounts.factories import UserFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory

text = st.one_of(
    st.text(max_size=40),
    st.text(min_size=2000, max_size=6000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "2026-13-45",
            "<script>",
            "😀" * 50,
            "\x00",
            "Sa\x00int",  # PostgreSQL refuses NUL inside text: a 400, never a 500
            "93",
            "0080321000486G1U21",
            "06 12 34 56 78",
            "a" * 300,
        ]
    ),
    st.integers(-(10**12), 10**12).map(str),
)
PAYLOAD = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "email",
            "subject",
            "message",
            "civility",
            "last_name",
            "first_name",
            "mobile_phone",
            "data_consent",
            "login",
            "password",
            "number",
            "code",
            "usage_name",
            "landline_phone",
            "professional_situation",
            "siret",
            "company_code",
            "data_sharing",
            "confirm",
            "title",
            "typology",
            "surface",
            "rent",
            "charges",
            "financing",
            "commune_code",
            "deadline",
            "available_from",
            "visit_at",
            "decision",
            "committee_on",
            "rank",
            "reason",
            "query",
            "typologie",
            "loyer_min",
            "loyer_max",
            "lieu",
            "tri",
            "page",
            "vue",
            "pmr",
            "disponible",
            "type",
        ]
    ),
    text,
    max_size=12,
)
OK = {200, 302, 400, 404, 405, 429}
FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture
def people(db):
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    staff = LandlordMembershipFactory()
    offer = OfferFactory(landlord=staff.landlord)
    forwarded = CandidatureFactory(offer=offer, status=Status.FORWARDED)
    return {
        "applicant": demande.user,
        "landlord": staff.user,
        "offer": offer,
        "forwarded": forwarded,
        "visitor": UserFactory(),
    }


PUBLIC_POSTS = [
    "/contact/",
    "/compte/signup/",
    "/compte/login/",
    "/compte/nouveau-lien/",
    "/compte/password/reset/",
]


@FUZZ
@given(payload=PAYLOAD, which=st.sampled_from(PUBLIC_POSTS))
def test_public_forms_never_fail(client, people, payload, which):
    before = (ContactMessage.objects.count(), Demande.objects.count())
    response = client.post(which, payload)
    assert response.status_code in OK
    if which == "/contact/" and response.status_code == 200:
        assert ContactMessage.objects.count() == before[0]


@FUZZ
@given(
    payload=PAYLOAD,
    which=st.sampled_from(
        [
            "/compte/",
            "/demande/importer/",
            "/demande/code/",
            "/demande/informations/",
            "/demande/pieces-justificatives/",
            "/demande/supprimer/",
            "/offres/alertes/creer/",
            "/compte/supprimer/?x=1",
        ]
    ),
)
def test_applicant_forms_never_fail(client, people, payload, which):
    client.force_login(people["applicant"])
    if which.startswith("/compte/supprimer"):
        payload.pop("confirm", None)  # keep the account: its deletion is tested elsewhere
    response = client.post(which, payload)
    assert response.status_code in OK


@FUZZ
@given(payload=PAYLOAD, which=st.sampled_from(["nouvelle", "visite", "decision", "bail"]))
def test_landlord_forms_never_fail_and_change_nothing_when_refused(client, people, payload, which):
    client.force_login(people["landlord"])
    count = Offer.objects.count()
    forwarded = people["forwarded"]
    url = (
        "/bailleur/offres/nouvelle/"
        if which == "nouvelle"
        else f"/bailleur/candidatures/{forwarded.pk}/{which}/"
    )
    response = client.post(url, payload)
    assert response.status_code in OK
    if which == "nouvelle" and response.status_code == 200:
        assert Offer.objects.count() == count
    if which != "nouvelle":
        status = Candidature.objects.get(pk=forwarded.pk).status
        assert status in (
            Status.FORWARDED,
            Status.VISIT,
            Status.ATTRIBUTED,
            Status.ATTRIBUTED_CONDITION,
            Status.NOT_ATTRIBUTED,
        )


@FUZZ
@given(params=PAYLOAD)
def test_offer_search_parameters_never_fail(client, people, params):
    response = client.get("/offres/", params)
    assert response.status_code in (200, 400)
    response = client.get("/offres/lieux/", {"lieu": params.get("lieu", "")})
    assert response.status_code in (200, 400)


@FUZZ
@given(value=text, which=st.sampled_from(["lieu", "commune_code"]))
def test_the_places_autocomplete_never_fails(client, people, value, which):
    """The autocomplete reads its parameter itself (no form): NUL and length included."""
    response = client.get("/offres/lieux/", {which: value})
    assert response.status_code in (200, 400)


@FUZZ
@given(query=PAYLOAD, token=text)
def test_alert_endpoints_never_fail_and_store_only_valid_alerts(client, people, query, token):
    from urllib.parse import urlencode

    from offres.models import SearchAlert

    client.force_login(people["applicant"])
    response = client.post("/offres/alertes/creer/", {"query": urlencode(query)})
    assert response.status_code in (302, 400)
    for alert in SearchAlert.objects.all():
        assert len(alert.query) <= 500 and len(alert.label) <= 100
    assert client.get("/offres/alertes/").status_code == 200
    unsubscribe = f"/offres/alertes/desabonnement/{quote(token, safe='')}/"
    assert client.get(unsubscribe).status_code in (200, 400, 404)
