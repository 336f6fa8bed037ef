"""Demo candidatures at every stage, on one offer of the demo landlord in Seine-Saint-Denis."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.demo import _user
from accounts.models import User
from core.models import OutgoingEmail
from demandes.models import Demande
from offres.models import Landlord, Offer
from territoires.models import Department

from . import services
from .models import Candidature
from .workflow import Role

STAGES = [
    ["validate", "forward", "schedule_visit"],
    ["validate", "forward"],
    ["validate"],
    [],
    ["invalidate"],
    ["cancel"],
]


def _demande(user, n):
    demande, created = Demande.objects.get_or_create(
        user=user,
        defaults={
            "number": f"0930124{900000 + n:06d}D{n}X01",
            "birth_name": user.last_name,
            "first_name": user.first_name,
            "birth_date": date(1985 + n, 3, 1),
            "email": user.email,
            "household_size": 1,
            "household_category": 1,
            "fiscal_income": 19000 + 500 * n,
            "monthly_resources": 2600,
            "first_filed_on": date(2022, 1 + n, 1),
            "company_priority": n % 2 == 0,
            "legal_priority": n == 3,
            "professional_situation": "cdi",
            "information_confirmed_at": timezone.now(),
            "documents_confirmed_at": timezone.now(),
            "documents": ["identite", "avis_imposition_n2", "bulletins_salaire"],
        },
    )
    if created:
        demande.desired_departments.set(Department.objects.filter(code="93"))
    return demande


def load(stdout):
    landlord = Landlord.objects.filter(siren="552081317").first()
    advisor = User.objects.filter(is_staff=True).first()
    if landlord is None or Candidature.objects.filter(number__startswith="0930124").exists():
        return []
    staff = landlord.members.first().user
    applicants = [
        _user(
            f"demo.candidat{n}@alin.example",
            role=User.Role.APPLICANT,
            first_name=f"Camille{n}",
            last_name="EXEMPLE",
            civility=User.Civility.MADAME,
        )
        for n in range(1, len(STAGES) + 1)
    ]
    demandes = [_demande(user, n) for n, user in enumerate(applicants, 1)]
    offer = (
        Offer.objects.open_to(demandes[0]).filter(landlord=landlord).order_by("-deadline").first()
    )
    if offer is None:
        return []
    roles = {
        "validate": (advisor, Role.ADVISOR),
        "forward": (advisor, Role.ADVISOR),
        "invalidate": (advisor, Role.ADVISOR),
        "schedule_visit": (staff, Role.LANDLORD),
        "cancel": (None, Role.APPLICANT),
    }
    first_email = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for user, demande, steps in zip(applicants, demandes, STAGES, strict=True):
        candidature = services.apply(user=user, offer=offer, demande=demande)
        for step in steps:
            actor, role = roles[step]
            extra = (
                {"visit_at": timezone.now() + timedelta(days=3)} if step == "schedule_visit" else {}
            )
            services.transition(
                candidature,
                step,
                actor=actor or user,
                role=role,
                reason="Dossier incomplet" if step == "invalidate" else "",
                **extra,
            )
    # Demo data, not news: the demo applicants' emails are not sent.
    OutgoingEmail.objects.filter(pk__gt=first_email).delete()
    stdout.write(f"6 candidatures de démonstration sur l'offre « {offer} » (n° {offer.pk}).")
    return []
