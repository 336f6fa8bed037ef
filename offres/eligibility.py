"""Who may apply to which offer: the eligibility rules, one named pair of functions each.

For every rule, ``<rule>_q(demande, context)`` is its SQL filter (used by
``Offer.objects.open_to``) and ``<rule>(offer, demande, context)`` explains, in plain
French, why the rule refuses an offer (None when it holds). Both read the same
figures, so the list of open offers and the offer page never disagree.
Sources: the guide (#0) and ../shared/domain.md.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from demandes.validity import Validity, state

# Municipal districts: a request for the city matches offers in its arrondissements.
CITY_DISTRICT_PREFIXES = {"75056": "751", "69123": "6938", "13055": "132"}


def number(value):
    """A decimal figure in French, without useless zeros: 15,5 / 3 / 2,5."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


def euros(amount):
    """An amount as French readers write it: "26 920 €" (no-break thin space)."""
    return f"{Decimal(amount):,.0f}".replace(",", "\u202f") + "\u00a0€"


@dataclass
class Context:
    """Figures computed once per applicant: ceilings by (financing, zone), places."""

    ceilings: dict
    checked_financings: set
    commune_codes: list
    department_codes: list
    department_communes: list
    today: object


def financings_with_ceilings():
    """Financings whose resource ceilings the State publishes (offres/data/plafonds.json):
    their offers are open only when the ceiling is known, so an empty or incomplete
    ceiling table refuses (with the reason) instead of silently letting every income
    through. PLI has no figures in the data: its landlord checks the income."""
    from .models import Offer

    return {Offer.Financing.PLAI, Offer.Financing.PLUS, Offer.Financing.PLS}


def context_for(demande, today=None):
    from .models import ResourceCeiling

    today = today or timezone.localdate()
    rows = ResourceCeiling.objects.filter(category=demande.household_category)
    latest = rows.filter(year__lte=today.year).order_by("-year").values_list("year", flat=True)[:1]
    ceilings = {
        (r.financing, r.zone): r.amount + r.extra_person * demande.extra_persons
        for r in rows.filter(year__in=latest)
    }
    from territoires.models import Commune

    department_codes = [d.code for d in demande.desired_departments.all()]
    return Context(
        ceilings=ceilings,
        checked_financings=financings_with_ceilings(),
        commune_codes=[c.insee_code for c in demande.desired_communes.all()],
        department_codes=department_codes,
        # A whole department, as the list of its communes: the offers' index on the
        # commune serves it, where a join on the department scanned every offer.
        department_communes=list(
            Commune.objects.filter(department_id__in=department_codes).values_list(
                "insee_code", flat=True
            )
        )
        if department_codes
        else [],
        today=today,
    )


# 1. Typology and occupancy ------------------------------------------------------


def allowed_typologies(household_size):
    """1 person T1/T2, 2: T2/T3, 3: T3/T4, 4: T4/T5, 5 and more: T5 and more."""
    return {1: (1, 2), 2: (2, 3), 3: (3, 4), 4: (4, 5)}.get(household_size, (5, 6))


def minimum_surface(household_size):
    """Occupancy norm: 9 m² for one person, 16 m² for two, +9 m² per extra person,
    70 m² from eight persons (CCH R.822-25)."""
    if household_size <= 1:
        return 9
    return min(16 + 9 * (household_size - 2), 70)


def typology_fits_household_q(demande, context):
    """SQL form of ``typology_fits_household``."""
    return Q(
        typology__in=allowed_typologies(demande.household_size),
        surface__gte=minimum_surface(demande.household_size),
    )


def typology_fits_household(offer, demande, context):
    """The dwelling's size suits the household (typology and minimum surface)."""
    allowed = allowed_typologies(demande.household_size)
    persons = f"{demande.household_size} personne{'s' if demande.household_size > 1 else ''}"
    if offer.typology not in allowed:
        names = " ou ".join(f"T{t}" if t < 6 else "T6 et plus" for t in allowed)
        return f"Pour un ménage de {persons}, les logements proposés sont des {names}."
    if offer.surface < minimum_surface(demande.household_size):
        return (
            f"La surface ({number(offer.surface)} m²) est inférieure au minimum de "
            f"{minimum_surface(demande.household_size)} m² pour {persons}."
        )
    return None


def typology_fits_household_demandes_q(offer, context):
    """Reverse SQL form (requests an offer suits): the household sizes whose typologies
    and minimum surface admit the offer. Both rules are constant from 8 persons up."""

    def fits(size):
        return offer.typology in allowed_typologies(size) and offer.surface >= minimum_surface(size)

    sizes = [size for size in range(1, LARGEST_DISTINCT_SIZE) if fits(size)]
    condition = Q(household_size__in=sizes)
    if fits(LARGEST_DISTINCT_SIZE):
        condition |= Q(household_size__gte=LARGEST_DISTINCT_SIZE)
    return condition


