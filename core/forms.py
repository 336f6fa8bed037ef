from django import forms

from .models import ContactMessage


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "name": {"required": "Indiquez votre nom et votre prénom."},
            "email": {
                "required": "Indiquez votre adresse email.",
                "invalid": "Saisissez une adresse email valide.",
            },
            "subject": {"required": "Choisissez le sujet de votre message."},
            "message": {"required": "Écrivez votre message."},
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
