"""The offer search ("Les offres"): filters and sorts read from the query string."""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import F, Q

from territoires.models import Commune, Department, normalise_name

from .models import Offer

SORTS = {
    "date_limite": ("deadline", "pk"),
    "loyer": ("total_rent", "pk"),
    "loyer_desc": ("-total_rent", "pk"),
    "surface": ("-surface", "pk"),
    "recent": ("-published_at", "-pk"),
}
SORT_CHOICES = [
    ("date_limite", "Date de fin de l'offre"),
    ("loyer", "Loyer croissant"),
    ("loyer_desc", "Loyer décroissant"),
    ("surface", "Surface décroissante"),
    ("recent", "Les plus récentes"),
]
PLACE_WITH_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>\d[0-9AB]{1,4})\)$")


@dataclass(frozen=True)
class Place:
    """What "Où voulez-vous habiter ?" designates: anywhere (no text), whole
    departments, communes by postal/INSEE code (a queryset), or communes whose name
    starts with ``name_prefix`` (normalised)."""

    departments: tuple = ()
    communes: object = None
    name_prefix: str = ""

    @property
    def anywhere(self):
        return not self.departments and self.communes is None and not self.name_prefix

    def commune_set(self):
        """The communes designated, as a queryset (None for departments or anywhere)."""
        if self.name_prefix:
            return Commune.objects.filter(search_name__startswith=self.name_prefix)
        return self.communes


def place_of(text):
    """Read "Où voulez-vous habiter ?": a department ("93", "Seine-Saint-Denis (93)"),
    a postal or INSEE code, or the start of a commune's name."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return Place()
    match = PLACE_WITH_CODE.match(text)
    name, code = (match["name"], match["code"]) if match else ("", text)
    if re.fullmatch(r"\d{2,3}|2[AB]", code.upper()):
        return Place(departments=(code.upper(),))
    if re.fullmatch(r"\d{5}", code):
        communes = Commune.objects.filter(Q(postal_code=code) | Q(insee_code=code))
        if name:
            communes = communes.filter(search_name=normalise_name(name))
        return Place(communes=communes)
    department = Department.objects.filter(name__iexact=text).first()
    if department:
        return Place(departments=(department.code,))
    return Place(name_prefix=normalise_name(text))


def place_filter(text):
    """Q over offers for "Où voulez-vous habiter ?" (see ``place_of``)."""
    place = place_of(text)
    if place.departments:
        return Q(commune__department_id__in=place.departments)
    if place.communes is not None:
        return Q(commune__in=place.communes)
    if place.name_prefix:
        return Q(commune__search_name__startswith=place.name_prefix)
    return Q()


class OfferFilter(django_filters.FilterSet):
    typologie = django_filters.MultipleChoiceFilter(
        field_name="typology",
        label="Nombre de pièces",
        choices=Offer.Typology.choices,
        distinct=False,  # no join: no duplicate to remove, and DISTINCT costs a sort
        widget=forms.CheckboxSelectMultiple,
    )
    type = django_filters.MultipleChoiceFilter(
        field_name="kind",
        label="Type de logement",
        choices=Offer.Kind.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    loyer_min = django_filters.NumberFilter(
        field_name="total_rent",
        lookup_expr="gte",
        label="Loyer minimum (€)",
        min_value=0,
        max_value=5000,
    )
    loyer_max = django_filters.NumberFilter(
        field_name="total_rent",
        lookup_expr="lte",
        label="Loyer maximum (€)",
        min_value=0,
        max_value=5000,
    )
    pmr = django_filters.BooleanFilter(
        label="Adapté aux personnes à mobilité réduite",
        method="filter_pmr",
        widget=forms.CheckboxInput,
    )
    disponible = django_filters.BooleanFilter(
        label="Disponible immédiatement",
        method="filter_available",
        widget=forms.CheckboxInput,
    )
    lieu = django_filters.CharFilter(
        label="Où voulez-vous habiter ?",
        method="filter_place",
        max_length=100,
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=SORT_CHOICES,
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = Offer
        fields: list = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("tri"):
            data["tri"] = "date_limite"
        super().__init__(data, *args, **kwargs)
        self.form.fields["lieu"].widget.attrs.update(
            {
                "list": "lieux-suggestions",
                "autocomplete": "off",
                "placeholder": "Commune, code postal ou département",
            }
        )
        for name in ("typologie", "type"):
            self.form.fields[name].widget.attrs["class"] = "form-check-input"
        self.form.fields["loyer_min"].widget.attrs.update({"step": "10", "inputmode": "numeric"})
        self.form.fields["loyer_max"].widget.attrs.update({"step": "10", "inputmode": "numeric"})

    @property
    def qs(self):
        queryset = super().qs
        if "tri" not in getattr(self.form, "cleaned_data", {}):
            queryset = queryset.order_by(*SORTS["date_limite"])
        return queryset

    def filter_queryset(self, queryset):
        queryset = queryset.alias(total_rent=F("rent") + F("charges"))
        return super().filter_queryset(queryset)

    def filter_pmr(self, queryset, name, value):
        return queryset.filter(reduced_mobility=True) if value else queryset

    def filter_available(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(available_from__lte=timezone.localdate()) if value else queryset

    def filter_place(self, queryset, name, value):
        return queryset.filter(place_filter(value))

    def sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["date_limite"]))