# From this household size on, neither the typologies nor the minimum surface change.
LARGEST_DISTINCT_SIZE = 8


# 2. Resource ceiling -------------------------------------------------------------


def income_under_ceiling_q(demande, context):
    """SQL form of ``income_under_ceiling``: the (financing, zone) pairs whose ceiling
    the income does not exceed, plus the financings without ceiling figures."""
    allowed = Q(pk__in=[])
    for (financing, zone), ceiling in context.ceilings.items():
        if demande.fiscal_income <= ceiling:
            allowed |= Q(financing=financing, commune__zone=zone)
    from .models import Offer

    unchecked = set(Offer.Financing.values) - context.checked_financings
    if unchecked:
        # No ceiling figures for these financings (PLI): the landlord checks them.
        allowed |= Q(financing__in=sorted(unchecked))
    return allowed


def income_under_ceiling_demandes_q(offer, context):
    """Reverse SQL form: per household category, the income at or below the ceiling of
    the offer's financing and zone (each category's latest figures, as ``context_for``
    reads them); a category without figures for the financing is not checked."""
    condition = Q(pk__in=[])
    for category, ceilings in context.ceilings_by_category.items():
        checked = {financing for financing, _ in ceilings}
        if offer.financing not in checked:
            condition |= Q(household_category=category)
            continue
        row = ceilings.get((offer.financing, offer.commune.zone))
        if row is not None:
            amount, extra_person = row
            condition |= Q(
                household_category=category,
                fiscal_income__lte=amount + extra_person * F("extra_persons"),
            )
    return condition


def income_under_ceiling(offer, demande, context):
    """The fiscal reference income is at or below the ceiling of the offer's financing,
    zone and household category."""
    if offer.financing not in context.checked_financings:
        return None
    ceiling = context.ceilings.get((offer.financing, offer.commune.zone))
    if ceiling is None:
        return (
            f"Le plafond de ressources {offer.financing} de la zone de ce logement n'est pas "
            "connu : votre revenu ne peut pas être vérifié."
        )
    if demande.fiscal_income > ceiling:
        return (
            f"Votre revenu fiscal de référence ({euros(demande.fiscal_income)}) dépasse le "
            f"plafond de ce logement {offer.financing} ({euros(ceiling)} pour votre ménage)."
        )
    return None


# 3. Affordability ---------------------------------------------------------------


def affordability_factor():
    return Decimal(str(getattr(settings, "AFFORDABILITY_FACTOR", 3)))


def max_total_rent(demande):
    """The highest rent with charges the household can afford: resources (with the
    housing allowance) divided by the factor, about 3."""
    return (demande.resources_with_allowance / affordability_factor()).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )


def resources_cover_rent_q(demande, context):
    """SQL form of ``resources_cover_rent``: rent <= resources / factor - charges."""
    return Q(rent__lte=max_total_rent(demande) - F("charges"))


def resources_cover_rent_demandes_q(offer, context):
    """Reverse SQL form: resources + allowance >= factor x rent with charges (the same
    as rent <= resources / factor rounded down to the cent, the rent being in cents)."""
    return Q(resources_with_allowance__gte=affordability_factor() * (offer.rent + offer.charges))


def resources_cover_rent(offer, demande, context):
    """Monthly resources, housing allowance included, are about 3 times the rent with
    charges."""
    if offer.rent + offer.charges > max_total_rent(demande):
        return (
            f"Vos ressources ({euros(demande.resources_with_allowance)} par mois, aide au "
            f"logement comprise) doivent représenter environ {number(affordability_factor())} fois "
            f"le loyer charges comprises ({euros(offer.rent + offer.charges)})."
        )
    return None


# 4. Desired places ----------------------------------------------------------------


def in_desired_places_q(demande, context):
    """SQL form of ``in_desired_places``."""
    place = Q(commune_id__in=context.commune_codes + context.department_communes)
    for code in context.commune_codes:
        if code in CITY_DISTRICT_PREFIXES:
            place |= Q(commune__insee_code__startswith=CITY_DISTRICT_PREFIXES[code])
    return place


def in_desired_places_demandes_q(offer, context):
    """Reverse SQL form: requests wishing the offer's commune, its department, or the
    city of which it is an arrondissement."""
    from demandes.models import Demande

    communes = [offer.commune_id] + [
        city
        for city, prefix in CITY_DISTRICT_PREFIXES.items()
        if offer.commune_id.startswith(prefix)
    ]
    wished_commune = Demande.desired_communes.through.objects.filter(
        commune_id__in=communes
    ).values("demande_id")
    wished_department = Demande.desired_departments.through.objects.filter(
        department_id=offer.commune.department_id
    ).values("demande_id")
    return Q(pk__in=wished_commune) | Q(pk__in=wished_department)


def in_desired_places(offer, demande, context):
    """The offer's commune is one of the desired communes (or in a desired department)."""
    code = offer.commune_id
    if code in context.commune_codes or offer.commune.department_id in context.department_codes:
        return None
    if any(
        city in context.commune_codes and code.startswith(prefix)
        for city, prefix in CITY_DISTRICT_PREFIXES.items()
    ):
        return None
    return "Ce logement n'est pas situé dans les communes choisies dans votre demande."


