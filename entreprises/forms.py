from django import forms

from demandes.extensions import check_company_code
from demandes.forms import clean_siret
from demandes.models import Demande


class ProfessionalForm(forms.Form):
    """The mini-form's professional fields, filled by HR in delegation mode (the same
    rules as the applicant's mini-form)."""

    professional_situation = forms.ChoiceField(
        label="Situation professionnelle",
        choices=Demande.ProfessionalSituation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez la situation professionnelle."},
    )
    siret = forms.CharField(label="SIRET", max_length=20, required=False)
    company_code = forms.CharField(
        label="Code Entreprise",
        max_length=30,
        required=False,
        error_messages={"max_length": "Le Code Entreprise comporte au plus 30 caractères."},
    )

    def clean_siret(self):
        return clean_siret(self.cleaned_data.get("siret"))

    def clean_company_code(self):
        return " ".join((self.cleaned_data.get("company_code") or "").split()).upper()

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("company_code")
        if code and "siret" not in self.errors:
            reason = check_company_code(code, [cleaned["siret"]] if cleaned.get("siret") else [])
            if reason:
                self.add_error("company_code", reason)
        return cleaned
