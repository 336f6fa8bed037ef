import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.forms import ProfileForm, SignupForm
from accounts.models import User

VALID = {
    "civility": User.Civility.MADAME,
    "last_name": "Di Biase",
    "first_name": "Alexandra",
    "mobile_phone": "07 81 23 45 67",
    "email": "alex.dib@yopmail.com",
    "data_consent": "on",
}


@pytest.mark.django_db
def test_a_complete_sign_up_form_is_valid_and_the_phone_normalised():
    form = SignupForm(data=VALID)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["mobile_phone"]) == "+33781234567"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("civility", "", "Indiquez votre civilité."),
        ("civility", "autre", "Sélectionnez un choix valide"),
        ("last_name", "", "Indiquez votre nom de naissance."),
        ("last_name", "   ", "Indiquez votre nom de naissance."),
        ("last_name", "Dupont3", "sans chiffre ni caractère spécial"),
        ("last_name", "x" * 151, "au plus 150 caractères"),
        ("first_name", "", "Indiquez votre prénom."),
        ("first_name", "<script>", "sans chiffre ni caractère spécial"),
        ("mobile_phone", "", "Indiquez votre numéro de téléphone portable."),
        ("mobile_phone", "01 23 45 67 89", "téléphone portable français"),
        ("mobile_phone", "+44 7911 123456", "téléphone portable français"),
        ("mobile_phone", "06 12", "numéro de téléphone portable valide"),
        ("mobile_phone", "☎" * 3000, "numéro de téléphone portable valide"),
        ("email", "", "Indiquez votre adresse email."),
        ("email", "pas-une-adresse", "Saisissez une adresse email valide."),
        ("data_consent", "", "Vous devez accepter l'utilisation de vos données personnelles"),
    ],
)
def test_each_invalid_sign_up_field_gets_a_french_error(field, value, message):
    form = SignupForm(data={**VALID, field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.django_db
def test_unicode_names_are_accepted_and_spaces_tidied():
    form = SignupForm(data={**VALID, "last_name": "  N'Guessan-Lefèvre  ", "first_name": "Zoë"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["last_name"] == "N'Guessan-Lefèvre"


@pytest.mark.django_db
def test_a_missing_field_set_is_refused_field_by_field():
    form = SignupForm(data={})
    assert not form.is_valid()
    assert set(form.errors) >= {
        "civility",
        "last_name",
        "first_name",
        "mobile_phone",
        "email",
        "data_consent",
    }


@pytest.mark.django_db
def test_the_profile_form_checks_the_same_rules():
    form = ProfileForm(data={**VALID, "mobile_phone": "0145454545"})
    assert not form.is_valid()
    assert "téléphone portable français" in " ".join(form.errors["mobile_phone"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("a" * 250 + "@example.org", "254 caractères au plus"),
        ("josé@exemple", "Saisissez une adresse email valide."),
        ("deux@@example.org", "Saisissez une adresse email valide."),
    ],
)
def test_a_sign_up_email_too_long_or_malformed_is_refused(email, message):
    form = SignupForm(data={**VALID, "email": email})
    assert not form.is_valid()
    assert message in " ".join(form.errors["email"])


@pytest.mark.django_db
def test_a_sign_up_email_is_stored_in_lower_case():
    form = SignupForm(data={**VALID, "email": "Alex.DiB@YopMail.com"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "alex.dib@yopmail.com"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phone", ["0612345678", "+33 7 81 23 45 67", "0033612345678", "06.12.34.56.78"]
)
def test_every_usual_way_of_writing_a_french_mobile_is_accepted(phone):
    form = SignupForm(data={**VALID, "mobile_phone": phone})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["mobile_phone"]).startswith("+336") or str(
        form.cleaned_data["mobile_phone"]
    ).startswith("+337")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Ce champ est obligatoire."]),
        (
            {"new_password1": "abc", "new_password2": "abc"},
            ["au moins 8 caractères", "au moins 1 chiffre", "au moins 1 lettre en majuscule"],
        ),
        (
            {"new_password1": "Logement2026", "new_password2": "Logement2027"},
            ["Les deux mots de passe ne sont pas identiques."],
        ),
        (
            {"new_password1": "Zoe.Martin1", "new_password2": "Zoe.Martin1"},
            ["identique au nom d'utilisateur"],
        ),
    ],
)
def test_the_first_password_form_names_every_problem(data, messages):
    from accounts.forms import InitialPasswordForm
    from accounts.models import User

    form = InitialPasswordForm(User(email="zoe.martin1@example.org"), data=data)
    assert not form.is_valid()
    errors = " ".join(e for field in form.errors.values() for e in field)
    for message in messages:
        assert message in errors


@pytest.mark.django_db
def test_the_first_password_form_accepts_a_long_unicode_password():
    from accounts.forms import InitialPasswordForm
    from accounts.models import User

    password = "Écrin-été-9" + "ñ" * 500
    user = User(email="zoe@example.org")
    form = InitialPasswordForm(user, data={"new_password1": password, "new_password2": password})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_change_password_form_checks_the_current_one_and_the_rules():
    from accounts.forms import ChangePasswordForm
    from tests.accounts.factories import PASSWORD, UserFactory

    user = UserFactory()
    wrong = ChangePasswordForm(
        user=user,
        data={"oldpassword": "Faux2026", "password1": "Logement2026", "password2": "Logement2026"},
    )
    assert not wrong.is_valid() and "oldpassword" in wrong.errors
    weak = ChangePasswordForm(
        user=user,
        data={"oldpassword": PASSWORD, "password1": "LOGEMENT", "password2": "LOGEMENT"},
    )
    assert not weak.is_valid()
    errors = " ".join(weak.errors["password1"])
    assert "au moins 1 chiffre" in errors and "au moins 1 lettre en minuscule" in errors
    assert weak.fields["password1"].help_text.startswith("Votre mot de passe doit contenir")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_name", "data", "field", "message"),
    [
        ("ResetPasswordForm", {}, "email", "Indiquez votre adresse email."),
        ("ResetPasswordForm", {"email": "x" * 300}, "email", "adresse email valide"),
        ("ResendConfirmationForm", {"email": ""}, "email", "Indiquez votre adresse email."),
        ("ResendConfirmationForm", {"email": "@"}, "email", "adresse email valide"),
        ("DeleteAccountForm", {}, "confirm", "Cochez la case pour confirmer la suppression."),
    ],
)
def test_the_small_forms_refuse_in_french(form_name, data, field, message):
    from accounts import forms

    form = getattr(forms, form_name)(data=data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.django_db
@given(
    first=st.sampled_from("67"),
    digits=st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8),
    separator=st.sampled_from(["", " ", ".", "-"]),
    prefix=st.sampled_from(["0", "+33 ", "0033"]),
)
@hypothesis_settings(max_examples=100, deadline=None)
def test_any_french_mobile_however_written_is_stored_in_e164(first, digits, separator, prefix):
    pairs = [first + digits[0]] + ["".join(digits[i : i + 2]) for i in range(1, 8, 2)]
    written = prefix + separator.join(pairs)
    form = SignupForm(data={**VALID, "mobile_phone": written})
    number = first + "".join(digits)
    if form.is_valid():
        assert str(form.cleaned_data["mobile_phone"]) == "+33" + number
    else:
        # Only numbers outside the mobile plan are refused (e.g. 07 0x… is not allocated).
        assert "mobile_phone" in form.errors and len(form.errors) == 1
