"""Filters of the landlord's "Candidatures transmises": offer, status, committee date."""

import django_filters
from django import forms
from django.db.models import Q

from .workflow import Status


class LandlordCandidatureFilter(django_filters.FilterSet):
    offre = django_filters.NumberFilter(
        field_name="offer_id", widget=forms.HiddenInput, label="Offre"
    )
    recherche_offre = django_filters.CharFilter(
        label="Offre (référence ou titre)", method="filter_offer_text"
    )
    statut = django_filters.ChoiceFilter(
        field_name="status",
        label="Statut",
        # What a forwarded candidature can be (never "en attente" or "validée").
        choices=[
            (s.value, s.label)
            for s in Status
            if s not in (Status.SUBMITTED, Status.VALIDATED, Status.INVALIDATED)
        ],
        empty_label="Tous",
    )
    commission_du = django_filters.DateFilter(
        field_name="committee_on",
        lookup_expr="gte",
        label="Commission du",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    commission_au = django_filters.DateFilter(
        field_name="committee_on",
        lookup_expr="lte",
        label="au",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def filter_offer_text(self, queryset, name, value):
        text = " ".join(value.split())[:100]
        if not text:
            return queryset
        return queryset.filter(
            Q(offer__reference__icontains=text) | Q(offer__title__icontains=text)
        )
