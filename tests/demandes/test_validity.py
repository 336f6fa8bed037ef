"""A request lives one year (issue 13, §1): valid until a date, to renew soon, expired;
reminders a month and a week before; an expired request cannot apply and its
candidatures not yet decided end, once."""

import datetime
import re
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from candidatures.models import Candidature, CandidatureEvent, Notification
from candidatures.workflow import Status
from core.models import OutgoingEmail
from demandes import services
from demandes.models import ValidityNotice
from demandes.tasks import check_validity
from tests.accounts.factories import UserFactory
from tests.candidatures.factories import CandidatureFactory
from tests.demandes.factories import DemandeFactory, registry_data, registry_record
from tests.offres.factories import OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def on(day, hour=10, client=None, user=None):
    """Travel to 10:00 (Paris) on ``day`` (dd/mm/yyyy), signed in as ``user`` if given
    (a session opened in 2026 has expired in 2027)."""
    d, m, y = map(int, day.split("/"))
    travel = time_machine.travel(datetime.datetime(y, m, d, hour, 0, tzinfo=PARIS), tick=False)
    if client is None:
        return travel
    return _signed_in(travel, client, user)


class _signed_in:
    def __init__(self, travel, client, user):
        self.travel, self.client, self.user = travel, client, user

    def __enter__(self):
        self.travel.__enter__()
        self.client.force_login(self.user)

    def __exit__(self, *exc):
        return self.travel.__exit__(*exc)


def text(response):
    html = unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def place(db, ceilings):
    return CommuneFactory()


@pytest.fixture
def applicant(client, place):
    """Jean renewed his request on 02/05/2026 (registry ``date_renouvellement``)."""
    demande = DemandeFactory(
        first_filed_on=datetime.date(2023, 5, 2),
        renewed_on=datetime.date(2026, 5, 2),
        communes=[place],
        monthly_resources=Decimal("2400"),
        information_confirmed_at=timezone.now(),
        email="jean.dupont@yopmail.com",
        user=UserFactory(email="jean.compte@yopmail.com"),
    )
    return demande


def test_ma_situation_says_until_when_the_request_is_valid(client, applicant):
    with on("30/11/2026", client=client, user=applicant.user):
        page = text(client.get("/ma-situation/"))
    assert "Votre demande est valable jusqu'au 02/05/2027." in page
    assert "Dernier renouvellement 02/05/2026" in page
    assert "Date de dépôt 02/05/2023" in page
    assert "renouvellement le" not in page  # no more "past renewal or deadline?"


def test_a_month_before_the_end_both_pages_say_to_renew_with_the_way_to_do_it(client, applicant):
    with on("02/04/2027", client=client, user=applicant.user):
        for url in ("/ma-situation/", "/offres/"):
            response = client.get(url)
            page = text(response)
            assert (
                "Votre demande de logement social est à renouveler : elle est valable "
                "jusqu'au 02/05/2027." in page
            ), url
            assert "demande-logement-social.gouv.fr" in page
            html = response.content.decode()
            assert 'href="https://www.demande-logement-social.gouv.fr/index"' in html
            assert 'action="/demande/mettre-a-jour/"' in html
            assert "Mettre à jour ma demande" in page
    with on("01/04/2027", client=client, user=applicant.user):
        assert "à renouveler" not in text(client.get("/ma-situation/"))


