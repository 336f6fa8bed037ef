"""The API's JSON, with the same French keys as the import file (docs/offres.md).
Serializers only read JSON into plain data; the rules are the services' ones."""

from rest_framework import serializers

from candidatures.forms import DecisionForm
from candidatures.models import Candidature
from offres.models import Offer, OfferPhoto

# API key → the services' keyword (offres.services.EDITABLE_FIELDS).
OFFER_FIELDS = {
    "reference": "reference",
    "titre": "title",
    "description": "description",
    "type": "kind",
    "typologie": "typology",
    "surface": "surface",
    "etage": "floor",
    "ascenseur": "has_lift",
    "pmr": "reduced_mobility",
    "loyer": "rent",
    "charges": "charges",
    "financement": "financing",
    "dpe": "energy_class",
    "ges": "climate_class",
    "adresse": "address",
    "commune": "commune",
    "disponible_le": "available_from",
    "date_limite": "deadline",
}
API_NAMES = {service: api for api, service in OFFER_FIELDS.items()}


def api_errors(errors):
    """The services' errors under the API's field names."""
    return {API_NAMES.get(name, name): messages for name, messages in errors.items()}


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)
    vignette = serializers.ImageField(source="thumbnail", read_only=True)
    description = serializers.CharField(source="alt", read_only=True)

    class Meta:
        model = OfferPhoto
        fields = ["id", "url", "vignette", "description"]


class OfferSerializer(serializers.ModelSerializer):
    titre = serializers.CharField(source="title")
    type = serializers.ChoiceField(source="kind", choices=Offer.Kind.choices)
    typologie = serializers.ChoiceField(source="typology", choices=Offer.Typology.choices)
    etage = serializers.IntegerField(source="floor")
    ascenseur = serializers.BooleanField(source="has_lift")
    pmr = serializers.BooleanField(source="reduced_mobility")
    loyer = serializers.DecimalField(source="rent", max_digits=8, decimal_places=2)
    financement = serializers.ChoiceField(source="financing", choices=Offer.Financing.choices)
    dpe = serializers.CharField(source="energy_class")
    ges = serializers.CharField(source="climate_class")
    adresse = serializers.CharField(source="address")
    commune_insee = serializers.CharField(source="commune_id")
    commune = serializers.CharField(source="commune.name")
    code_postal = serializers.CharField(source="commune.postal_code")
    departement = serializers.CharField(source="commune.department_id")
    disponible_le = serializers.DateField(source="available_from")
    date_limite = serializers.DateField(source="deadline")
    statut = serializers.ChoiceField(source="status", choices=Offer.Status.choices)
    publiee_le = serializers.DateTimeField(source="published_at", allow_null=True)
    creee_le = serializers.DateTimeField(source="created_at")
    modifiee_le = serializers.DateTimeField(source="updated_at")
    candidatures_transmises = serializers.IntegerField(
        source="forwarded_count", default=0, help_text="Candidatures transmises sur cette offre."
    )
    photos = PhotoSerializer(many=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "reference",
            "titre",
            "description",
            "type",
            "typologie",
            "surface",
            "etage",
            "ascenseur",
            "pmr",
            "loyer",
            "charges",
            "financement",
            "dpe",
            "ges",
            "adresse",
            "commune_insee",
            "commune",
            "code_postal",
            "departement",
            "disponible_le",
            "date_limite",
            "statut",
            "publiee_le",
            "creee_le",
            "modifiee_le",
            "candidatures_transmises",
            "photos",
        ]
        read_only_fields = fields


class OfferWriteSerializer(serializers.Serializer):
    """What a landlord's software sends to create (all required fields) or change (any
    of them) an offer."""

    reference = serializers.CharField(max_length=50, required=False, allow_blank=True)
    titre = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    type = serializers.ChoiceField(choices=Offer.Kind.choices, required=False)
    typologie = serializers.ChoiceField(choices=Offer.Typology.choices)
    surface = serializers.DecimalField(max_digits=6, decimal_places=2)
    etage = serializers.IntegerField(required=False, min_value=-5, max_value=60)
    ascenseur = serializers.BooleanField(required=False)
    pmr = serializers.BooleanField(required=False)
    loyer = serializers.DecimalField(max_digits=8, decimal_places=2)
    charges = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    financement = serializers.ChoiceField(choices=Offer.Financing.choices)
    dpe = serializers.ChoiceField(
        choices=Offer.EnergyClass.choices, required=False, allow_blank=True
    )
    ges = serializers.ChoiceField(
        choices=Offer.EnergyClass.choices, required=False, allow_blank=True
    )
    adresse = serializers.CharField(max_length=255)
    commune = serializers.CharField(
        max_length=120,
        help_text="Code INSEE (conseillé), code postal d'une seule commune, ou « Nom (code) ».",
    )
    disponible_le = serializers.DateField()
    date_limite = serializers.DateField()

    def service_data(self):
        return {OFFER_FIELDS[name]: value for name, value in self.validated_data.items()}


class OfferCreateSerializer(OfferWriteSerializer):
    publier = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Publier l'offre dans la même requête (sinon elle reste en brouillon).",
    )

    def service_data(self):
        data = dict(self.validated_data)
        data.pop("publier", None)
        return {OFFER_FIELDS[name]: value for name, value in data.items()}


class PhotoUploadSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(), help_text="Une ou plusieurs photos (JPEG, PNG, WebP)."
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CandidatureSerializer(serializers.ModelSerializer):
    offre = serializers.IntegerField(source="offer_id")
    offre_reference = serializers.CharField(source="offer.reference")
    offre_titre = serializers.CharField(source="offer.title")
    numero_unique = serializers.CharField(source="number")
    # The request's applicant(s), the legal applicants, not the account holder's name.
    demandeur = serializers.CharField(
        source="applicants_names",
        help_text="Le ou les demandeurs de la demande : « Monsieur Paul NGUYEN et Madame "
        "Marie NGUYEN ».",
    )
    statut = serializers.CharField(source="status")
    statut_libelle = serializers.CharField(source="get_status_display")
    transmise_le = serializers.DateTimeField(source="forwarded_at", allow_null=True)
    visite_le = serializers.DateTimeField(source="visit_at", allow_null=True)
    commission_le = serializers.DateField(source="committee_on", allow_null=True)
    rang_commission = serializers.IntegerField(source="committee_rank", allow_null=True)
    motif = serializers.CharField(source="decision_reason")
    bail_signe_le = serializers.DateField(source="lease_signed_on", allow_null=True)
    public_prioritaire = serializers.BooleanField(source="legal_priority")
    anciennete = serializers.DateField(source="first_filed_on")

    class Meta:
        model = Candidature
        fields = [
            "id",
            "offre",
            "offre_reference",
            "offre_titre",
            "numero_unique",
            "demandeur",
            "statut",
            "statut_libelle",
            "transmise_le",
            "visite_le",
            "commission_le",
            "rang_commission",
            "motif",
            "bail_signe_le",
            "public_prioritaire",
            "anciennete",
        ]
        read_only_fields = fields


class VisitSerializer(serializers.Serializer):
    visite_le = serializers.DateTimeField(help_text="Date et heure de la visite.")


class DecisionSerializer(serializers.Serializer):
    # The five CALEOL decisions (candidatures.forms.DecisionForm, one validation).
    decision = serializers.ChoiceField(choices=DecisionForm.base_fields["decision"].choices)
    commission_le = serializers.DateField()
    rang = serializers.IntegerField(required=False, min_value=1, max_value=10)
    motif = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LeaseSerializer(serializers.Serializer):
    bail_signe_le = serializers.DateField()
