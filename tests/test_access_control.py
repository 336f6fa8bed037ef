"""Every URL of the portal, requested by every role: the expected status is declared in
one table. A URL missing from the table fails the test. Someone else's object is 404,
never 403."""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from api import services as api_services
from api.models import LandlordApiKey
from candidatures.workflow import Status
from entreprises.models import Access
from offres.models import SearchAlert
from tests.accounts.factories import AdvisorFactory, staff_login
from tests.admin_site import site_view_names
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory
from tests.entreprises.factories import CompanyMembershipFactory, siret_of
from tests.offres.factories import LandlordMembershipFactory, OfferFactory

ROLES = [
    "anonymous",
    "applicant_a",
    "applicant_b",
    "landlord_x",
    "landlord_y",
    "company",
    "company_b",
    "advisor",
]
LOGIN = 302  # redirected to the sign-in page (or away from it)
NOT_MY_ROLE = 403  # an applicant's action asked by another role


def APPLICANTS(status):  # noqa: N802 — reads like the table's constants
    return {"applicant_a": status, "applicant_b": status}


# name: status for every role, or a dict of role → status with "*" as the default.
TABLE = {
    "core:home": 200,
    "core:help": 200,
    "core:legal": 200,
    "core:privacy": 200,
    "core:contact": 200,
    "core:healthz": 200,
    "core:ping": 200,
    "core:metrics": {"*": 404, "advisor": 200},  # Prometheus: bearer token or staff
    "accounts:profile": {"*": 200, "anonymous": LOGIN},
    "accounts:initial_password": 400,  # a link that is not valid
    "accounts:created": 200,
    "accounts:resend_confirmation": 200,
    "accounts:export": {"*": 200, "anonymous": LOGIN},
    "accounts:delete": {"*": 200, "anonymous": LOGIN},
    "account_login": {"*": LOGIN, "anonymous": 200},
    "account_logout": {"*": 200, "anonymous": LOGIN},
    "account_inactive": 200,
    "account_signup": {"*": LOGIN, "anonymous": 200},
    "account_reauthenticate": {"*": 200, "anonymous": LOGIN},
    "account_email": {"*": 200, "anonymous": LOGIN},
    "account_email_verification_sent": 200,
    "account_change_password": {"*": 200, "anonymous": LOGIN},
    "account_set_password": {"*": LOGIN},
    "account_reset_password": 200,
    "account_confirm_login_code": LOGIN,
    "account_confirm_email": 200,  # unknown key: "Ce lien n'est plus valide"
    "account_reset_password_from_key_done": 200,
    "account_reset_password_from_key": 200,  # invalid key: a page that says so
    "account_reset_password_done": 200,
    # Second factor (allauth.mfa): any account may use it; staff must (admin).
    "mfa_index": {"*": 200, "anonymous": LOGIN},
    "mfa_authenticate": LOGIN,
    "mfa_reauthenticate": {"*": LOGIN, "advisor": 200},  # who has a second factor
    "mfa_activate_totp": LOGIN,  # the password again first (or already active)
    "mfa_deactivate_totp": {"*": 404, "anonymous": LOGIN, "advisor": LOGIN},
    "mfa_view_recovery_codes": {"*": 404, "anonymous": LOGIN},
    "mfa_generate_recovery_codes": LOGIN,
    "mfa_download_recovery_codes": {"*": 404, "anonymous": LOGIN},
    # Applicants' actions: other roles get the 403 page naming their own space.
    "demandes:import": {
        "*": NOT_MY_ROLE,
        "anonymous": LOGIN,
        "applicant_a": LOGIN,
        "applicant_b": LOGIN,
    },  # who has a request goes to "Ma situation"
    "demandes:code": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(LOGIN)},
    "demandes:resend_code": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(405)},
    "demandes:information": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(200)},
    "demandes:documents": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(200)},
    "demandes:detail": {"*": LOGIN, "applicant_a": 200, "applicant_b": 200},
    "demandes:refresh": {"*": 405, "anonymous": LOGIN},
    "demandes:validate": LOGIN,  # only a request created before 20/04/21 shows it
    "after_login": LOGIN,  # a redirection: import panel or home
    "demandes:delete": {"*": LOGIN, "applicant_a": 200, "applicant_b": 200},
    "offres:list": 200,
    "offres:places": 200,
    "offres:detail": 200,
    "offres:alerts": {"*": 200, "anonymous": LOGIN},
    "offres:alert_create": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(405)},
    "offres:alert_delete": {"*": 405, "anonymous": LOGIN},
    "offres:alert_unsubscribe": 200,
    "offres:feed": 200,
    "resultats:list": 200,
    "offres:alert_feed": 200,  # the secret address is the credential
    "offres:alert_feed_renew": {"*": 405, "anonymous": LOGIN},
    "offres:alert_frequency": {"*": 405, "anonymous": LOGIN},
    "candidatures:list": {"*": 200, "anonymous": LOGIN},
    "candidatures:apply": {"*": NOT_MY_ROLE, "anonymous": LOGIN, **APPLICANTS(200)},
    "candidatures:applied": {"*": 200, "anonymous": LOGIN},
    "candidatures:cancel": {"*": 404, "anonymous": LOGIN, "applicant_a": 200},
    "candidatures:respond": {"*": 404, "anonymous": LOGIN, "applicant_a": 200},
    "candidatures:notifications": {"*": 200, "anonymous": LOGIN},
    "dashboard": {"*": LOGIN, "applicant_a": 200, "applicant_b": 200},
    "bailleur:offers": {"*": 404, "anonymous": LOGIN, "landlord_x": 200, "landlord_y": 200},
    "bailleur:offer_create": {"*": 404, "anonymous": LOGIN, "landlord_x": 200, "landlord_y": 200},
    "bailleur:offer_edit": {"*": 404, "anonymous": LOGIN, "landlord_x": 200},
    "bailleur:offer_publish": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur:offer_close": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur:offer_photos": {"*": 404, "anonymous": LOGIN, "landlord_x": 200},
    "bailleur:photo_delete": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur:members": {"*": 404, "anonymous": LOGIN, "landlord_x": 200, "landlord_y": 200},
    "bailleur:member_remove": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur:member_resend": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur:member_admin": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "bailleur_candidatures:list": {
        "*": 404,
        "anonymous": LOGIN,
        "landlord_x": 200,
        "landlord_y": 200,
    },
    "bailleur_candidatures:detail": {"*": 404, "anonymous": LOGIN, "landlord_x": 200},
    "bailleur_candidatures:visit": {
        "*": 404,
        "anonymous": LOGIN,
        "landlord_x": 405,
        "landlord_y": 405,
    },
    "bailleur_candidatures:decision": {
        "*": 404,
        "anonymous": LOGIN,
        "landlord_x": 405,
        "landlord_y": 405,
    },
    "bailleur_candidatures:lease": {
        "*": 404,
        "anonymous": LOGIN,
        "landlord_x": 405,
        "landlord_y": 405,
    },
    "bailleur_candidatures:pdf": {"*": 404, "anonymous": LOGIN, "landlord_x": 200},
    "bailleur_api:keys": {"*": 404, "anonymous": LOGIN, "landlord_x": 200, "landlord_y": 200},
    "bailleur_api:revoke": {"*": 404, "anonymous": LOGIN, "landlord_x": 405, "landlord_y": 405},
    "api:schema": 200,
    "api:docs": 200,
    # The API answers to keys only (API_TABLE below): a signed-in session is no key.
    **{
        f"api:{name}": 401
        for name in (
            "offer-list",
            "offer-detail",
            "offer-publish",
            "offer-close",
            "offer-photos",
            "candidature-list",
            "candidature-detail",
            "candidature-pdf",
            "candidature-visit",
            "candidature-decision",
            "candidature-lease",
        )
    },
    # HR of a company: its own space; an employee of another company is 404.
    "entreprises:home": {"*": 404, "anonymous": LOGIN, "company": 200, "company_b": 200},
    "entreprises:export": {"*": 404, "anonymous": LOGIN, "company": 200, "company_b": 200},
    "entreprises:employee": {"*": 404, "anonymous": LOGIN, "company": 200},
    "entreprises:professional": {"*": 404, "anonymous": LOGIN, "company": 200},
    "entreprises:apply": {"*": 404, "anonymous": LOGIN, "company": 200},
    "entreprises:designate": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "entreprises:refresh": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "entreprises:confirm_documents": {
        "*": 404,
        "anonymous": LOGIN,
        "company": 405,
        "company_b": 405,
    },
    "entreprises:cancel": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "entreprises:members": {"*": 404, "anonymous": LOGIN, "company": 200, "company_b": 200},
    "entreprises:member_remove": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "entreprises:member_resend": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "entreprises:member_admin": {"*": 404, "anonymous": LOGIN, "company": 405, "company_b": 405},
    "company_accesses": {"*": 200, "anonymous": LOGIN},
    # Views of the admin site itself (tests/admin_site.py): advisors signed in with their
    # second factor; anyone else is sent to the admin's sign-in.
    "admin:workload": {"*": LOGIN, "advisor": 200},
    "admin:workload_csv": {"*": LOGIN, "advisor": 200},
}
# POST as someone who does not own the object: 404, and nothing changes.
FOREIGN_POSTS = {
    "candidatures:respond": ["applicant_b"],
    "candidatures:cancel": ["applicant_b"],
    "offres:alert_delete": ["applicant_b"],
    "offres:alert_feed_renew": ["applicant_b"],
    "offres:alert_frequency": ["applicant_b"],
    "bailleur:offer_close": ["landlord_y"],
    "bailleur:offer_edit": ["landlord_y"],
    "bailleur:photo_delete": ["landlord_y"],
    "bailleur:member_remove": ["landlord_y"],
    "bailleur:member_admin": ["landlord_y"],
    "bailleur_api:revoke": ["landlord_y"],
    "bailleur_candidatures:decision": ["landlord_y", "landlord_x_not_forwarded"],
    "entreprises:designate": ["company_b"],
    "entreprises:refresh": ["company_b"],
    "entreprises:confirm_documents": ["company_b"],
    "entreprises:cancel": ["company_b"],
    "entreprises:professional": ["company_b"],
    "entreprises:apply": ["company_b"],
    "entreprises:member_remove": ["company_b"],
    "entreprises:member_admin": ["company_b"],
}