def test_an_expired_request_is_told_and_cannot_apply_but_can_still_browse(client, applicant, place):
    offer = OfferFactory(commune=place, deadline=datetime.date(2027, 6, 30))
    with on("02/05/2027", client=client, user=applicant.user):  # the last valid day: still possible
        assert services.Demande.objects.get(pk=applicant.pk).is_expired is False
        assert "Je postule" in text(client.get(f"/offres/{offer.pk}/"))
    with on("03/05/2027", client=client, user=applicant.user):
        situation = text(client.get("/ma-situation/"))
        assert (
            "Votre demande de logement social n'est plus valable depuis le 03/05/2027." in situation
        )
        assert "vous ne pouvez plus postuler aux offres" in situation
        offers = text(client.get("/offres/"))
        assert "n'est plus valable depuis le 03/05/2027" in offers
        assert "1 résultat correspondant à votre recherche" in offers  # still browsable

        detail = text(client.get(f"/offres/{offer.pk}/"))
        refusal = (
            "Votre demande de logement social était valable jusqu'au 02/05/2027 : elle n'a pas "
            "été renouvelée et ne permet plus de postuler. Renouvelez-la sur "
            "demande-logement-social.gouv.fr, puis cliquez sur « Mettre à jour ma demande »."
        )
        assert refusal in detail
        refused = text(client.post(f"/candidatures/postuler/{offer.pk}/", follow=True))
    assert refusal in refused
    assert not Candidature.objects.exists()


def test_after_renewing_on_the_national_site_the_update_brings_the_new_date(client, applicant):
    registry_record(
        number=applicant.number,
        email="jean.dupont@yopmail.com",
        demandeur={
            "civilite": "M",
            "nom_naissance": applicant.birth_name,
            "prenom": applicant.first_name,
            "date_naissance": "1990-05-17",
        },
        date_renouvellement="2027-05-10",
    )
    with on("20/05/2027", client=client, user=applicant.user):
        assert "n'est plus valable" in text(client.get("/ma-situation/"))
        page = text(client.post("/demande/mettre-a-jour/", follow=True))
    assert "Votre demande a été mise à jour." in page
    assert "Votre demande est valable jusqu'au 10/05/2028." in page


def emails_to(address):
    return list(OutgoingEmail.objects.filter(to=address).order_by("pk"))


def test_reminders_a_month_and_a_week_before_the_end_once_each(
    applicant, django_capture_on_commit_callbacks, mailoutbox
):
    other = DemandeFactory(renewed_on=datetime.date(2026, 9, 1))  # far from its end

    def daily(day):
        with on(day), django_capture_on_commit_callbacks(execute=True):
            return check_validity.delay().get()

    assert daily("01/04/2027") == {"un_mois": 0, "une_semaine": 0, "expiree": 0}
    assert daily("02/04/2027")["un_mois"] == 1
    assert daily("03/04/2027") == {"un_mois": 0, "une_semaine": 0, "expiree": 0}
    for day in range(4, 25):
        assert sum(daily(f"{day:02d}/04/2027").values()) == 0
    assert daily("25/04/2027")["une_semaine"] == 1  # 7 days before 02/05/2027
    for day in range(26, 31):
        assert sum(daily(f"{day:02d}/04/2027").values()) == 0

    # To the request's contact address, the account's address in copy.
    contact = emails_to("jean.dupont@yopmail.com")
    copy = emails_to("jean.compte@yopmail.com")
    assert [e.subject for e in contact] == [e.subject for e in copy]
    assert len(contact) == 2
    month, week = contact
    assert month.subject == (
        f"Votre demande de logement social {applicant.number} est à renouveler avant le 02/05/2027"
    )
    assert "valable jusqu'au 02/05/2027, dans un mois" in month.read_text()
    assert "dans une semaine" in week.read_text()
    assert "https://www.demande-logement-social.gouv.fr" in week.read_text()
    assert "« Mettre à jour ma demande »" in week.read_text()
    assert "SAS au capital de 20.000.000 d'euros" in week.read_text()  # the legal footer
    assert len(mailoutbox) == 4
    assert not OutgoingEmail.objects.filter(to=other.email).exists()


def test_a_request_found_a_few_days_before_its_end_gets_only_the_week_reminder(applicant):
    with on("28/04/2027"):
        assert services.check_validity() == {"un_mois": 0, "une_semaine": 1, "expiree": 0}
        assert services.check_validity() == {"un_mois": 0, "une_semaine": 0, "expiree": 0}
    assert len(emails_to("jean.dupont@yopmail.com")) == 1


