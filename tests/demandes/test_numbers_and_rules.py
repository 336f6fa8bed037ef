from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from demandes.forms import clean_siret
from demandes.household import Person, household_category
from demandes.numbers import mask_email, validate_number


@pytest.mark.parametrize("number", ["0080321000486G1U21", "1110520020171G1175"])
def test_the_guide_examples_are_valid(number):
    assert validate_number(number) == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0080321000486g1u21", "0080321000486G1U21"),
        (" 008 0321 000486 G1U21 ", "0080321000486G1U21"),
    ],
)
def test_lower_case_and_spaces_are_normalised(raw, expected):
    assert validate_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Saisissez votre Numéro Unique."),
        ("0080321000486G1U2", "comporte 18 caractères (vous en avez saisi 17)"),
        ("0080321000486G1U211", "vous en avez saisi 19"),
        ("0080321000486G1-21", "que des lettres et des chiffres"),
        ("0080321000486G1É21", "que des lettres et des chiffres"),
        ("0081321000486G1U21", "n'est pas valide"),  # month 13
        ("0080021000486G1U21", "n'est pas valide"),  # month 00
    ],
)
def test_a_bad_number_is_refused_with_the_reason(raw, message):
    with pytest.raises(ValidationError) as exc:
        validate_number(raw)
    assert message in exc.value.messages[0]


def test_the_email_is_masked_as_in_the_guide():
    assert mask_email("dupontjean@yopmail.com") == "*****@yopmail.com"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("732 829 320 00074", None),
        ("73282932000075", "n'est pas valide"),
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "que des chiffres"),
    ],
)
def test_siret_is_checked_with_python_stdnum(raw, message):
    if message is None:
        assert clean_siret(raw) == "73282932000074"
    else:
        with pytest.raises(ValidationError) as exc:
            clean_siret(raw)
        assert message in exc.value.messages[0]


TODAY = date(2026, 11, 24)
ADULT = Person(date(1980, 1, 1))
YOUNG = Person(date(2000, 1, 1))
CHILD = Person(date(2015, 1, 1), dependant=True)


@pytest.mark.parametrize(
    ("adults", "dependants", "expected"),
    [
        ([ADULT], [], (1, 0)),
        ([Person(date(1980, 1, 1), disabled=True)], [], (2, 0)),
        ([ADULT, ADULT], [], (2, 0)),
        ([YOUNG, YOUNG], [], (3, 0)),  # jeune ménage: 26 + 26 <= 55
        ([ADULT], [CHILD], (3, 0)),  # one person + one dependant
        ([ADULT, ADULT], [CHILD], (3, 0)),
        ([ADULT], [CHILD, CHILD], (4, 0)),
        ([ADULT, ADULT], [CHILD, CHILD, CHILD, CHILD], (6, 0)),
        ([ADULT, ADULT], [CHILD] * 6, (6, 2)),
    ],
)
def test_household_category(adults, dependants, expected):
    assert household_category(adults, dependants, TODAY) == expected


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@given(
    territory=st.text(ALNUM, min_size=3, max_size=3),
    month=st.integers(1, 12),
    rest=st.text(ALNUM, min_size=13, max_size=13),
    cuts=st.lists(st.integers(0, 18), max_size=4),
)
def test_any_well_formed_number_survives_lower_case_and_spaces(territory, month, rest, cuts):
    number = f"{territory}{month:02d}{rest}"
    typed = number.lower()
    for cut in sorted(cuts, reverse=True):
        typed = typed[:cut] + " " + typed[cut:]
    assert validate_number(typed) == number