def url_names():
    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                if p.namespace == "admin":
                    # Models' pages: tests/test_admin_*.py; the site's own views: here.
                    yield from site_view_names()
                    continue
                yield from walk(p.url_patterns, inner)
            elif p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_table():
    assert url_names() - set(TABLE) == set(), "URL(s) sans statut attendu dans TABLE"
    assert set(TABLE) - url_names() == set()


@pytest.fixture
def world(db):
    x = LandlordMembershipFactory(is_admin=True)
    y = LandlordMembershipFactory(is_admin=True)
    x_key, _ = api_services.create_key(landlord=x.landlord, name="Logiciel X", by=x.user)
    hr = CompanyMembershipFactory()
    hr_b = CompanyMembershipFactory()
    # Applicant a works for the company and delegated the management of the request.
    a = DemandeFactory(
        information_confirmed_at=timezone.now(), siret=siret_of(hr.company), data_sharing=4
    )
    b = DemandeFactory(information_confirmed_at=timezone.now())
    offer = OfferFactory(landlord=x.landlord)
    photo = offer.photos.create(image="demo/facade-0.jpg", thumbnail="demo/facade-0.jpg")
    candidature = CandidatureFactory(demande=a, offer=offer, status=Status.FORWARDED)
    hidden = CandidatureFactory(offer=offer, status=Status.VALIDATED)  # not forwarded
    alert = SearchAlert.objects.create(user=a.user, query="lieu=93", label="93")
    users = {
        "anonymous": None,
        "applicant_a": a.user,
        "applicant_b": b.user,
        "landlord_x": x.user,
        "landlord_y": y.user,
        "company": hr.user,
        "company_b": hr_b.user,
        "advisor": AdvisorFactory(),
    }
    args = {
        "accounts:initial_password": ["lien-invalide"],
        "account_confirm_email": ["cle-inconnue"],
        "account_reset_password_from_key": {"uidb36": "zz", "key": "cle-inconnue"},
        "offres:detail": [offer.pk],
        "offres:alert_delete": [alert.pk],
        "offres:alert_unsubscribe": [alert.token],
        "offres:alert_feed": [alert.feed_token],
        "offres:alert_feed_renew": [alert.pk],
        "offres:alert_frequency": [alert.pk],
        "candidatures:apply": [offer.pk],
        "candidatures:cancel": [candidature.pk],
        "candidatures:respond": [candidature.pk, "accepter"],
        "bailleur:photo_delete": [offer.pk, photo.pk],
        "bailleur:member_remove": [x.pk],
        "bailleur:member_resend": [x.pk],
        "bailleur:member_admin": [x.pk],
        "bailleur_api:revoke": [x_key.prefix],
    }
    for name in ("member_remove", "member_resend", "member_admin"):
        args[f"entreprises:{name}"] = [hr.pk]
    for name in (
        "employee",
        "designate",
        "refresh",
        "confirm_documents",
        "professional",
        "apply",
        "cancel",
    ):
        args[f"entreprises:{name}"] = [a.pk]
    for name in (
        "bailleur:offer_edit",
        "bailleur:offer_publish",
        "bailleur:offer_close",
        "bailleur:offer_photos",
    ):
        args[name] = [offer.pk]
    for name in ("detail", "visit", "decision", "lease", "pdf"):
        args[f"bailleur_candidatures:{name}"] = [candidature.pk]
        args[f"api:candidature-{name}"] = [candidature.pk]
    for name in ("detail", "publish", "close", "photos"):
        args[f"api:offer-{name}"] = [offer.pk]
    return {
        "users": users,
        "args": args,
        "candidature": candidature,
        "hidden": hidden,
        "alert": alert,
        "offer": offer,
    }


