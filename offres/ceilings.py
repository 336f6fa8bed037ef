"""How the PLAI ceilings follow from the PLUS ceilings, while a year's PLAI table is not
entered from the Journal officiel.

Every official table puts the PLAI ceiling at a fixed share of the PLUS ceiling of the
same category and zone (../shared/domain.md; checked against the 2021 and 2022 tables of
the arrêté du 29 juillet 1987 in tests/offres/test_ceilings.py): 60 % for categories 2
and 3, 55 % for categories 1, 4, 5, 6 and per extra person, except category 4 in the
"autres régions" zone (55.3 %). Both tables are revalued each year by the same rate, so
the shares hold; the derived figures are within 5 € of the published ones.
"""

from decimal import ROUND_HALF_UP, Decimal

EXTRA_PERSON = "extra"
PLAI_SHARES = {
    1: Decimal("0.55"),
    2: Decimal("0.60"),
    3: Decimal("0.60"),
    4: Decimal("0.55"),
    5: Decimal("0.55"),
    6: Decimal("0.55"),
    EXTRA_PERSON: Decimal("0.55"),
}
# (category, zone) pairs whose published share differs from their category's.
PLAI_SHARE_EXCEPTIONS = {(4, "autres"): Decimal("0.553")}

DERIVED_SOURCE = (
    "DÉRIVÉ des plafonds PLUS {year} avec les parts publiées (60 % pour les catégories 2 "
    "et 3, 55 % sinon, 55,3 % en catégorie 4 « autres régions »), en attendant la saisie de "
    "l'annexe II de l'arrêté du 19 décembre 2025 (JORF du 24/12/2025)"
)


def plai_share(category, zone):
    return PLAI_SHARE_EXCEPTIONS.get((category, zone), PLAI_SHARES[category])


def plai_from_plus(plus_amount, category, zone):
    """The PLAI ceiling (whole euros) for a PLUS ceiling of this category and zone;
    ``category`` is 1–6 or ``EXTRA_PERSON`` (the amount per person beyond 6)."""
    share = plai_share(category, zone)
    return int((Decimal(plus_amount) * share).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
