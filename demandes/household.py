"""Household rules of the resource ceilings (arrêté du 29 juillet 1987, annexes).

Category of the household: its number of persons, plus one when a person has a
disability, when a person alone has dependants, or for a "jeune ménage" (a couple
without dependant whose ages add up to 55 or less). Categories stop at 6; beyond,
each extra person adds a fixed amount to the category-6 ceiling.
"""

from dataclasses import dataclass
from datetime import date

YOUNG_COUPLE_MAX_AGES = 55
MAX_CATEGORY = 6


@dataclass(frozen=True)
class Person:
    birth_date: date
    disabled: bool = False
    dependant: bool = False


def age_on(birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def is_young_couple(adults: list[Person], dependants: list[Person], today: date) -> bool:
    """A couple without dependant whose ages add up to 55 or less."""
    return (
        len(adults) == 2
        and not dependants
        and sum(age_on(p.birth_date, today) for p in adults) <= YOUNG_COUPLE_MAX_AGES
    )


def household_category(adults: list[Person], dependants: list[Person], today: date):
    """Return (category 1–6, persons beyond category 6) for the ceilings."""
    persons = len(adults) + len(dependants)
    effective = persons
    everyone = adults + dependants
    if (
        any(p.disabled for p in everyone)
        or (len(adults) == 1 and dependants)
        or is_young_couple(adults, dependants, today)
    ):
        effective += 1
    return min(effective, MAX_CATEGORY), max(0, effective - MAX_CATEGORY)


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


def category_reason(adults: list[Person], dependants: list[Person], today: date) -> str:
    """Why the household has its category, in French (shown to applicants, advisors and
    landlords): the persons, and what adds one category."""
    persons = len(adults) + len(dependants)
    category, extra = household_category(adults, dependants, today)
    why = []
    if any(p.disabled for p in adults + dependants):
        why.append("une personne en situation de handicap")
    if len(adults) == 1 and dependants:
        why.append(f"une personne seule avec {_plural(len(dependants), 'personne')} à charge")
    if is_young_couple(adults, dependants, today):
        ages = sum(age_on(p.birth_date, today) for p in adults)
        why.append(
            f"jeune ménage (couple sans personne à charge dont les âges font {ages} ans, "
            f"{YOUNG_COUPLE_MAX_AGES} ans au plus)"
        )
    text = f"Catégorie {category} : {_plural(persons, 'personne')}"
    if why:
        text += f", une catégorie de plus pour {' et '.join(why)}"
    if extra:
        text += f" ; {_plural(extra, 'personne')} au-delà de la catégorie 6"
    return text + "."
