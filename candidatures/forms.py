from django import forms
from django.utils import timezone


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


class DecisionForm(forms.Form):
    DECISIONS = [
        ("attribute", "Attribué (avec un rang)"),
        ("attribute_with_condition", "Attribué sous condition"),
        ("refuse", "Non attribué"),
    ]
    decision = forms.ChoiceField(
        label="Décision de la commission (CALEOL)",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la décision."},
    )
    committee_on = forms.DateField(
        label="Date de la commission",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de la commission.",
            "invalid": "Saisissez une date valide.",
        },
    )
    rank = forms.IntegerField(label="Rang", min_value=1, max_value=10, required=False)
    reason = forms.CharField(
        label="Motif ou condition",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "attribute" and not data.get("rank"):
            self.add_error("rank", "Indiquez le rang d'attribution.")
        if decision in ("attribute_with_condition", "refuse") and not data.get("reason"):
            self.add_error("reason", "Indiquez le motif ou la condition.")
        if data.get("committee_on") and data["committee_on"] > timezone.localdate():
            self.add_error("committee_on", "La commission ne peut pas être dans le futur.")
        return data


class LeaseForm(forms.Form):
    lease_signed_on = forms.DateField(
        label="Date de signature du bail",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Indiquez la date.", "invalid": "Saisissez une date valide."},
    )
