from django import forms

from . import photos, services
from .models import Offer


class OfferForm(forms.ModelForm):
    """A landlord's offer. Rendering only: the rules are ``services.validate_offer``'s,
    the same for import_offres and the API. The commune is found by name, postal or
    INSEE code with the applicants' autocomplete."""

    commune_code = forms.CharField(
        label="Commune (nom, code postal ou code INSEE)",
        max_length=120,
        help_text="Tapez le début du nom ou le code postal, puis choisissez dans la liste.",
        error_messages={"required": "Indiquez la commune du logement."},
        widget=forms.TextInput(attrs={"list": "communes-suggestions", "autocomplete": "off"}),
    )

    class Meta:
        model = Offer
        fields = [name for name in services.EDITABLE_FIELDS if name != "commune"]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, landlord, **kwargs):
        super().__init__(*args, **kwargs)
        self.landlord = landlord
        if self.instance.pk and self.instance.commune_id:
            commune = self.instance.commune
            self.fields["commune_code"].initial = f"{commune.name} ({commune.insee_code})"
        for name in ("rent", "charges", "surface"):
            self.fields[name].widget.attrs["min"] = "0"
        # The commune comes right after the address.
        fields = list(self.Meta.fields)
        fields.insert(fields.index("address") + 1, "commune_code")
        self.order_fields(fields)

    def offer_data(self):
        """The plain data the services take."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["commune"] = self.cleaned_data["commune_code"]
        return data

    def _post_clean(self):
        # Instead of the model's validation: the services' one, errors shown per field.
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data
        }
        if "commune_code" in self.cleaned_data:
            data["commune"] = self.cleaned_data["commune_code"]
        try:
            services.validate_offer(
                landlord=self.landlord, offer=self.instance if self.instance.pk else None, **data
            )
        except services.OfferInvalid as exc:
            for name, messages in exc.errors.items():
                field = "commune_code" if name == "commune" else name
                if field not in self.fields:
                    field = None
                if field is None or field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; each one is checked by Pillow (offres.photos)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            return super().clean(None, initial)  # the "required" error
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


class PhotoForm(forms.Form):
    """One or several photos at once: all are saved, or none when one is refused."""

    image = MultipleImageField(
        label=(
            "Photo (JPEG, PNG ou WebP, 5 Mo au maximum ; vous pouvez en choisir jusqu'à "
            f"{photos.MAX_PER_UPLOAD} à la fois)"
        ),
        error_messages={"required": "Choisissez au moins une photo."},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label="Description des photos (pour les personnes malvoyantes)",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer

    def clean_image(self):
        files = self.cleaned_data["image"]
        try:
            services.check_photos(offer=self.offer, files=files)
        except services.OfferInvalid as exc:
            raise forms.ValidationError(exc.errors["photos"]) from None
        return files