def url_for(name, args):
    value = args.get(name)
    if isinstance(value, dict):
        return reverse(name, kwargs=value)
    return reverse(name, args=value or [])


def expected(name, role):
    rule = TABLE[name]
    if isinstance(rule, int):
        return rule
    return rule.get(role, rule.get("*"))


def test_each_role_gets_the_declared_status(client, world):
    wrong = []
    for role in ROLES:
        user = world["users"][role]
        for name in sorted(n for n in TABLE if not n.startswith("admin:")):
            client.logout()
            if user is not None:
                client.force_login(user)
            status = client.get(url_for(name, world["args"])).status_code
            if status != expected(name, role):
                wrong.append(f"{role} GET {name}: {status}, attendu {expected(name, role)}")
    assert wrong == []


def test_the_admin_sites_own_views_answer_as_declared(client, world):
    """Staff sign in with their second factor, as the admin requires (once per role: a
    TOTP code is accepted once)."""
    wrong = []
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user is not None and user.is_staff:
            staff_login(client, user)
        elif user is not None:
            client.force_login(user)
        for name in site_view_names():
            status = client.get(reverse(name)).status_code
            if status != expected(name, role):
                wrong.append(f"{role} GET {name}: {status}, attendu {expected(name, role)}")
    assert wrong == []


