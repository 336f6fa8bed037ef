from django import forms
from django.core.exceptions import ValidationError
from phonenumber_field.formfields import PhoneNumberField
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as stdnum_siret

from .extensions import check_company_code
from .models import Demande
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


class InformationForm(forms.ModelForm):
    """ "Saisie de vos informations demandeur(s)"."""

    civility = forms.ChoiceField(
        label="Civilité",
        choices=[("mme", "Madame"), ("m", "Monsieur")],
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre civilité."},
    )
    mobile_phone = PhoneNumberField(label="Téléphone portable", region="FR", required=False)
    landline_phone = PhoneNumberField(label="Téléphone fixe", region="FR", required=False)
    data_sharing = forms.TypedChoiceField(
        label="Mes choix",
        coerce=int,
        choices=Demande.DataSharing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre choix concernant vos données personnelles."},
    )

    class Meta:
        model = Demande
        fields = [
            "civility",
            "usage_name",
            "first_name",
            "email",
            "mobile_phone",
            "landline_phone",
            "professional_situation",
            "siret",
            "company_code",
            "data_sharing",
        ]
        labels = {
            "usage_name": "Nom d'usage ou d'époux(se)",
            "first_name": "Prénom",
            "email": "Email",
            "professional_situation": "Situation professionnelle",
            "siret": "SIRET",
            "company_code": "Code Entreprise",
        }
        help_texts = {
            "siret": "N° à retrouver sur votre bulletin de salaire. Vérifiez bien qu'il s'agit "
            "du N° SIRET auquel vous souhaitez que votre demande soit rattachée par Action "
            "Logement.",
            "company_code": (
                "Si votre entreprise a défini un Code Entreprise, il faut le renseigner."
            ),
        }
        widgets = {"professional_situation": forms.RadioSelect}
        error_messages = {
            "first_name": {"required": "Indiquez votre prénom."},
            "email": {
                "required": "Indiquez votre email.",
                "invalid": "Saisissez une adresse email valide.",
            },
            "usage_name": {"max_length": "Au plus 150 caractères."},
            "company_code": {"max_length": "Le Code Entreprise comporte au plus 30 caractères."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional_situation"].required = True
        self.fields["professional_situation"].choices = Demande.ProfessionalSituation.choices
        self.fields["professional_situation"].error_messages["required"] = (
            "Indiquez votre situation professionnelle."
        )
        # The first name is part of the identity checked on each update: it is changed
        # on the national site only.
        self.fields["first_name"].disabled = True
        self.fields["first_name"].help_text = (
            "Pour le modifier, rendez-vous sur demande-logement-social.gouv.fr puis "
            "« Mettre à jour ma demande »."
        )
        self.fields["usage_name"].required = True
        self.fields["usage_name"].error_messages["required"] = "Indiquez votre nom d'usage."

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_company_code(self):
        return " ".join((self.cleaned_data.get("company_code") or "").split()).upper()

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("company_code")
        if code and "siret" not in self.errors:
            sirets = [s for s in (cleaned.get("siret"), self.instance.co_applicant_siret) if s]
            reason = check_company_code(code, sirets)
            if reason:
                self.add_error("company_code", reason)
        return cleaned


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
