"""Demo landlords with a staff login each, and a few hundred published offers with photos."""

import random
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.demo import DEMO_PASSWORD, _user
from accounts.models import User
from territoires.models import Commune

from . import services
from .freshness import bump_offers_version
from .models import Landlord, LandlordMembership, Offer, OfferPhoto, SearchAlert

LANDLORDS = [
    ("Habitat Social Île-de-France", "552081317", "bailleur@alin.example"),
    ("Logis Métropole Lyon", "775672272", "bailleur.lyon@alin.example"),
    ("Sud Habitat Provence", "572015246", "bailleur.sud@alin.example"),
    ("Atlantique Logement", "383474814", "bailleur.ouest@alin.example"),
]
PLACES = {
    "552081317": [
        "75111",
        "75112",
        "75118",
        "75119",
        "75120",
        "93070",
        "93001",
        "93029",
        "93048",
        "93066",
        "92012",
        "92050",
        "94028",
        "94081",
        "94041",
    ],
    "775672272": ["69381", "69383", "69387", "69266", "69259", "59350", "59512"],
    "572015246": ["13201", "13205", "13208", "13001", "31555", "31069"],
    "383474814": ["33063", "33281", "44109", "44190", "44143"],
}
ADJECTIVES = ["lumineux", "rénové", "avec balcon", "calme", "proche métro"]
STREETS = ["Victor Hugo", "Jean Jaurès", "de la République", "Pasteur", "des Lilas"]
RATE = {"paris": 10, "idf": 8, "autres": 6.5}
PALETTE = [
    (176, 196, 222),
    (222, 184, 135),
    (188, 143, 143),
    (143, 188, 143),
    (240, 230, 140),
    (205, 133, 63),
    (119, 136, 153),
    (216, 191, 216),
]
DESCRIPTIONS = [
    "Dans une rue très commerçante, cet immeuble avec cour intérieure comprend des logements "
    "avec parkings. Il est situé à proximité du métro. Les écoles se trouvent également à "
    "proximité.",
    "Résidence récente et calme, proche des commerces, des transports et d'un parc. Cuisine "
    "équipée, chauffage collectif.",
    "Logement lumineux et traversant, séjour donnant sur balcon, cave. Crèche et groupe "
    "scolaire à deux pas.",
]


def _demo_images():
    """Draw a few façade-like pictures once (no download) and return their names."""
    names = []
    for i, colour in enumerate(PALETTE):
        name = f"demo/facade-{i}.jpg"
        thumb = f"demo/facade-{i}-vignette.jpg"
        if not default_storage.exists(name):
            image = Image.new("RGB", (960, 720), (200, 225, 245))
            draw = ImageDraw.Draw(image)
            draw.rectangle([140, 160, 820, 720], fill=colour)
            for row in range(4):
                for col in range(5):
                    x, y = 190 + col * 125, 200 + row * 120
                    draw.rectangle([x, y, x + 70, y + 80], fill=(250, 250, 255))
            draw.rectangle([430, 600, 530, 720], fill=(90, 60, 40))
            for target, size in ((name, (960, 720)), (thumb, (480, 360))):
                buffer = BytesIO()
                image.resize(size).save(buffer, "JPEG", quality=80)
                default_storage.save(target, ContentFile(buffer.getvalue()))
        names.append((name, thumb))
    return names


