from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as stdnum_siret

from accounts.models import User

from .extensions import check_company_code
from .models import CoApplicant, Demande
from .numbers import validate_number


class NumberForm(forms.Form):
    number = forms.CharField(
        label="Numéro NUD/NUR",
        max_length=40,
        help_text="18 caractères, par exemple 0080321000486G1U21.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Saisissez votre Numéro Unique.",
            "max_length": "Le Numéro Unique comporte 18 caractères.",
        },
    )

    def clean_number(self):
        return validate_number(self.cleaned_data["number"])


class CodeForm(forms.Form):
    confirm_identity = forms.BooleanField(
        label="Je confirme être le demandeur ou le co-demandeur de cette demande de logement "
        "social.",
        required=False,
    )
    code = forms.CharField(
        label="Mon code d'accès",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Saisissez le code reçu par email."},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise ValidationError("Le code d'accès comporte 6 chiffres.")
        return code


def clean_siret(value):
    """Check a SIRET with python-stdnum; French message for each failure."""
    value = "".join((value or "").split())
    if not value:
        return ""
    try:
        return stdnum_siret.validate(value)
    except InvalidLength as exc:
        raise ValidationError("Le SIRET comporte 14 chiffres.") from exc
    except InvalidFormat as exc:
        raise ValidationError("Le SIRET ne contient que des chiffres.") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "Ce SIRET n'est pas valide : vérifiez-le sur votre bulletin de salaire."
        ) from exc


MOBILE_EXAMPLE = "06 12 34 56 78"
LANDLINE_EXAMPLE = "01 23 45 67 89"
CIVILITIES = [(User.Civility.MADAME, "Madame"), (User.Civility.MONSIEUR, "Monsieur")]


def phone_field(label, example):
    return PhoneNumberField(
        label=label,
        region="FR",
        required=False,
        error_messages={
            "invalid": f"Saisissez un numéro de téléphone valide (par exemple {example})."
        },
    )


class ApplicantFields(forms.ModelForm):
    """The rules of an applicant block of the mini-form (Demandeur 1 and Demandeur 2)."""

    civility = forms.ChoiceField(
        label="Civilité",
        choices=CIVILITIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez la civilité."},
    )
    mobile_phone = phone_field("Téléphone portable", MOBILE_EXAMPLE)
    landline_phone = phone_field("Téléphone fixe", LANDLINE_EXAMPLE)
    # As printed on payslips ("732 829 320 00074"): spaces are accepted, then removed.
    siret = forms.CharField(
        label="SIRET",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"max_length": "Le SIRET comporte 14 chiffres."},
    )

    FIELDS = [
        "civility",
        "usage_name",
        "first_name",
        "email",
        "mobile_phone",
        "landline_phone",
        "professional_situation",
        "siret",
        "company_code",
    ]
    LABELS = {
        "usage_name": "Nom d'usage ou d'époux(se)",
        "first_name": "Prénom",
        "email": "Email",
        "professional_situation": "Situation professionnelle",
        "company_code": "Code Entreprise",
    }
    ERRORS = {
        "first_name": {"required": "Indiquez le prénom."},
        "email": {
            "required": "Indiquez l'email.",
            "invalid": "Saisissez une adresse email valide.",
        },
        "usage_name": {"max_length": "Au plus 150 caractères."},
        "company_code": {"max_length": "Le Code Entreprise comporte au plus 30 caractères."},
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        situation = self.fields["professional_situation"]
        situation.required = True
        situation.choices = Demande.ProfessionalSituation.choices
        situation.widget = forms.RadioSelect(choices=situation.choices)
        situation.error_messages["required"] = "Indiquez la situation professionnelle."
        # The first name is part of the identity checked on each update: it is changed
        # on the national site only.
        self.fields["first_name"].disabled = True
        self.fields["first_name"].help_text = (
            "Pour le modifier, rendez-vous sur demande-logement-social.gouv.fr puis "
            "« Mettre à jour ma demande »."
        )
        self.fields["usage_name"].required = True
        self.fields["usage_name"].error_messages["required"] = "Indiquez le nom d'usage."
        self.fields["email"].required = True
        self.fields["siret"].help_text = (
            "N° à retrouver sur le bulletin de salaire (les espaces sont acceptés). Vérifiez "
            "bien qu'il s'agit du N° SIRET auquel la demande doit être rattachée par Action "
            "Logement."
        )
        self.fields[
            "company_code"
        ].help_text = "Si l'entreprise a défini un Code Entreprise, il faut le renseigner."

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_company_code(self):
        return " ".join((self.cleaned_data.get("company_code") or "").split()).upper()

    def other_applicant_siret(self):
        """The other applicant's SIRET (a Code Entreprise may be the other's company)."""
        return ""

    def clean(self):
        # The Code Entreprise is checked against the companies known to the portal
        # (demandes.extensions, filled by the entreprises app).
        cleaned = super().clean()
        code = cleaned.get("company_code")
        if code and "siret" not in self.errors:
            sirets = [s for s in (cleaned.get("siret"), self.other_applicant_siret()) if s]
            reason = check_company_code(code, sirets)
            if reason:
                self.add_error("company_code", reason)
        return cleaned


class InformationForm(ApplicantFields):
    """ "Saisie de vos informations demandeur(s)": Demandeur 1 and the data choices."""

    data_sharing = forms.TypedChoiceField(
        label="Mes choix",
        coerce=int,
        choices=Demande.DataSharing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre choix concernant vos données personnelles."},
    )

    class Meta:
        model = Demande
        fields = [*ApplicantFields.FIELDS, "data_sharing"]
        labels = ApplicantFields.LABELS
        error_messages = ApplicantFields.ERRORS

    def other_applicant_siret(self):
        return self.instance.co_applicant_siret


class CoApplicantForm(ApplicantFields):
    """The "Demandeur 2" block, when the request has a co-applicant (same rules)."""

    class Meta:
        model = CoApplicant
        fields = ApplicantFields.FIELDS
        labels = ApplicantFields.LABELS
        error_messages = ApplicantFields.ERRORS

    def other_applicant_siret(self):
        return self.instance.demande.siret


class ConfirmDocumentsForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme avoir déposé l'ensemble de ces pièces sur "
        "demande-logement-social.gouv.fr.",
        error_messages={"required": "Cochez la case pour confirmer le dépôt de vos pièces."},
    )


class DeleteDemandeForm(forms.Form):
    confirm = forms.BooleanField(
        label="Je confirme vouloir supprimer ma demande d'AL'in.",
        error_messages={"required": "Cochez la case pour confirmer la suppression."},
    )
