"""The landlords' API, version 1: the same services as the landlord space."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from candidatures import services as candidature_services
from candidatures.forms import DecisionForm, LeaseForm, VisitForm
from candidatures.landlord_views import file_pdf
from candidatures.models import Candidature
from candidatures.workflow import Role
from offres import extensions
from offres import services as offer_services
from offres.models import Offer, OfferPhoto

from . import serializers as s
from .base import LandlordAPIMixin
from .errors import InvalidData
from .filters import CandidatureFilter, OfferFilter


class Cursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "taille"
    max_page_size = 200
    cursor_query_description = "Le curseur de la page (lien « next » ou « previous »)."
    page_size_query_description = "Nombre de résultats par page (200 au plus)."


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _service(call, **kwargs):
    """Run a service; its French field errors come back under the API's names."""
    try:
        return call(**kwargs)
    except offer_services.OfferInvalid as exc:
        raise InvalidData(s.api_errors(exc.errors)) from None


class OfferViewSet(
    LandlordAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The key's landlord's offers (another landlord's offer: 404)."""

    serializer_class = s.OfferSerializer
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = OfferFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Offer.objects.none()
        offers = (
            Offer.objects.filter(landlord=self.landlord)
            .select_related("commune")
            .prefetch_related(
                Prefetch("photos", queryset=OfferPhoto.objects.order_by("position", "pk"))
            )
        )
        return extensions.with_candidature_counts(offers)

    def _answer(self, offer, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data, status=code)

    @extend_schema(
        summary="Créer une offre (brouillon, ou publiée avec « publier »)",
        request=s.OfferCreateSerializer,
        responses={201: s.OfferSerializer},
    )
    def create(self, request):
        serializer = s.OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            offer = _service(
                offer_services.create_offer, landlord=self.landlord, **serializer.service_data()
            )
            if serializer.validated_data.get("publier"):
                offer_services.publish(offer=offer)
        return self._answer(offer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Modifier une offre (les champs envoyés seulement)",
        request=s.OfferWriteSerializer(partial=True),
        responses={200: s.OfferSerializer},
    )
    def partial_update(self, request, pk=None):
        offer = self.get_object()
        serializer = s.OfferWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        _service(offer_services.update_offer, offer=offer, **serializer.service_data())
        return self._answer(offer)

    @extend_schema(summary="Publier une offre", request=None, responses={200: s.OfferSerializer})
    @action(detail=True, methods=["post"], url_path="publier")
    def publish(self, request, pk=None):
        offer = self.get_object()
        offer_services.publish(offer=offer)
        return self._answer(offer)

    @extend_schema(summary="Clôturer une offre", request=None, responses={200: s.OfferSerializer})
    @action(detail=True, methods=["post"], url_path="cloturer")
    def close(self, request, pk=None):
        offer = self.get_object()
        offer_services.close(offer=offer)
        return self._answer(offer)

    @extend_schema(
        summary="Ajouter des photos (mêmes contrôles que l'espace bailleur)",
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={201: s.OfferSerializer},
    )
    @action(detail=True, methods=["post"], url_path="photos", parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        offer = self.get_object()
        files = request.FILES.getlist("photos")
        description = str(request.data.get("description", ""))[:200]
        _service(offer_services.add_photos, offer=offer, files=files, alt=description)
        return self._answer(offer, status.HTTP_201_CREATED)


class CandidatureViewSet(
    LandlordAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Candidatures forwarded to the key's landlord on its offers (any other: 404)."""

    serializer_class = s.CandidatureSerializer
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = CandidatureFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidature.objects.none()
        return Candidature.objects.forwarded_to(self.landlord).select_related(
            "offer", "applicant", "demande__coapplicant"
        )

    @extend_schema(
        summary="Le dossier du demandeur (PDF)",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="dossier",
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def pdf(self, request, pk=None):
        candidature = self.get_object()
        pdf = file_pdf(
            candidature, landlord=self.landlord, base_url=request.build_absolute_uri("/")
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="dossier-{candidature.number}.pdf"'
        return response

    def _step(self, request, serializer_class, form_class, api_names, build):
        """Read the JSON, check the step's data with the landlord space's own form (one
        validation), then make the transition through candidatures.services.transition."""
        candidature = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        form_names = {api: form for form, api in api_names.items()}
        form = form_class({form_names[k]: v for k, v in serializer.validated_data.items()})
        if not form.is_valid():
            raise InvalidData({api_names.get(k, k): list(v) for k, v in form.errors.items()})
        name, facts = build(form.cleaned_data)
        candidature_services.transition(
            candidature, name, actor=request.user, role=Role.LANDLORD, **facts
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=candidature.pk)).data)

    @extend_schema(
        summary="Programmer la visite", request=s.VisitSerializer, responses=s.CandidatureSerializer
    )
    @action(detail=True, methods=["post"], url_path="visite")
    def visit(self, request, pk=None):
        # A second date for the same visit is a rescheduling (one "Visite reprogrammée").
        name = candidature_services.visit_step(self.get_object())
        return self._step(
            request,
            s.VisitSerializer,
            VisitForm,
            {"visit_at": "visite_le"},
            lambda d: (name, {"visit_at": d["visit_at"]}),
        )

    @extend_schema(
        summary="Enregistrer la décision de la CALEOL",
        request=s.DecisionSerializer,
        responses=s.CandidatureSerializer,
    )
    @action(detail=True, methods=["post"], url_path="decision")
    def decision(self, request, pk=None):
        def build(d):
            return d["decision"], {"reason": d["reason"], **DecisionForm.facts_for(d)}

        return self._step(
            request,
            s.DecisionSerializer,
            DecisionForm,
            {
                "decision": "decision",
                "committee_on": "commission_le",
                "rank": "rang",
                "reason": "motif",
            },
            build,
        )

    @extend_schema(
        summary="Enregistrer la signature du bail",
        request=s.LeaseSerializer,
        responses=s.CandidatureSerializer,
    )
    @action(detail=True, methods=["post"], url_path="bail")
    def lease(self, request, pk=None):
        return self._step(
            request,
            s.LeaseSerializer,
            LeaseForm,
            {"lease_signed_on": "bail_signe_le"},
            lambda d: ("sign_lease", {"lease_signed_on": d["lease_signed_on"]}),
        )
