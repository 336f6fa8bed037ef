from django import forms
from django.db.models import Q
from django.utils import timezone

from territoires.models import Commune

from . import photos
from .models import Offer


class OfferForm(forms.ModelForm):
    """A landlord's offer. The commune is given by its INSEE code or postal code."""

    commune_code = forms.CharField(
        label="Commune (code INSEE ou code postal)",
        max_length=5,
        help_text="Par exemple 93070 (code INSEE) ou 93400 (code postal).",
        error_messages={"required": "Indiquez la commune du logement."},
    )

    class Meta:
        model = Offer
        fields = [
            "reference",
            "title",
            "description",
            "kind",
            "typology",
            "surface",
            "floor",
            "has_lift",
            "reduced_mobility",
            "rent",
            "charges",
            "financing",
            "energy_class",
            "climate_class",
            "address",
            "available_from",
            "deadline",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.commune_id:
            self.fields["commune_code"].initial = self.instance.commune_id
        for name in ("rent", "charges", "surface"):
            self.fields[name].widget.attrs["min"] = "0"
        # The commune comes right after the address.
        fields = list(self.Meta.fields)
        fields.insert(fields.index("address") + 1, "commune_code")
        self.order_fields(fields)

    def clean_commune_code(self):
        code = "".join(self.cleaned_data["commune_code"].split())
        matches = list(Commune.objects.filter(Q(insee_code=code) | Q(postal_code=code))[:2])
        if not matches:
            raise forms.ValidationError("Aucune commune ne correspond à ce code.")
        if len(matches) > 1:
            raise forms.ValidationError(
                "Plusieurs communes ont ce code postal : indiquez le code INSEE."
            )
        return matches[0]

    def clean_surface(self):
        surface = self.cleaned_data["surface"]
        if surface is not None and surface <= 0:
            raise forms.ValidationError("La surface doit être positive.")
        return surface

    def clean(self):
        data = super().clean()
        for name in ("rent", "charges"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, "Le montant ne peut pas être négatif.")
        deadline, available = data.get("deadline"), data.get("available_from")
        if deadline and deadline < timezone.localdate() and not self.instance.pk:
            self.add_error("deadline", "La date limite de candidature ne peut pas être passée.")
        if deadline and available and deadline > available + timezone.timedelta(days=365):
            self.add_error("deadline", "La date limite est trop éloignée de la disponibilité.")
        return data

    def save(self, commit=True):
        self.instance.commune = self.cleaned_data["commune_code"]
        return super().save(commit=commit)


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
        if len(files) > photos.MAX_PER_UPLOAD:
            raise forms.ValidationError(
                f"Vous avez choisi {len(files)} photos : {photos.MAX_PER_UPLOAD} à la fois au "
                "maximum."
            )
        if self.offer is not None:
            room = photos.MAX_PER_OFFER - self.offer.photos.count()
            if len(files) > room:
                raise forms.ValidationError(
                    f"Une offre a au plus {photos.MAX_PER_OFFER} photos : vous pouvez encore "
                    f"en ajouter {max(room, 0)}."
                )
        errors = []
        for uploaded in files:
            try:
                # Checked one at a time and not kept: ten decoded photos would not fit
                # in memory; the service decodes each again to re-encode it.
                photos.read_image(uploaded)
            except forms.ValidationError as exc:
                prefix = f"{uploaded.name} : " if len(files) > 1 else ""
                errors.extend(f"{prefix}{message}" for message in exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files
