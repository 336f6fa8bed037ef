"""The benchmark's data (``manage.py seed_volume``, run by ``make bench``): a tiny volume
seeded on PostgreSQL is valid for every model it writes, and the pages the benchmark
measures render on it. A column added to a model without a value in the seeding stops
the command with the field's name instead of breaking ``make bench`` later."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from candidatures.management.commands.seed_volume import PROJECT_APPS, Table
from candidatures.models import AllocationOutcome, Candidature
from demandes import records
from demandes.models import Demande, RegistryRecord
from demandes.validity import Validity
from offres.models import Offer
from territoires.models import Commune, Department
from tests.territoires.factories import CommuneFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

VOLUME = {
    "offers": 80,
    "requests": 120,
    "candidatures": 200,
    "bench_users": 6,
    "landlords": 4,
}


@pytest.fixture
def seeded(postgres, ceilings):
    seine = DepartmentFactory()
    gironde = DepartmentFactory(code="33", name="Gironde", region_code="75")
    for code, name, population, department in [
        ("93070", "Saint-Ouen-sur-Seine", 51000, seine),
        ("93001", "Aubervilliers", 89000, seine),
        ("93066", "Saint-Denis", 113000, seine),
        ("33063", "Bordeaux", 260000, gironde),
        ("33281", "Mérignac", 72000, gironde),
    ]:
        CommuneFactory(
            insee_code=code,
            name=name,
            postal_code=code[:2] + "000",
            population=population,
            department=department,
        )
    out = io.StringIO()
    call_command("seed_volume", reset=True, stdout=out, **VOLUME)
    return out.getvalue()


def seeded_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS and model.objects.exists()
    ]


def test_every_seeded_row_is_valid_for_its_model(seeded):
    assert Offer.objects.count() == VOLUME["offers"]
    assert Demande.objects.count() == VOLUME["requests"]
    assert Candidature.objects.count() == VOLUME["candidatures"]
    written = {model._meta.label for model in seeded_models()}
    assert {
        "accounts.User",
        "demandes.RegistryRecord",
        "demandes.Demande",
        "demandes.CoApplicant",
        "demandes.AlsNumber",
        "demandes.DataSharingChange",
        "offres.Landlord",
        "offres.Residence",
        "offres.Offer",
        "candidatures.Candidature",
        "candidatures.CandidatureEvent",
        "candidatures.Notification",
        "candidatures.AllocationOutcome",
    } <= written
    # Field by field as the admin's forms would check them: choices, lengths,
    # validators, unique and check constraints.
    for model in seeded_models():
        if model._meta.auto_created:
            continue
        for row in model.objects.all():
            row.full_clean()
    # The registry's copy is a record the import accepts.
    communes = set(Commune.objects.values_list("pk", flat=True))
    departments = set(Department.objects.values_list("pk", flat=True))
    for record in RegistryRecord.objects.all():
        assert records.check_record(record.data, communes, departments) == []
    # Each candidature's state is reached through its events, the last one its state.
    for candidature in Candidature.objects.prefetch_related("events"):
        events = list(candidature.events.all())
        assert events[0].from_status == ""
        assert events[-1].to_status == candidature.status
    assert (
        AllocationOutcome.objects.count()
        == Offer.objects.filter(status=Offer.Status.ALLOCATED).count()
    )


def test_the_bench_applicants_can_apply_and_the_measured_pages_render(seeded, client):
    today = timezone.localdate()
    for n in range(1, VOLUME["bench_users"] + 1):
        user = User.objects.get(email=f"bench-{n}@alin.example")
        assert user.demande.validity == Validity.VALID
        assert user.demande.can_apply
        assert not Candidature.objects.active().of_applicant(user).exists()
    user = User.objects.get(email="bench-1@alin.example")
    offer = Offer.objects.open_to(user.demande).first()
    assert offer is not None and offer.deadline >= today

    anonymous = [
        "/",
        "/ping",
        "/offres/?typologie=2&typologie=3&loyer_max=900&tri=date_limite",
        f"/offres/{offer.pk}/",
        "/resultats-des-attributions/",
    ]
    for path in anonymous:
        assert client.get(path).status_code == 200, path
    client.force_login(user)
    for path in ["/offres/", "/ma-situation/", "/candidatures/", f"/offres/{offer.pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert f"/offres/{offer.pk}/" in client.get("/offres/").content.decode()


def test_a_required_column_without_a_value_stops_the_seeding_with_its_name():
    with pytest.raises(CommandError, match=r"offres\.Offer\.landlord_id"):
        Table(Offer, {"id", "title"})
