"""The filters of the landlord's "Mes offres" (query string parsed and validated by
django-filter; a bad value is ignored with the form's French error)."""

import django_filters
from django import forms
from django.db.models import Q

from territoires.models import Department, normalise_name

from .models import Offer

SORTS = [
    ("-created_at", "Les plus récentes"),
    ("deadline", "Date limite la plus proche"),
    ("-deadline", "Date limite la plus lointaine"),
    ("reference", "Référence"),
    ("title", "Titre"),
    ("-forwarded_count", "Le plus de candidatures transmises"),
]


class LandlordOfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher (référence, titre ou commune)", method="filter_text"
    )
    statut = django_filters.ChoiceFilter(
        field_name="status", label="Statut", choices=Offer.Status.choices, empty_label="Tous"
    )
    typologie = django_filters.ChoiceFilter(
        field_name="typology",
        label="Typologie",
        choices=Offer.Typology.choices,
        empty_label="Toutes",
    )
    departement = django_filters.ChoiceFilter(
        field_name="commune__department_id", label="Département", empty_label="Tous"
    )
    date_limite_du = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="gte",
        label="Date limite du",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_limite_au = django_filters.DateFilter(
        field_name="deadline",
        lookup_expr="lte",
        label="au",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par", choices=SORTS, empty_label=None, method="sort"
    )

    class Meta:
        model = Offer
        fields = []

    def __init__(self, data=None, *args, landlord, **kwargs):
        super().__init__(data, *args, **kwargs)
        codes = (
            Offer.objects.filter(landlord=landlord)
            .order_by()
            .values_list("commune__department_id", flat=True)
            .distinct()
        )
        self.filters["departement"].extra["choices"] = [
            (d.code, str(d)) for d in Department.objects.filter(code__in=codes)
        ]

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("tri"):
            queryset = queryset.order_by("-created_at", "-pk")
        return queryset

    def filter_text(self, queryset, name, value):
        text = " ".join(value.split())[:100]
        if not text:
            return queryset
        return queryset.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(commune__search_name__startswith=normalise_name(text))
            | Q(commune__postal_code=text)
        )

    def sort(self, queryset, name, value):
        return queryset.order_by(value, "-pk")
