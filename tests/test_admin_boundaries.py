"""An advisor (staff, advisors' group, not superuser) never gains more power through the
admin: the walk signs in as a real advisor and tries every admin URL of every
registered model (a model added later is walked too), then checks that no staff account,
role, password, verified address or workflow state changed."""

import json
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from candidatures import services as candidature_services
from candidatures.models import Candidature
from candidatures.workflow import Role, Status
from core.models import ContactMessage
from demandes.models import AccessCode, Demande, RegistryRecord
from offres.models import Offer, SearchAlert
from tests.accounts.factories import (
    AdvisorFactory,
    LandlordUserFactory,
    SuperuserFactory,
    UserFactory,
    staff_login,
)
from tests.admin_site import site_view_urls
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory, registry_record
from tests.offres.factories import LandlordMembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pirate2026xyz"
# Sent with every form the walk posts, whatever the page: what an attacker would add.
ALWAYS = {
    "role": User.Role.ADVISOR,
    "is_staff": "on",
    "is_superuser": "on",
    "is_active": "on",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
    "usable_password": "true",
    "verified": "on",
    "primary": "on",
}
OBJECTS_PER_MODEL = 3


class FormFields(HTMLParser):
    """The fields of a page's POST forms, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image"):
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


def snapshot():
    """What an advisor must never be able to change."""
    staff = User.objects.filter(is_staff=True) | User.objects.filter(is_superuser=True)
    staff = staff | User.objects.filter(role=User.Role.ADVISOR)
    return {
        "staff accounts": {
            u.pk: (
                u.email,
                u.password,
                u.role,
                u.is_staff,
                u.is_superuser,
                u.is_active,
                tuple(sorted(u.groups.values_list("pk", flat=True))),
            )
            for u in staff.distinct()
        },
        "roles": dict(User.objects.values_list("pk", "role")),
        # A changed address would receive the account's password-reset link.
        "emails": dict(User.objects.values_list("pk", "email")),
        "passwords": dict(User.objects.values_list("pk", "password")),
        "addresses": set(
            EmailAddress.objects.values_list("user_id", "email", "verified", "primary")
        ),
        "second factors": {
            (user_id, kind, json.dumps(data, sort_keys=True))
            for user_id, kind, data in Authenticator.objects.values_list("user_id", "type", "data")
        },
        "candidatures": dict(Candidature.objects.values_list("pk", "status")),
        "offers": dict(Offer.objects.values_list("pk", "status")),
        "requests": set(Demande.objects.values_list("pk", flat=True)),
    }


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    superuser = SuperuserFactory(email="technique@alin.example")
    colleague = AdvisorFactory(email="collegue@alin.example")
    advisor = AdvisorFactory(email="conseiller@alin.example")
    membership = LandlordMembershipFactory()
    offer = OfferFactory(landlord=membership.landlord)
    offer.photos.create(image="demo/facade-0.jpg", thumbnail="demo/facade-0.jpg")
    demande = DemandeFactory(information_confirmed_at=timezone.now())
    candidature = CandidatureFactory(demande=demande, offer=offer)
    with django_capture_on_commit_callbacks(execute=True):
        # A history with an earlier state to go back to.
        candidature_services.transition(candidature, "validate", actor=colleague, role=Role.ADVISOR)
    unverified = UserFactory(email="nouvelle@example.org", verified_email=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    LandlordUserFactory()
    SearchAlert.objects.create(user=demande.user, query="lieu=93", label="93")
    ContactMessage.objects.create(
        name="Jean", email="jean@example.org", subject="autre", message="Bonjour"
    )
    registry_record()
    AccessCode.objects.create(
        user=demande.user,
        number=demande.number,
        code_hash="x",
        expires_at=timezone.now(),
    )
    LogEntry.objects.create(user=superuser, action_flag=1, object_repr="x")
    return {"advisor": advisor, "superuser": superuser, "colleague": colleague}


def admin_urls(model, model_admin):
    """Every URL of a registered model: list, add, and per object change, delete,
    history, each past version, and the password form of accounts."""
    info = (model._meta.app_label, model._meta.model_name)

    def url(name, *args):
        try:
            return reverse(f"admin:{info[0]}_{info[1]}_{name}", args=args)
        except NoReverseMatch:
            return None

    urls = [url("changelist"), url("add")]
    objects = model._default_manager.all()
    if model not in (User, EmailAddress):
        objects = objects[:OBJECTS_PER_MODEL]
    for obj in objects:
        for name in ("change", "history", "password"):
            urls.append(url(name, obj.pk))
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            for version in history.model.objects.filter(**{model._meta.pk.attname: obj.pk}):
                urls.append(url("simple_history", obj.pk, version.history_id))
    deletes = [url("delete", obj.pk) for obj in objects]
    return [u for u in urls if u], [u for u in deletes if u]


def attack(data, response):
    """The page's own form, plus what would give more power."""
    data = {**data, **ALWAYS}
    if "status" in data:
        choices = response.context and response.context.get("adminform")
        field = choices.form.fields.get("status") if choices else None
        if field is not None:
            other = [v for v, _ in field.choices if v and v != data["status"]]
            data["status"] = other[0] if other else data["status"]
    if "user" in data:
        data["user"] = ""  # replaced below with a staff account
    return data


