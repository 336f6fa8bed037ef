from django import forms
from django.utils import timezone

from .workflow import DECISION_MEANING, TRANSITIONS, Decision

# The landlord's choice: each CALEOL decision type and the transition recording it.
DECISIONS = {spec.name: spec.decision for spec in TRANSITIONS.values() if spec.decision}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Indiquez le motif."},
    )


class VisitForm(forms.Form):
    visit_at = forms.DateTimeField(
        label="Date et heure de la visite",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": "Indiquez la date de la visite.",
            "invalid": "Saisissez une date et une heure valides.",
        },
    )


def _today_max(widget):
    """The browser's date picker stops at today (the service refuses later dates too)."""
    widget.attrs["max"] = timezone.localdate().isoformat()
    return widget


class DecisionForm(forms.Form):
    """The CALEOL's decision: one of the five decision types, each with its meaning."""

    decision = forms.ChoiceField(
        label="Décision de la commission (CALEOL)",
        choices=[(name, Decision(decision).label) for name, decision in DECISIONS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la décision."},
    )
    committee_on = forms.DateField(
        label="Date de la commission",
        help_text="La date de la commission ne peut être ni dans le futur, ni avant la visite "
        "enregistrée.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de la commission.",
            "invalid": "Saisissez une date valide.",
        },
    )
    rank = forms.IntegerField(
        label="Rang",
        help_text="Obligatoire pour une attribution par ordre de priorité ; chaque rang est "
        "unique pour un logement.",
        min_value=1,
        max_value=10,
        required=False,
        error_messages={"min_value": "Le rang commence à 1.", "max_value": "Rang 10 au plus."},
    )
    reason = forms.CharField(
        label="Motif ou condition",
        help_text="Obligatoire pour une attribution sous condition suspensive (la pièce à "
        "fournir et le délai), une non-attribution ou une irrecevabilité : il est communiqué "
        "au demandeur.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_max(self.fields["committee_on"].widget)
        self.meanings = [
            (Decision(decision).label, DECISION_MEANING[decision])
            for decision in DECISIONS.values()
        ]

    def clean(self):
        data = super().clean()
        name = data.get("decision")
        spec = TRANSITIONS.get(name)
        if spec and "committee_rank" in spec.records and not data.get("rank"):
            self.add_error("rank", "Indiquez le rang d'attribution.")
        if spec and spec.needs_reason and not data.get("reason"):
            self.add_error("reason", "Indiquez le motif ou la condition.")
        if data.get("committee_on") and data["committee_on"] > timezone.localdate():
            self.add_error("committee_on", "La commission ne peut pas être dans le futur.")
        return data

    def facts(self):
        return self.facts_for(self.cleaned_data)

    @staticmethod
    def facts_for(data):
        """The facts the chosen transition records (the rank only where it may), from
        the form's cleaned data (also used by the API)."""
        spec = TRANSITIONS[data["decision"]]
        facts = {"committee_on": data["committee_on"]}
        if "committee_rank" in spec.records + spec.optional and data.get("rank"):
            facts["committee_rank"] = data["rank"]
        return facts


class LeaseForm(forms.Form):
    lease_signed_on = forms.DateField(
        label="Date de signature du bail",
        help_text="Enregistrez l'entrée dans les lieux une fois le bail signé : la date ne "
        "peut pas être dans le futur.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date.", "invalid": "Saisissez une date valide."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_max(self.fields["lease_signed_on"].widget)

    def clean_lease_signed_on(self):
        signed = self.cleaned_data["lease_signed_on"]
        if signed > timezone.localdate():
            raise forms.ValidationError(
                "La date de signature du bail ne peut pas être dans le futur : enregistrez "
                "l'entrée dans les lieux une fois le bail signé."
            )
        return signed