# 5. Open for applications -----------------------------------------------------------


def open_for_applications_q(demande, context):
    """SQL form of ``open_for_applications``."""
    from .models import Offer

    return Q(status=Offer.Status.PUBLISHED, deadline__gte=context.today)


def open_for_applications_demandes_q(offer, context):
    """Reverse SQL form: every request, or none when the offer is not open."""
    if open_for_applications(offer, None, context):
        return Q(pk__in=[])
    return Q()


def open_for_applications(offer, demande, context):
    """The offer is published and its deadline has not passed."""
    from .models import Offer

    if offer.status != Offer.Status.PUBLISHED:
        return "Cette offre n'est plus ouverte aux candidatures."
    if offer.deadline < context.today:
        return "La date limite de candidature est dépassée."
    return None


# 6. The request itself -------------------------------------------------------------
# Not an offer filter: an expired request may still browse the offers matching its
# situation (to renew, then apply), it cannot apply to any.


def request_is_valid(demande, today=None):
    """The social-housing request is still valid: filed or renewed less than a year ago
    (demandes/validity.py). A request not renewed is struck off and cannot apply."""
    today = today or timezone.localdate()
    if state(demande.valid_until, today) == Validity.EXPIRED:
        return (
            f"Votre demande de logement social était valable jusqu'au "
            f"{demande.valid_until:%d/%m/%Y} : elle n'a pas été renouvelée et ne permet plus "
            "de postuler. Renouvelez-la sur demande-logement-social.gouv.fr, puis cliquez sur "
            "« Mettre à jour ma demande »."
        )
    return None


REQUEST_RULES = [request_is_valid]


def request_refusal(demande, today=None):
    """Why the request itself cannot apply to any offer (None when it can)."""
    for rule in REQUEST_RULES:
        reason = rule(demande, today)
        if reason:
            return reason
    return None


RULES = [
    (typology_fits_household_q, typology_fits_household),
    (income_under_ceiling_q, income_under_ceiling),
    (resources_cover_rent_q, resources_cover_rent),
    (in_desired_places_q, in_desired_places),
    (open_for_applications_q, open_for_applications),
]


# The same rules read the other way: which requests may apply to one offer (the
# immediate alerts match a new offer against every saved search in one query).
REVERSE_RULES = [
    typology_fits_household_demandes_q,
    income_under_ceiling_demandes_q,
    resources_cover_rent_demandes_q,
    in_desired_places_demandes_q,
    open_for_applications_demandes_q,
]


@dataclass
class OfferContext:
    """Figures read once per offer: every category's latest ceilings, today."""

    ceilings_by_category: dict
    today: object


def offer_context(today=None):
    from .models import ResourceCeiling

    today = today or timezone.localdate()
    rows = ResourceCeiling.objects.filter(year__lte=today.year).order_by("category", "-year")
    latest, by_category = {}, {}
    for row in rows:
        year = latest.setdefault(row.category, row.year)
        if row.year == year:
            by_category.setdefault(row.category, {})[(row.financing, row.zone)] = (
                row.amount,
                row.extra_person,
            )
    for category in range(1, 7):
        by_category.setdefault(category, {})
    return OfferContext(ceilings_by_category=by_category, today=today)


def demandes_open_to(offer, context=None):
    """Requests (``Demande`` queryset) that may apply to ``offer``: every rule holds, in
    SQL, exactly as ``Offer.objects.open_to`` reads them the other way."""
    from demandes.models import Demande

    context = context or offer_context()
    condition = Q()
    for rule in REVERSE_RULES:
        condition &= rule(offer, context)
    return Demande.objects.alias(
        resources_with_allowance=F("monthly_resources") + F("housing_allowance")
    ).filter(condition)


def open_offers_filter(demande, context=None, *, anywhere=False):
    """Every rule's SQL filter; ``anywhere``: all but the desired places (what widening
    the wishes would open)."""
    context = context or context_for(demande)
    condition = Q()
    for q_rule, _ in RULES:
        if anywhere and q_rule is in_desired_places_q:
            continue
        condition &= q_rule(demande, context)
    return condition


def explain(offer, demande, context=None):
    """Every reason, in French, why the applicant cannot apply (empty when they can)."""
    context = context or context_for(demande)
    reasons = []
    for _, rule in RULES:
        reason = rule(offer, demande, context)
        if reason:
            reasons.append(reason)
    return reasons


def derived_criteria(demande):
    """What the applicant's situation allows, shown above the list of offers."""
    typologies = allowed_typologies(demande.household_size)
    return {
        "typologies": " - ".join(f"T{t}" for t in typologies),
        "minimum_surface": minimum_surface(demande.household_size),
        "max_total_rent": max_total_rent(demande),
    }
