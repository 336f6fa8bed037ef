"""The guide's password rules, each a Django validator used everywhere a password is set."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.forms import password_rules_text
from accounts.models import User


def errors_for(password, email="jean.dupont@example.org"):
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("Logement2026", []),
        ("Écrin2026é", []),  # accented letters count as upper and lower case
        ("Hlmpqr1", ["password_too_short"]),
        ("Hlmpqrst", ["password_no_digit"]),
        ("hlmpqrs1", ["password_no_upper"]),
        ("HLMPQRS1", ["password_no_lower"]),
        ("", ["password_too_short", "password_no_digit", "password_no_upper", "password_no_lower"]),
        ("😀😀😀😀😀😀😀😀", ["password_no_digit", "password_no_upper", "password_no_lower"]),
        ("Aa1" + "x" * 5000, []),
    ],
)
def test_each_broken_rule_is_named(password, codes):
    assert errors_for(password) == codes


def test_the_password_may_not_be_the_user_name():
    email = "jean.dupont1@example.org"
    assert "password_is_username" in errors_for("Jean.Dupont1@example.org", email)
    assert "password_is_username" in errors_for("Jean.Dupont1", email)  # the local part
    assert "password_is_username" not in errors_for("Jean.Dupont12", email)


def test_common_or_name_like_passwords_are_refused_too():
    assert errors_for("Azerty123") == ["password_too_common"]
    assert errors_for("Password1") == ["password_too_common"]
    assert errors_for("Jean.Dupont12", "jean.dupont1@example.org") == ["password_too_similar"]
    assert errors_for("Logement2026") == []


def test_the_rules_are_shown_as_in_the_guide():
    assert password_rules_text() == (
        "Votre mot de passe doit contenir au moins 8 caractères , doit contenir au moins "
        "1 chiffre(s) , ne doit pas être identique au nom d'utilisateur , doit contenir au "
        "moins 1 lettre(s) en majuscule et doit contenir au moins 1 lettre(s) en minuscule."
        " Il ne doit pas être un mot de passe courant et ne doit pas ressembler à vos nom, "
        "prénom ou adresse email."
    )


@given(st.text(max_size=40))
@hypothesis_settings(max_examples=300, deadline=None)
def test_a_password_is_accepted_exactly_when_it_follows_the_four_rules(password):
    """The validators against the rules written in plain Python."""
    import re

    email = "jean.dupont@example.org"
    expected = (
        len(password) >= 8
        and re.search(r"\d", password) is not None
        and re.search(r"[A-ZÀ-ÖØ-Þ]", password) is not None
        and re.search(r"[a-zß-öø-ÿ]", password) is not None
        and password.strip().lower() not in {email, "jean.dupont"}
    )
    guide_errors = [
        code
        for code in errors_for(password, email)
        if code not in ("password_too_common", "password_too_similar")
    ]
    assert (guide_errors == []) is expected
