import pytest

from accounts.forms import ProfileForm, SignupForm

VALID = {
    "civility": "mme",
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