def load(stdout):
    call_command("load_plafonds", stdout=stdout)
    logins = []
    rng = random.Random(5)
    today = timezone.localdate()
    images = _demo_images()
    for name, siren, email in LANDLORDS:
        landlord, _ = Landlord.objects.get_or_create(
            siren=siren, defaults={"name": name, "contact_email": email}
        )
        staff = _user(
            email,
            role=User.Role.LANDLORD,
            first_name="Sophie",
            last_name="Martin",
            civility=User.Civility.MADAME,
        )
        LandlordMembership.objects.get_or_create(
            user=staff, defaults={"landlord": landlord, "is_admin": True}
        )
        logins.append((f"Bailleur ({name})", email, DEMO_PASSWORD))
        if Offer.objects.filter(landlord=landlord, reference__startswith="DEMO-").exists():
            continue
        communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=PLACES[siren])}
        offers = []
        for n in range(90 if siren == "552081317" else 70):
            commune = communes[rng.choice(PLACES[siren])]
            typology = rng.choices([1, 2, 3, 4, 5, 6], weights=[15, 30, 27, 17, 8, 3])[0]
            surface = Decimal(rng.randrange(18, 28) + (typology - 1) * rng.randrange(11, 16))
            deadline = today + timedelta(days=rng.randrange(3, 60))
            offers.append(
                Offer(
                    landlord=landlord,
                    reference=f"DEMO-{siren}-{n:03d}",
                    title=f"T{typology} {rng.choice(ADJECTIVES)}",
                    description=rng.choice(DESCRIPTIONS),
                    kind=Offer.Kind.HOUSE if rng.random() < 0.12 else Offer.Kind.APARTMENT,
                    typology=typology,
                    surface=surface,
                    floor=rng.randrange(0, 9),
                    has_lift=rng.random() < 0.6,
                    reduced_mobility=rng.random() < 0.15,
                    rent=Decimal(
                        round(float(surface) * RATE[commune.zone] * rng.uniform(0.8, 1.1))
                    ),
                    charges=Decimal(rng.randrange(30, 140)),
                    financing=rng.choices(["PLAI", "PLUS", "PLS", "PLI"], weights=[20, 60, 15, 5])[
                        0
                    ],
                    energy_class=rng.choice("BCCDDDEF"),
                    climate_class=rng.choice("BCDDEF"),
                    address=f"{rng.randrange(1, 180)} rue {rng.choice(STREETS)}",
                    commune=commune,
                    available_from=deadline + timedelta(days=rng.randrange(7, 45)),
                    deadline=deadline,
                    status=Offer.Status.PUBLISHED,
                    published_at=timezone.now() - timedelta(days=rng.randrange(0, 20)),
                )
            )
        Offer.objects.bulk_create(offers)
        photos = []
        for offer in Offer.objects.filter(landlord=landlord, reference__startswith="DEMO-"):
            for position in range(rng.randrange(1, 3)):
                image, thumb = rng.choice(images)
                photos.append(
                    OfferPhoto(
                        offer=offer,
                        image=image,
                        thumbnail=thumb,
                        position=position,
                        alt="Façade de la résidence",
                    )
                )
        OfferPhoto.objects.bulk_create(photos)
        bump_offers_version()  # bulk_create sends no post_save
    logins.append(_applicant_without_offers())
    _alerts_of_the_candidate()
    stdout.write(f"{Offer.objects.published().count()} offres publiées.")
    return logins


def _alerts_of_the_candidate():
    """Two saved searches of candidat@ (« Mes alertes »): one immediate, one daily."""
    user = User.objects.filter(email="candidat@alin.example").first()
    if user is None:
        return
    services.create_alert(user=user, query_string="lieu=93&typologie=1&typologie=2")
    daily = services.create_alert(user=user, query_string="lieu=75&tri=loyer")
    services.set_alert_frequency(alert=daily, frequency=SearchAlert.Frequency.DAILY)


# Wants Colomiers (31149), where no demo landlord has an offer: "Les offres" shows the
# guide's message "A ce jour nous n'avons pas d'offre adaptée à votre situation...".
NO_OFFER_NUMBER = "0310224000025E1609"
NO_OFFER_EMAIL = "demandeur.sansoffre@alin.example"


def _applicant_without_offers():
    from demandes.demo import keep_current
    from demandes.models import Demande, RegistryRecord
    from demandes.services import _create_demande  # the registry import, without its code

    user = _user(
        NO_OFFER_EMAIL,
        role=User.Role.APPLICANT,
        # The request's own applicant (one identity: the account is Yanis BERTRAND's).
        first_name="Yanis",
        last_name="BERTRAND",
        civility=User.Civility.MONSIEUR,
        data_consent_at=timezone.now(),
        data_consent_version="2026-11",
    )
    record = RegistryRecord.objects.filter(number=NO_OFFER_NUMBER).first()
    if record and not Demande.objects.filter(Q(user=user) | Q(number=NO_OFFER_NUMBER)).exists():
        demande = _create_demande(user, record.data)
        demande.information_confirmed_at = demande.documents_confirmed_at = timezone.now()
        demande.save()
    # A valid request that no offer fits (the expired one is demandeur.expiree@): its
    # renewal follows today, never a fixed date that would strike it off.
    keep_current(NO_OFFER_NUMBER)
    return ("Demandeur sans offre adaptée", NO_OFFER_EMAIL, DEMO_PASSWORD)