def test_posting_on_someone_elses_object_is_404_and_changes_nothing(client, world):
    args = dict(world["args"])
    for name, roles in FOREIGN_POSTS.items():
        for role in roles:
            if role == "landlord_x_not_forwarded":
                client.force_login(world["users"]["landlord_x"])
                url = reverse(name, args=[world["hidden"].pk])
            else:
                client.force_login(world["users"][role])
                url = url_for(name, args)
            assert (
                client.post(
                    url, {"decision": "refuse", "reason": "x", "committee_on": "2026-01-01"}
                ).status_code
                == 404
            ), (name, role)
    world["candidature"].refresh_from_db()
    world["offer"].refresh_from_db()
    assert world["candidature"].status == Status.FORWARDED
    assert world["offer"].status == "publiee" and world["offer"].photos.count() == 1
    assert SearchAlert.objects.filter(pk=world["alert"].pk).exists()
    assert world["users"]["landlord_x"].landlord_membership.is_admin
    assert not LandlordApiKey.objects.filter(revoked=True).exists()
    assert world["users"]["company"].company_membership.is_admin
    demande = world["candidature"].demande
    demande.refresh_from_db()
    assert not demande.company_designation and not Access.objects.filter(kind="acte").exists()


def test_only_advisors_enter_the_admin(client, world):
    for role in ROLES:
        client.logout()
        user = world["users"][role]
        if user is not None and user.is_staff:
            staff_login(client, user)  # the admin asks staff for their second factor
        elif user is not None:
            client.force_login(user)
        status = client.get("/admin/").status_code
        assert status == (200 if role == "advisor" else 302), role


