"""What a company member may read of a request: the ONE place deciding it.

The applicant's data-sharing choice (guide #3, ``Demande.DataSharing``) is the level:

1. anonymous: nothing personal; the company sees only counts of its anonymous
   employees, and never a count under 5 ("moins de 5");
2. birth name, first name, birth date, nothing else;
3. a large part of the request: household composition and category, desired places
   and typologies, the request's validity, the candidature's progress (step, offer's
   commune and typology) — never resources, documents nor the registry number;
4. delegation: everything the applicant sees (and HR may act, see ``services``).

Each field is declared once in ``FIELDS`` with the lowest level that shows it; every HR
page and export reads employees through ``read_employees`` / ``read_employee``, which
read the choice from the database on each call (no cache: a change of choice or a
withdrawal takes effect on HR's next request) and log the read for the applicant
("Qui a consulté ma demande").
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from candidatures.models import Candidature
from candidatures.workflow import ACTIVE, Status
from demandes.documents import document_states
from demandes.models import Demande

from .models import Access, Company, Designation

Level = Demande.DataSharing
MIN_COUNT = 5
UNDER_MIN = "moins de 5"


def _date(value):
    return value.strftime("%d/%m/%Y") if value else "—"


def _euros(value):
    return f"{value:,.0f} €".replace(",", "\u202f")


def _validity(demande, ctx):
    if demande.is_expired:
        return f"Expirée depuis le {_date(demande.expired_on)} : à renouveler"
    return f"Valable jusqu'au {_date(demande.valid_until)}"


def _composition(demande, ctx):
    roles = [m.get("role", "personne") for m in demande.household_members]
    people = f"{demande.household_size} personne{'s' if demande.household_size > 1 else ''}"
    return f"{people} ({', '.join(roles)})" if roles else people


def _places(demande, ctx):
    names = [f"{c.name} ({c.postal_code})" for c in demande.desired_communes.all()]
    names += [f"{d.name} ({d.code}) en entier" for d in demande.desired_departments.all()]
    return ", ".join(names) or "—"


def _typologies(demande, ctx):
    return " - ".join(f"T{t}" for t in demande.desired_typologies) or "—"


def _candidature(demande, ctx):
    candidature = ctx["candidature"]
    if candidature is None:
        return "Aucune candidature"
    offer = candidature.offer
    return (
        f"{candidature.get_status_display()} — {offer.get_typology_display()} à "
        f"{offer.commune.name} ({offer.commune.postal_code}), déposée le "
        f"{_date(candidature.applied_at)}"
    )


def _documents(demande, ctx):
    states = document_states(demande)
    missing = [doc.title for doc, deposited in states if not deposited]
    confirmed = (
        f"dépôt confirmé le {_date(demande.documents_confirmed_at)}"
        if demande.documents_confirmed_at
        else "dépôt non confirmé"
    )
    return f"{confirmed} ; manquantes : {', '.join(missing)}" if missing else confirmed


def _yes_no(value):
    return "Oui" if value else "Non"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    level: int  # the lowest choice that shows it
    value: object  # (demande, ctx) -> str


# Identity fields are the employee's: the applicant of the request the company employs
# (ctx["employee"], Demandeur 2 when only the co-applicant's SIRET is the company's).
FIELDS = [
    Field("birth_name", "Nom de naissance", Level.IDENTITY, lambda d, c: c["employee"].birth_name),
    Field("first_name", "Prénom", Level.IDENTITY, lambda d, c: c["employee"].first_name),
    Field(
        "birth_date",
        "Date de naissance",
        Level.IDENTITY,
        lambda d, c: _date(c["employee"].birth_date),
    ),
    Field("household", "Composition du ménage", Level.MOST, _composition),
    Field(
        "household_category",
        "Catégorie de ménage",
        Level.MOST,
        lambda d, c: str(d.household_category),
    ),
    Field("desired_places", "Lieux souhaités", Level.MOST, _places),
    Field("desired_typologies", "Typologies souhaitées", Level.MOST, _typologies),
    Field("validity", "Validité de la demande", Level.MOST, _validity),
    Field("candidature", "Candidature", Level.MOST, _candidature),
    Field("number", "Numéro unique", Level.DELEGATED, lambda d, c: d.number),
    Field("usage_name", "Nom d'usage", Level.DELEGATED, lambda d, c: d.usage_name or "—"),
    Field("email", "Email", Level.DELEGATED, lambda d, c: d.email),
    Field(
        "phones",
        "Téléphones",
        Level.DELEGATED,
        lambda d, c: (
            " / ".join(str(p.as_national) for p in (d.mobile_phone, d.landline_phone) if p) or "—"
        ),
    ),
    Field(
        "fiscal_income",
        "Revenu fiscal de référence",
        Level.DELEGATED,
        lambda d, c: _euros(d.fiscal_income),
    ),
    Field(
        "resources",
        "Ressources mensuelles",
        Level.DELEGATED,
        lambda d, c: (
            f"{_euros(d.monthly_resources)} + {_euros(d.housing_allowance)} d'aide au logement"
        ),
    ),
    Field(
        "professional_situation",
        "Situation professionnelle",
        Level.DELEGATED,
        lambda d, c: d.get_professional_situation_display() or "À compléter",
    ),
    Field("siret", "SIRET", Level.DELEGATED, lambda d, c: d.siret or "—"),
    Field("company_code", "Code Entreprise", Level.DELEGATED, lambda d, c: d.company_code or "—"),
    Field(
        "current_housing", "Logement actuel", Level.DELEGATED, lambda d, c: d.current_housing or "—"
    ),
    Field(
        "reduced_mobility",
        "Logement adapté PMR",
        Level.DELEGATED,
        lambda d, c: _yes_no(d.reduced_mobility),
    ),
    Field(
        "legal_priority",
        "Public prioritaire",
        Level.DELEGATED,
        lambda d, c: _yes_no(d.legal_priority),
    ),
    Field("first_filed_on", "Date de dépôt", Level.DELEGATED, lambda d, c: _date(d.first_filed_on)),
    Field("documents", "Pièces justificatives", Level.DELEGATED, _documents),
]


@dataclass
class EmployeeView:
    """What a company member reads of one request: only the fields of its level."""

    pk: int
    level: int
    fields: list = field(default_factory=list)  # [{"key", "label", "value"}]
    designated: bool = False
    candidature: object = None  # level 4 only (HR may cancel it)

    @property
    def values(self):
        return {f["key"]: f["value"] for f in self.fields}

    @property
    def name(self):
        return f"{self.values['first_name']} {self.values['birth_name']}"

    @property
    def level_label(self):
        return Level(self.level).label

    @property
    def can_be_designated(self):
        return self.level in DESIGNABLE_LEVELS

    @property
    def is_delegated(self):
        return self.level == Level.DELEGATED


DESIGNABLE_LEVELS = (Level.IDENTITY, Level.MOST, Level.DELEGATED)


def _sirets(company):
    return list(company.establishments.values_list("siret", flat=True))


def linked_demandes(company):
    """Requests linked to the company: the SIRET of the applicant or of the co-applicant
    is one of its establishments and, where the company defined a Code Entreprise, the
    request carries it."""
    return _linked(company, _sirets(company))


def _linked(company, sirets):
    # Demandeur 1 on the request, Demandeur 2 on ``CoApplicant`` (the registry's
    # ``codemandeur`` as confirmed on the mini-form). The code may be typed in either
    # block, as the mini-form accepts it (demandes.forms.ApplicantFields.clean).
    linked = Q(siret__in=sirets) | Q(coapplicant__siret__in=sirets)
    if company.code:
        linked &= Q(company_code=company.code) | Q(coapplicant__company_code=company.code)
    return Demande.objects.filter(linked)


def companies_of(demande):
    """The companies a request is linked to (shown to the applicant)."""
    applicants = [a for a in demande.applicants if a.siret]
    if not applicants:
        return []
    companies = Company.objects.filter(
        establishments__siret__in=[a.siret for a in applicants]
    ).distinct()
    codes = {a.company_code for a in demande.applicants if a.company_code}
    return [company for company in companies if not company.code or company.code in codes]


def _employee(demande, sirets):
    """The applicant the company employs (``Demande.applicants``): the first whose
    SIRET is one of its establishments (Demandeur 1 when linked by the code alone)."""
    applicants = demande.applicants
    return next((a for a in applicants if a.siret in sirets), applicants[0])


def _view(demande, ctx, designated):
    level = demande.data_sharing
    view = EmployeeView(pk=demande.pk, level=level, designated=designated)
    for spec in FIELDS:
        if level >= spec.level:
            view.fields.append(
                {"key": spec.key, "label": spec.label, "value": spec.value(demande, ctx)}
            )
    if level == Level.DELEGATED and ctx["candidature"] and ctx["candidature"].is_active:
        view.candidature = ctx["candidature"]
    return view


def _latest_candidatures(users):
    latest = {}
    for candidature in (
        Candidature.objects.filter(applicant__in=users)
        .select_related("offer__commune")
        .order_by("applicant_id", "-applied_at")
    ):
        latest.setdefault(candidature.applicant_id, candidature)
    return latest


def _log(reader, company, demandes, kind, detail=""):
    name = reader.get_full_name() or reader.email
    Access.objects.bulk_create(
        Access(
            applicant_id=d.user_id,
            reader=reader,
            reader_name=f"{name} ({reader.email})",
            company=company,
            company_name=company.name,
            level=d.data_sharing,
            kind=kind,
            detail=detail,
        )
        for d in demandes
    )


def read_employees(reader, company, kind=Access.Kind.LIST):
    """The employees the company may see individually (choices 2–4), each with only
    the fields of their choice; every read is logged for the applicant."""
    sirets = _sirets(company)
    demandes = list(
        _linked(company, sirets)
        .filter(data_sharing__in=DESIGNABLE_LEVELS)
        .select_related("user", "coapplicant")
        .prefetch_related(
            "desired_communes",
            "desired_departments",
            Prefetch(
                "designations",
                queryset=Designation.objects.filter(year=timezone.localdate().year),
                to_attr="designations_this_year",
            ),
        )
        .order_by("birth_name", "first_name", "pk")
    )
    latest = _latest_candidatures([d.user_id for d in demandes])
    today = timezone.localdate()
    views = [
        _view(
            d,
            {
                "today": today,
                "candidature": latest.get(d.user_id),
                "employee": _employee(d, sirets),
            },
            bool(d.designations_this_year),
        )
        for d in demandes
    ]
    _log(reader, company, demandes, kind)
    return views


def read_employee(reader, company, pk, kind=Access.Kind.DETAIL):
    """One employee's view, or None when the request is not the company's or the
    applicant chose to stay anonymous (the page then answers 404)."""
    sirets = _sirets(company)
    demande = (
        _linked(company, sirets)
        .filter(pk=pk, data_sharing__in=DESIGNABLE_LEVELS)
        .select_related("coapplicant")
        .prefetch_related("desired_communes", "desired_departments")
        .first()
    )
    if demande is None:
        return None
    latest = _latest_candidatures([demande.user_id]).get(demande.user_id)
    designated = Designation.objects.filter(
        demande=demande, year=timezone.localdate().year
    ).exists()
    ctx = {
        "today": timezone.localdate(),
        "candidature": latest,
        "employee": _employee(demande, sirets),
    }
    view = _view(demande, ctx, designated)
    _log(reader, company, [demande], kind)
    return view


def anonymous_counts(company, today=None):
    """Counts of the employees who chose to stay anonymous, each shown as "moins de 5"
    under 5. Only anonymous employees are counted, so that nothing can be learned by
    subtracting the employees the company sees by name."""
    today = today or timezone.localdate()
    anonymous = linked_demandes(company).filter(data_sharing=Level.ANONYMOUS)
    users = anonymous.values("user_id")
    candidatures = Candidature.objects.filter(applicant__in=users)
    counts = {
        "Salariés anonymes ayant une demande": anonymous.count(),
        "dont avec une candidature en cours": candidatures.filter(status__in=ACTIVE)
        .values("applicant_id")
        .distinct()
        .count(),
        f"dont logés en {today.year}": candidatures.filter(
            status=Status.MOVED_IN, updated_at__year=today.year
        )
        .values("applicant_id")
        .distinct()
        .count(),
    }
    return [
        {"label": label, "value": str(n) if n >= MIN_COUNT else UNDER_MIN}
        for label, n in counts.items()
    ]


def designations_left(company, year=None):
    year = year or timezone.localdate().year
    return max(0, company.designation_quota - company.designations.filter(year=year).count())


def accesses_of(user):
    """ "Qui a consulté ma demande": the applicant's log, latest first."""
    return Access.objects.filter(applicant=user)
