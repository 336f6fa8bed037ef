import django_filters

from candidatures.models import Candidature
from candidatures.workflow import Status
from offres.models import Offer


class OfferFilter(django_filters.FilterSet):
    statut = django_filters.MultipleChoiceFilter(field_name="status", choices=Offer.Status.choices)
    typologie = django_filters.MultipleChoiceFilter(
        field_name="typology", choices=Offer.Typology.choices
    )
    departement = django_filters.CharFilter(field_name="commune__department_id")
    commune = django_filters.CharFilter(field_name="commune_id", help_text="Code INSEE.")
    reference = django_filters.CharFilter(field_name="reference")
    date_limite_apres = django_filters.DateFilter(field_name="deadline", lookup_expr="gte")
    date_limite_avant = django_filters.DateFilter(field_name="deadline", lookup_expr="lte")
    modifiee_depuis = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Offer
        fields = []


class CandidatureFilter(django_filters.FilterSet):
    offre = django_filters.NumberFilter(field_name="offer_id")
    statut = django_filters.MultipleChoiceFilter(field_name="status", choices=Status.choices)
    commission_le = django_filters.DateFilter(field_name="committee_on")

    class Meta:
        model = Candidature
        fields = []