# The API, called with landlord X's key, landlord Y's key, X's revoked key or no key:
# (method, URL name, body) → status for each caller, run in this order.
API_CALLERS = ["no_key", "key_y", "revoked_x", "key_x"]
API_TABLE = [
    ("GET", "api:offer-list", None, {"*": 401, "key_x": 200, "key_y": 200}),
    ("GET", "api:offer-detail", None, {"*": 401, "key_x": 200, "key_y": 404}),
    ("PATCH", "api:offer-detail", {"loyer": "460"}, {"*": 401, "key_x": 200, "key_y": 404}),
    ("POST", "api:offer-publish", None, {"*": 401, "key_x": 409, "key_y": 404}),
    ("POST", "api:offer-photos", {}, {"*": 401, "key_x": 415, "key_y": 404}),  # JSON: 415
    ("GET", "api:candidature-list", None, {"*": 401, "key_x": 200, "key_y": 200}),
    ("GET", "api:candidature-detail", None, {"*": 401, "key_x": 200, "key_y": 404}),
    ("GET", "api:candidature-pdf", None, {"*": 401, "key_x": 200, "key_y": 404}),
    ("POST", "api:candidature-visit", {}, {"*": 401, "key_x": 400, "key_y": 404}),
    ("POST", "api:candidature-decision", {}, {"*": 401, "key_x": 400, "key_y": 404}),
    ("POST", "api:candidature-lease", {}, {"*": 401, "key_x": 400, "key_y": 404}),
    ("POST", "api:offer-close", None, {"*": 401, "key_x": 200, "key_y": 404}),
]


def test_every_api_url_is_in_the_api_table():
    names = {name for name in url_names() if name.startswith("api:")} - {"api:schema", "api:docs"}
    assert names == {name for _, name, _, _ in API_TABLE}


def test_each_api_key_gets_the_declared_status_and_another_landlords_key_404(world):
    from rest_framework.test import APIClient

    x = world["users"]["landlord_x"].landlord_membership
    y = world["users"]["landlord_y"].landlord_membership
    secrets = {
        "no_key": None,
        "key_x": api_services.create_key(landlord=x.landlord, name="X", by=x.user)[1],
        "key_y": api_services.create_key(landlord=y.landlord, name="Y", by=y.user)[1],
    }
    revoked, secrets["revoked_x"] = api_services.create_key(
        landlord=x.landlord, name="X révoquée", by=x.user
    )
    api_services.revoke_key(key=revoked)
    args = {
        name: [world["offer"].pk] if name.startswith("api:offer-") else [world["candidature"].pk]
        for _, name, _, _ in API_TABLE
    }
    args["api:offer-list"] = args["api:candidature-list"] = []
    wrong = []
    for method, name, body, rule in API_TABLE:
        for caller in API_CALLERS:
            client = APIClient()
            if secrets[caller]:
                client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secrets[caller]}")
            url = reverse(name, args=args[name])
            response = getattr(client, method.lower())(url, body, format="json")
            want = rule.get(caller, rule["*"])
            if response.status_code != want:
                wrong.append(f"{caller} {method} {name}: {response.status_code}, attendu {want}")
            if caller == "key_y" and method == "GET" and name.endswith("-list"):
                assert response.json()["results"] == [], name
    assert wrong == []
    # Landlord X's key never sees a candidature that was not forwarded.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secrets['key_x']}")
    url = reverse("api:candidature-detail", args=[world["hidden"].pk])
    assert client.get(url).status_code == 404