def test_a_renewal_starts_a_new_year_with_its_own_reminders(applicant):
    with on("02/04/2027"):
        services.check_validity()
    applicant.renewed_on = datetime.date(2027, 4, 20)
    applicant.save()
    with on("20/03/2028"):
        assert services.check_validity()["un_mois"] == 1
    assert len(emails_to("jean.dupont@yopmail.com")) == 2


def test_at_expiry_undecided_candidatures_end_with_a_message_once(applicant, place):
    pending = CandidatureFactory(demande=applicant, offer=OfferFactory(commune=place))
    someone_else = CandidatureFactory(offer=pending.offer)  # a valid request: untouched
    with on("03/05/2027"):
        assert services.check_validity()["expiree"] == 1
        assert services.check_validity()["expiree"] == 0  # once
    pending.refresh_from_db()
    assert pending.status == Status.NOT_SELECTED
    [event] = CandidatureEvent.objects.filter(candidature=pending)
    assert event.transition == "request_expired" and event.actor is None
    assert "n'a pas été renouvelée : elle était valable jusqu'au 02/05/2027" in event.reason
    note = Notification.objects.get(candidature=pending)
    assert "n'a pas été retenue" in note.message
    assert OutgoingEmail.objects.filter(subject__isnull=False, to=applicant.user.email).exists()
    someone_else.refresh_from_db()
    assert someone_else.status == Status.SUBMITTED
    assert ValidityNotice.objects.filter(demande=applicant, kind="expiree").count() == 1


def test_a_decided_candidature_is_left_alone_at_expiry(applicant, place):
    attributed = CandidatureFactory(
        demande=applicant,
        offer=OfferFactory(commune=place),
        status=Status.ATTRIBUTED,
        committee_on=datetime.date(2027, 4, 1),
        committee_rank=1,
    )
    with on("03/05/2027"):
        services.check_validity()
    attributed.refresh_from_db()
    assert attributed.status == Status.ATTRIBUTED


def test_the_registry_import_keeps_expired_records_and_counts_them(tmp_path, place):
    import json

    records = [
        registry_data(number="1110520020171G1175", communes_souhaitees=[place.insee_code]),
        registry_data(
            number="0310224000025E1609",
            communes_souhaitees=[place.insee_code],
            date_depot="2024-02-16",
            date_renouvellement="2025-02-15",
        ),
        registry_data(
            number="0930321000486G1U21",
            communes_souhaitees=[place.insee_code],
            date_depot="2025-02-16",
            date_renouvellement="2024-02-15",
        ),
        registry_data(
            number="0080321000486G1U21",
            communes_souhaitees=[place.insee_code],
            date_renouvellement="2027-01-01",
        ),
    ]
    path = tmp_path / "registre.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out, err = StringIO(), StringIO()
    with on("30/11/2026"):
        call_command("import_registre", str(path), stdout=out, stderr=err)
    assert "4 enregistrement(s) lu(s) : 2 créé(s), 0 mis à jour, 2 refusé(s)" in out.getvalue()
    assert "1 demande(s) expirée(s)" in out.getvalue()
    assert "date de renouvellement antérieure à la date de dépôt" in err.getvalue()
    assert "date de renouvellement dans le futur (01/01/2027)" in err.getvalue()


def test_an_expired_request_imported_with_its_code_is_shown_as_expired(client, place):
    from demandes.models import AccessCode

    user = UserFactory()
    registry_record(
        number="0310224000025E1609",
        date_depot="2024-02-16",
        date_renouvellement="2025-02-15",
        communes_souhaitees=[place.insee_code],
    )
    with on("30/11/2026", client=client, user=user):
        client.post("/demande/importer/", {"number": "0310224000025E1609"})
        code = re.search(r"\b(\d{6})\b", OutgoingEmail.objects.get().read_text()).group(1)
        assert AccessCode.objects.filter(user=user).exists()
        client.post("/demande/code/", {"code": code, "confirm_identity": "on"})
        demande = user.demande
        demande.information_confirmed_at = timezone.now()
        demande.save()
        page = text(client.get("/ma-situation/"))
    assert "n'est plus valable depuis le 16/02/2026" in page