def call(method, url, *args):
    """A failure names the URL (an admin page may break, e.g. on a queryset)."""
    try:
        return method(url, *args)
    except Exception as exc:
        raise AssertionError(f"{method.__name__.upper()} {url}: {exc!r}") from exc


def test_an_advisor_cannot_gain_power_through_any_admin_url(client, world):
    staff_login(client, world["advisor"])
    before = snapshot()
    staff_pk = str(world["colleague"].pk)
    reached, changed = [], []
    pages, deletes = [], []
    for model, model_admin in admin.site._registry.items():
        urls, model_deletes = admin_urls(model, model_admin)
        pages += urls
        deletes += model_deletes
    pages += site_view_urls()  # the views of the site itself (the team's workload)
    # The row deletions last, so that every other page had its objects.
    for url in pages + deletes:
        page = call(client.get, url)
        assert page.status_code in (200, 302, 403, 404), (url, page.status_code)
        if page.status_code != 200:
            continue
        reached.append(url)
        own = form_data(page)
        data = attack(own, page)
        if "user" in data:
            data["user"] = staff_pk
        if url.endswith("/add/") and "email" in data:
            data["email"] = "pirate@example.org"
        if url.endswith("/delete/"):
            data["post"] = "yes"
        attempts = [data]
        if "email" in own and not url.endswith("/add/"):
            # A valid form with only the address changed (the escalation above would make
            # the form invalid): the attacker's address, then a password-reset link.
            attempts.append({**own, "email": "pirate@example.org"})
        for data in attempts:
            response = call(client.post, url, data)
            assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
            after = snapshot()
            if after != before:
                changed.append(url)
                differences = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                changed.append(differences)
                before = after
    assert changed == []
    # The walk really went through the pages an advisor works in.
    candidature = Candidature.objects.get()
    assert reverse("admin:candidatures_candidature_change", args=[candidature.pk]) in reached
    assert any("/history/" in u and "candidature" in u for u in reached)
    assert reverse("admin:accounts_user_changelist") in reached
    assert reverse("admin:workload") in reached
    assert candidature.status == Status.VALIDATED


def test_advisors_see_staff_accounts_and_their_addresses_nowhere(client, world):
    staff_login(client, world["advisor"])
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    addresses = client.get(reverse("admin:account_emailaddress_changelist")).content.decode()
    for email in ("technique@alin.example", "collegue@alin.example"):
        assert email not in users
        assert email not in addresses
    colleague = world["colleague"]
    assert client.get(reverse("admin:accounts_user_change", args=[colleague.pk])).status_code in (
        302,
        404,
    )


def test_an_advisor_sends_a_password_link_but_sets_no_password(client, world, mailoutbox):
    applicant = UserFactory(email="zoe@example.org")
    staff_login(client, world["advisor"])
    page = client.get(reverse("admin:accounts_user_change", args=[applicant.pk]))
    assert "password/" not in page.content.decode()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[applicant.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert not applicant.check_password(NEW_PASSWORD)


def test_an_advisor_cannot_redirect_an_applicants_address(client, world, mailoutbox):
    """Changing an applicant's address then sending a reset link would hand the account
    over: the address is the owner's to change (with their password)."""
    applicant = UserFactory(email="zoe@example.org")
    staff_login(client, world["advisor"])
    url = reverse("admin:accounts_user_change", args=[applicant.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    data = {**form_data(page), "email": "pirate@example.org"}
    client.post(url, data)
    applicant.refresh_from_db()
    assert applicant.email == "zoe@example.org"
    assert not EmailAddress.objects.filter(email="pirate@example.org").exists()


def test_only_superusers_give_or_take_the_advisor_role(client, world):
    staff_login(client, world["advisor"])
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert f'value="{User.Role.ADVISOR}"' not in page
    assert f'value="{User.Role.LANDLORD}"' in page
    client.post(
        reverse("admin:accounts_user_add"),
        {"email": "ami@alin.example", "role": User.Role.ADVISOR, "civility": User.Civility.MADAME},
    )
    assert not User.objects.filter(email="ami@alin.example").exists()


def test_the_history_of_a_candidature_is_readable_but_not_restorable(client, world):
    candidature = Candidature.objects.get()
    first = candidature.history.earliest()
    assert first.status == Status.SUBMITTED
    staff_login(client, world["superuser"])  # not even a superuser restores a state
    url = reverse(
        "admin:candidatures_candidature_simple_history", args=[candidature.pk, first.history_id]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "Revert" not in page.content.decode() and "Rétablir" not in page.content.decode()
    assert client.post(url, {}).status_code == 403
    candidature.refresh_from_db()
    assert candidature.status == Status.VALIDATED


def test_advisors_do_not_browse_the_registry_copy_nor_access_code_hashes(client, world):
    record = RegistryRecord.objects.get()
    code = AccessCode.objects.get()
    urls = [
        reverse("admin:demandes_registryrecord_changelist"),
        reverse("admin:demandes_registryrecord_change", args=[record.pk]),
        reverse("admin:demandes_accesscode_changelist"),
        reverse("admin:demandes_accesscode_change", args=[code.pk]),
    ]
    staff_login(client, world["advisor"])
    assert [client.get(url).status_code for url in urls] == [403] * 4
    index = client.get(reverse("admin:index")).content.decode()
    assert "registryrecord" not in index and "accesscode" not in index

    staff_login(client, world["superuser"])
    assert [client.get(url).status_code for url in urls] == [200] * 4
