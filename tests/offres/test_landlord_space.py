"""The landlord space: own offers only, publish and close, photos, import, tasks, alerts."""

import datetime
import json
from decimal import Decimal
from html import unescape
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from offres import services
from offres.models import AlertDelivery, Offer, SearchAlert
from tests.accounts.factories import AdvisorFactory, UserFactory, staff_login
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def staff(client):
    membership = LandlordMembershipFactory()
    client.force_login(membership.user)
    return membership


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def jpeg(size=(800, 600), name="facade.jpg"):
    buffer = BytesIO()
    Image.new("RGB", size, (120, 160, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_landlord_creates_publishes_and_closes_an_offer(client, staff):
    CommuneFactory()
    today = timezone.localdate()
    response = client.post(
        "/bailleur/offres/nouvelle/",
        {
            "reference": "R-1",
            "title": "T2 lumineux",
            "description": "Proche métro",
            "kind": "appartement",
            "typology": "2",
            "surface": "43",
            "floor": "1",
            "rent": "450",
            "charges": "50",
            "financing": "PLUS",
            "energy_class": "C",
            "climate_class": "D",
            "address": "1 rue de Paris",
            "commune_code": "93400",
            "available_from": str(today + datetime.timedelta(days=30)),
            "deadline": str(today + datetime.timedelta(days=15)),
        },
    )
    offer = Offer.objects.get(reference="R-1")
    assert offer.status == Offer.Status.DRAFT and offer.landlord == staff.landlord
    assert response.url == f"/bailleur/offres/{offer.pk}/photos/"
    client.post(f"/bailleur/offres/{offer.pk}/publier/")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED and offer.published_at
    page = text(client.get("/bailleur/"))
    assert "T2 lumineux" in page and "Publiée" in page
    client.post(f"/bailleur/offres/{offer.pk}/cloturer/")
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED


def test_an_invalid_offer_is_refused_with_french_errors(client, staff):
    response = client.post(
        "/bailleur/offres/nouvelle/",
        {
            "title": "",
            "typology": "9",
            "surface": "-3",
            "rent": "x",
            "commune_code": "00000",
        },
    )
    page = text(response)
    assert "Ce champ est obligatoire." in page
    assert "Aucune commune ne correspond à « 00000 »." in page
    assert not Offer.objects.exists()


def test_another_landlords_offer_is_not_found(client, staff):
    foreign = OfferFactory(title="Offre d'un autre bailleur")
    for url in (
        f"/bailleur/offres/{foreign.pk}/modifier/",
        f"/bailleur/offres/{foreign.pk}/photos/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/bailleur/offres/{foreign.pk}/cloturer/").status_code == 404
    assert "Offre d'un autre bailleur" not in text(client.get("/bailleur/"))
    foreign.refresh_from_db()
    assert foreign.status == Offer.Status.PUBLISHED


def test_the_landlord_space_is_closed_to_applicants(client):
    client.force_login(UserFactory())
    assert client.get("/bailleur/").status_code == 404


def test_photos_are_checked_re_encoded_and_thumbnailed(client, staff):
    offer = OfferFactory(landlord=staff.landlord)
    client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": jpeg(), "alt": "Façade"})
    photo = offer.photos.get()
    assert photo.image.name.endswith(".jpg") and "facade" not in photo.image.name
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (480, 360)

    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    page = text(client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": fake}))
    assert "Ce fichier n'est pas une image valide" in page

    big = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    page = text(client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": big}))
    assert "La photo est trop lourde" in page
    assert offer.photos.count() == 1


def test_several_photos_are_uploaded_at_once(client, staff):
    offer = OfferFactory(landlord=staff.landlord)
    response = client.post(
        f"/bailleur/offres/{offer.pk}/photos/",
        {"image": [jpeg(name="salon.jpg"), jpeg(name="cuisine.jpg"), jpeg(name="vue.jpg")]},
        follow=True,
    )
    assert "3 photos ont été ajoutées." in text(response)
    assert [p.position for p in offer.photos.all()] == [0, 1, 2]
    assert len({p.image.name for p in offer.photos.all()}) == 3


def test_one_bad_file_among_several_saves_none_and_names_the_file(client, staff):
    offer = OfferFactory(landlord=staff.landlord)
    fake = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 not an image", content_type="image/jpeg")
    page = text(client.post(f"/bailleur/offres/{offer.pk}/photos/", {"image": [jpeg(), fake]}))
    assert "plan.pdf : Ce fichier n'est pas une image valide" in page
    assert not offer.photos.exists()


def test_import_offres_validates_and_is_idempotent(tmp_path, staff):
    CommuneFactory()
    good = {
        "siren_bailleur": staff.landlord.siren,
        "reference": "IMP-1",
        "titre": "T3 familial",
        "typologie": 3,
        "surface": 62,
        "loyer": 610,
        "charges": 80,
        "financement": "PLUS",
        "adresse": "3 rue Pasteur",
        "commune_insee": "93070",
        "disponible_le": in_days(50),
        "date_limite": in_days(40),
        "dpe": "C",
        "ges": "D",
    }
    records = [
        good,
        {**good, "reference": "IMP-2", "typologie": 9, "commune_insee": "00000"},
        {**good, "siren_bailleur": "123456789"},
    ]
    path = tmp_path / "offres.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_offres", str(path), stdout=out, stderr=err)
    assert "3 offre(s) lue(s) : 1 créée(s), 0 mise(s) à jour, 2 refusée(s)." in out.getvalue()
    assert "Offre 2 (IMP-2) : commune inconnue (00000) ; typologie invalide" in err.getvalue()
    assert "commune inconnue (00000)" in err.getvalue()
    assert "SIREN invalide (123456789)" in err.getvalue()
    published_at = Offer.objects.get(reference="IMP-1").published_at
    path.write_text(json.dumps([{**good, "loyer": 620}]), encoding="utf-8")
    call_command("import_offres", str(path), stdout=StringIO(), stderr=StringIO())
    offer = Offer.objects.get(reference="IMP-1")
    assert offer.rent == Decimal("620") and offer.published_at == published_at
    assert Offer.objects.count() == 1


def test_import_offres_reports_each_malformed_field_and_imports_the_rest(tmp_path, staff):
    CommuneFactory()
    good = {
        "siren_bailleur": staff.landlord.siren,
        "reference": "IMP-1",
        "titre": "T3 familial",
        "typologie": 3,
        "surface": 62,
        "loyer": 610,
        "charges": 80,
        "financement": "PLUS",
        "adresse": "3 rue Pasteur",
        "commune_insee": "93070",
        "disponible_le": in_days(50),
        "date_limite": in_days(40),
    }
    records = [
        {**good, "reference": "A", "etage": "deux", "ascenseur": "false"},
        {**good, "reference": "B", "surface": 12000, "loyer": True, "titre": ["T3"]},
        {**good, "reference": "C" * 51, "date_limite": "2020-01-01"},
        {**good, "reference": "D", "pmr": True, "etage": 3},
        "pas un objet",
    ]
    path = tmp_path / "offres.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_offres", str(path), stdout=out, stderr=err)
    report = err.getvalue()
    assert "etage invalide ('deux', nombre entier de -5 à 60)" in report
    assert "ascenseur invalide ('false', true ou false)" in report
    assert "surface invalide (12000)" in report and "loyer invalide (True)" in report
    assert "titre : texte attendu" in report
    assert "reference trop long (50 caractères au plus)" in report
    assert "date_limite passée pour une offre à publier" in report
    assert "Offre 5 (?) : objet JSON attendu" in report
    assert "5 offre(s) lue(s) : 1 créée(s), 0 mise(s) à jour, 4 refusée(s)." in out.getvalue()
    [offer] = Offer.objects.all()
    assert (offer.reference, offer.reduced_mobility, offer.floor) == ("D", True, 3)


def test_import_offres_leaves_an_allocated_offer_alone(tmp_path, staff):
    offer = OfferFactory(landlord=staff.landlord, reference="IMP-9", status="attribuee")
    record = {
        "siren_bailleur": staff.landlord.siren,
        "reference": "IMP-9",
        "titre": "Nouveau titre",
        "typologie": 2,
        "surface": 40,
        "loyer": 500,
        "charges": 50,
        "financement": "PLUS",
        "adresse": "1 rue",
        "commune_insee": offer.commune_id,
        "disponible_le": in_days(50),
        "date_limite": in_days(40),
    }
    path = tmp_path / "offres.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    err = StringIO()
    call_command("import_offres", str(path), stdout=StringIO(), stderr=err)
    assert "offre déjà attribuée, non modifiée" in err.getvalue()
    offer.refresh_from_db()
    assert offer.title != "Nouveau titre"


def test_offers_past_their_deadline_are_closed_by_the_task(django_capture_on_commit_callbacks):
    from offres.tasks import close_expired_offers

    past = OfferFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    current = OfferFactory()
    assert close_expired_offers.delay().get() == 1
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.status, current.status) == (Offer.Status.CLOSED, Offer.Status.PUBLISHED)


def test_the_closing_task_leaves_a_trace_in_the_offers_history():
    past = OfferFactory(deadline=timezone.localdate() - datetime.timedelta(days=1))
    services.close_expired_offers()
    last = past.history.latest()
    assert last.status == Offer.Status.CLOSED
    assert last.history_change_reason == "Date limite de candidature dépassée"


def test_an_advisor_closes_offers_in_bulk_from_the_admin(client):
    advisor = AdvisorFactory()
    staff_login(client, advisor)
    published = OfferFactory.create_batch(2)
    draft = OfferFactory(status=Offer.Status.DRAFT, published_at=None)
    response = client.post(
        "/admin/offres/offer/",
        {
            "action": "close_offers",
            "_selected_action": [o.pk for o in [*published, draft]],
        },
        follow=True,
    )
    assert "2 offre(s) clôturée(s)." in text(response)
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert [statuses[o.pk] for o in published] == [Offer.Status.CLOSED] * 2
    assert statuses[draft.pk] == Offer.Status.DRAFT
    assert published[0].history.latest().history_user == advisor


def test_an_alert_sends_a_new_matching_offer_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    saint_ouen = CommuneFactory()
    client.post("/offres/alertes/creer/", {"query": "lieu=93&typologie=2&page=4"})
    alert = SearchAlert.objects.get(user=user)
    assert alert.query == "typologie=2&lieu=93"
    OfferFactory(commune=saint_ouen, title="Nouveau T2")
    OfferFactory(commune=saint_ouen, typology=4, surface=Decimal("80"))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_alert_digests(now) == 1
        assert services.send_alert_digests(now + datetime.timedelta(days=2)) == 0
    [mail] = mailoutbox
    assert "T2 | Saint-Ouen-sur-Seine (93400)" in mail.body
    assert AlertDelivery.objects.count() == 1

    OfferFactory(commune=saint_ouen, title="Autre T2", rent=Decimal("520"))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_alert_digests(now + datetime.timedelta(days=3)) == 1
        # One digest a day at most, even when another offer arrives in between.
        OfferFactory(commune=saint_ouen, title="Troisième T2")
        assert services.send_alert_digests(now + datetime.timedelta(days=3, hours=5)) == 0
    second = mailoutbox[1]
    assert "Autre T2" in second.body and "Nouveau T2" not in second.body
    assert AlertDelivery.objects.count() == 2
    unsubscribe = mail.body.split("Pour ne plus recevoir cette alerte : ")[1].split()[0]
    client.logout()
    path = unsubscribe.split("8000", 1)[1]
    assert "Me désabonner" in text(client.get(path))
    client.post(path)
    assert not SearchAlert.objects.exists()


def test_alerts_are_listed_and_deleted_by_their_owner_only(client):
    alert = SearchAlert.objects.create(user=UserFactory(), query="lieu=93", label="93")
    client.force_login(UserFactory())
    assert client.post(f"/offres/alertes/{alert.pk}/supprimer/").status_code == 404
    client.force_login(alert.user)
    assert "93" in text(client.get("/offres/alertes/"))
    client.post(f"/offres/alertes/{alert.pk}/supprimer/")
    assert not SearchAlert.objects.exists()


def test_a_corrupt_offers_file_changes_nothing(tmp_path):
    from django.core.management import CommandError

    OfferFactory()
    path = tmp_path / "offres.json"
    path.write_bytes(b'\xff\xfe[{"titre"')
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_offres", str(path))
    path.write_text('{"pas": "une liste"}', encoding="utf-8")
    with pytest.raises(CommandError, match="une liste"):
        call_command("import_offres", str(path))
    assert Offer.objects.count() == 1
