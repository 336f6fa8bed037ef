"""French everywhere advisors look: an advisor (the advisors' group, not a superuser)
walks every changelist, change page and history page of the admin they can reach, and
no label, column header, filter, inline title or action is English or a machine name."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import camel_case_to_spaces

from accounts.models import User
from accounts.roles import apply_role
from api import services as api_services
from api.models import ApiCall
from candidatures import services
from candidatures.workflow import Role
from core.models import ContactMessage
from demandes.models import AccessCode, DataSharingChange, Demande
from entreprises.models import Access, Designation
from offres.models import AlertDelivery, Residence, SearchAlert
from tests.accounts.factories import UserFactory, staff_login
from tests.admin_site import site_view_urls
from tests.demandes.factories import DemandeFactory, registry_record
from tests.entreprises.factories import CompanyFactory
from tests.offres.factories import OfferFactory

pytestmark = pytest.mark.django_db

# Model and field names that are also French words: their default label is French.
FRENCH_NAMES = {
    "candidature",
    "type",  # allauth.mfa's Authenticator.type (superusers only): a French word too
    "notification",
    "commune",
    "message",
    "description",
    "position",
    "population",
    "code",
    "zone",
    "source",
    "transition",
    "demande",
    "photo",
    "email",
    "siret",
    "siren",
    "id",
}
# Words that give an English label away (whole words, lower case).
ENGLISH_WORDS = {
    "alert",
    "at",
    "by",
    "changed",
    "choice",
    "created",
    "delivery",
    "deliverys",
    "failed",
    "historical",
    "landlord",
    "name",
    "offer",
    "reason",
    "sent",
    "status",
    "the",
    "token",
    "updated",
    "user",
}


class Labels(HTMLParser):
    """The texts an advisor reads as labels: column headers, field labels, fieldset,
    inline and filter titles, the actions' names."""

    TAGS = {"th", "label", "h2", "h3", "legend", "caption"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.found = []
        self.in_action_select = False
        self.text = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if tag == "select" and attrs.get("name") == "action":
            self.in_action_select = True
        if tag in self.TAGS or (tag == "option" and self.in_action_select):
            self.stack.append([tag, ""])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1
        if tag == "select":
            self.in_action_select = False
        if self.stack and self.stack[-1][0] == tag:
            _, text = self.stack.pop()
            text = re.sub(r"\s+", " ", text).strip(" :")
            if text:
                self.found.append(text)

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)
        for entry in self.stack:
            entry[1] += data


def machine_names():
    """The labels Django makes up when a model or field has no French name."""
    names = set()
    for model in all_admin_models():
        opts = model._meta
        default = camel_case_to_spaces(opts.object_name)
        if default not in FRENCH_NAMES:
            names |= {default, default + "s"}
        for field in opts.get_fields():
            if hasattr(field, "verbose_name") and field.name not in FRENCH_NAMES:
                names.add(field.name.replace("_", " "))
    return names


def all_admin_models():
    models = set()
    for model, model_admin in admin.site._registry.items():
        models.add(model)
        models |= {inline.model for inline in model_admin.inlines}
    return models


def english(label, machine):
    low = label.lower()
    return "_" in label or low in machine or bool(set(re.findall(r"[a-z]+", low)) & ENGLISH_WORDS)


@pytest.fixture
def advisor():
    user = UserFactory(role=User.Role.ADVISOR, is_staff=True)
    apply_role(user)
    assert not user.is_superuser
    return user


@pytest.fixture
def everything(advisor, ceilings):
    """At least one object of every model advisors reach in the admin."""
    offer = OfferFactory()
    demande = DemandeFactory(
        communes=[offer.commune],
        civility=User.Civility.MADAME,
        co_applicant={
            "civilite": "M",
            "nom_naissance": "MARTIN",
            "prenom": "Paul",
            "date_naissance": "1988-02-01",
        },
        household_members=[
            {
                "role": "demandeur",
                "prenom": "Anne",
                "nom_naissance": "DURAND",
                "date_naissance": "1990-05-17",
            }
        ],
        documents=["identite", "avis_imposition_n2"],
    )
    DataSharingChange.objects.create(demande=demande, choice=Demande.DataSharing.IDENTITY)
    candidature = services.apply(user=demande.user, offer=offer, demande=demande)
    services.transition(
        candidature, "invalidate", actor=advisor, role=Role.ADVISOR, reason="Pièces manquantes"
    )
    ContactMessage.objects.create(
        name="Anne Durand", email="anne@example.org", subject="autre", message="Bonjour"
    )
    AccessCode.objects.create(
        user=demande.user,
        number=demande.number,
        code_hash="x",
        expires_at=timezone.now() + timedelta(days=1),
    )
    registry_record()
    Residence.objects.create(
        landlord=offer.landlord, name="Les Tilleuls", address="1 rue Haute", commune=offer.commune
    )
    alert = SearchAlert.objects.create(user=demande.user, query="commune=93", label="93")
    AlertDelivery.objects.create(alert=alert, offer=offer)
    LogEntry.objects.log_actions(advisor.pk, [candidature], 2, change_message="Test")
    company = CompanyFactory()
    Designation.objects.create(company=company, demande=demande, year=2026)
    Access.objects.create(
        applicant=demande.user,
        reader_name="Léa RH",
        company=company,
        company_name=company.name,
        level=Demande.DataSharing.IDENTITY,
        kind=Access.Kind.DETAIL,
    )
    key, _ = api_services.create_key(landlord=offer.landlord, name="Logiciel", by=None)
    ApiCall.objects.create(
        key=key,
        landlord=offer.landlord,
        method="GET",
        path="/api/v1/offres/",
        endpoint="offres",
        status=200,
    )


def test_every_admin_page_an_advisor_reaches_is_in_french(client, advisor, everything):
    request = RequestFactory().get("/admin/")
    request.user = advisor
    staff_login(client, advisor)
    machine = machine_names()
    problems, visited = [], 0
    # The index (the work queue) and the views of the site itself (the team's workload).
    urls = [reverse("admin:index"), *site_view_urls()]
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        # What the advisor reaches (staff accounts, for one, are out of reach).
        obj = model_admin.get_queryset(request).first()
        assert obj is not None, f"the walk has no {opts.label}: add one to `everything`"
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/csv"):  # an export's headers too
            rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
            problems += [(url, cell) for row in rows for cell in row if english(cell, machine)]
            visited += 1
            continue
        parser = Labels()
        parser.feed(response.content.decode())
        text = " ".join(parser.text)
        json = re.search(r"\[[\d\", ]*\]|\{\"|\[\{", text)
        assert not json, (url, text[json.start() - 200 : json.end() + 100])
        problems += [(url, label) for label in parser.found if english(label, machine)]
        visited += 1
    assert visited >= 45
    assert reverse("admin:workload") in urls
    assert not problems, problems


def test_the_walk_would_catch_a_default_label():
    machine = machine_names()
    assert english("Alert deliverys", machine)
    assert english("CREATED AT", machine)
    assert english("from status", machine)
    assert english("household_members", machine)
    assert not english("Date limite de candidature", machine)
