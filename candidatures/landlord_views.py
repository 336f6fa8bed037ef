"""The landlord's side: candidatures forwarded on its own offers (404 for anything else)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from offres.landlord_views import landlord_required
from offres.models import Offer

from . import services
from .forms import DecisionForm, LeaseForm, VisitForm
from .landlord_file import landlord_file
from .landlord_filters import LandlordCandidatureFilter
from .models import RANKING_ORDER, Candidature
from .workflow import ACTIVE, TRANSITIONS, Role

LANDLORD_CANDIDATURES_PER_PAGE = 25


def _forwarded(request, pk):
    return get_object_or_404(
        Candidature.objects.forwarded_to(request.landlord).select_related(
            "offer__commune", "offer__landlord", "demande__coapplicant", "applicant"
        ),
        pk=pk,
    )


@landlord_required
def candidature_list(request):
    """ "Candidatures transmises": filtered by offer, status and committee date, paginated;
    each with its rank among the offer's forwarded candidatures (whatever the filters)."""
    forwarded = Candidature.objects.forwarded_to(request.landlord)
    candidature_filter = LandlordCandidatureFilter(
        request.GET,
        queryset=forwarded.select_related("offer__commune", "applicant", "demande__coapplicant"),
    )
    is_active = Case(When(status__in=ACTIVE, then=Value(1)), default=Value(0))
    ordered = candidature_filter.qs.order_by(
        "offer__deadline", "offer_id", is_active.desc(), *RANKING_ORDER
    )
    page = Paginator(ordered, LANDLORD_CANDIDATURES_PER_PAGE).get_page(request.GET.get("page"))
    # Ranks come from the unfiltered list of each offer on the page (one query); the
    # committee's rank once the CALEOL ranked (one rank at a time).
    offers = {c.offer_id for c in page.object_list}
    positions = dict(
        forwarded.filter(offer_id__in=offers).with_offer_rank().values_list("pk", "offer_rank")
    )
    for candidature in page.object_list:
        candidature.position = positions.get(candidature.pk)
    query = request.GET.copy()
    query.pop("page", None)
    offer_id = getattr(candidature_filter.form, "cleaned_data", {}).get("offre")
    return render(
        request,
        "candidatures/landlord/list.html",
        {
            "filter": candidature_filter,
            "page": page,
            "query": query.urlencode(),
            "landlord": request.landlord,
            "offer": Offer.objects.filter(landlord=request.landlord, pk=offer_id).first()
            if offer_id
            else None,
            "total": forwarded.count,  # only asked when the page is empty
        },
    )


@landlord_required
def candidature_detail(request, pk):
    """The file: the same sections as the PDF, the applicant's contact details, and the
    forms of the next step (each form says its date rules before submitting)."""
    candidature = _forwarded(request, pk)
    status = candidature.status
    decision_form = DecisionForm(initial={"committee_on": timezone.localdate()})
    return render(
        request,
        "candidatures/landlord/detail.html",
        {
            **landlord_file(candidature),
            "can_visit": status
            in TRANSITIONS["schedule_visit"].sources + TRANSITIONS["reschedule_visit"].sources,
            "can_decide": status in TRANSITIONS["refuse"].sources,
            "can_sign": status in TRANSITIONS["sign_lease"].sources,
            "visit_form": VisitForm(),
            "decision_form": decision_form,
            "lease_form": LeaseForm(initial={"lease_signed_on": timezone.localdate()}),
        },
    )


def _act(request, candidature, name, **data):
    try:
        services.transition(candidature, name, actor=request.user, role=Role.LANDLORD, **data)
    except services.CandidatureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "La candidature a été mise à jour.")


@landlord_required
@require_POST
def record_visit(request, pk):
    candidature = _forwarded(request, pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        # A second date for the same visit is a rescheduling (its own email).
        name = services.visit_step(candidature)
        _act(request, candidature, name, visit_at=form.cleaned_data["visit_at"])
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("bailleur_candidatures:detail", pk=pk)


@landlord_required
@require_POST
def record_decision(request, pk):
    candidature = _forwarded(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _act(request, candidature, data["decision"], reason=data["reason"], **form.facts())
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("bailleur_candidatures:detail", pk=pk)


@landlord_required
@require_POST
def record_lease(request, pk):
    candidature = _forwarded(request, pk)
    form = LeaseForm(request.POST)
    if form.is_valid():
        _act(
            request, candidature, "sign_lease", lease_signed_on=form.cleaned_data["lease_signed_on"]
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("bailleur_candidatures:detail", pk=pk)


def file_pdf(candidature, *, landlord, base_url):
    """The applicant's file as PDF bytes (WeasyPrint), for the page and the API."""
    from weasyprint import HTML

    html = render_to_string(
        "candidatures/landlord/file.pdf.html",
        {
            **landlord_file(candidature),
            "landlord": landlord,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()


@landlord_required
def candidature_pdf(request, pk):
    """The applicant's file as a PDF (WeasyPrint)."""
    candidature = _forwarded(request, pk)
    pdf = file_pdf(candidature, landlord=request.landlord, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{candidature.number}.pdf"'
    return response
