"""The public page « Résultats des attributions » (see outcomes)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from offres.models import Offer
from territoires.models import Department

from . import outcomes
from .models import AllocationOutcome


class OutcomeFilterForm(forms.Form):
    departement = forms.ChoiceField(label="Département", required=False)
    typologie = forms.TypedChoiceField(
        label="Nombre de pièces",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Toutes")] + list(Offer.Typology.choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = AllocationOutcome.objects.values("department_id").distinct()
        self.fields["departement"].choices = [("", "Tous")] + [
            (d.code, f"{d.name} ({d.code})")
            for d in Department.objects.filter(code__in=codes).order_by("code")
        ]


# The rows change once a day (the daily refresh): shared caches may keep the page an hour.
@cache_control(public=True, max_age=3600)
def outcome_list(request):
    form = OutcomeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = outcomes.published(
        department=filters.get("departement") or None, typology=filters.get("typologie")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "candidatures/outcomes.html",
        {
            "form": form,
            "page": page,
            "summary": outcomes.band_summary(rows),
            "query": query.urlencode(),
            "min_group": outcomes.MIN_GROUP,
        },
    )
