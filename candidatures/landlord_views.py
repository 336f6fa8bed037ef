"""The landlord's side: candidatures forwarded on its own offers (404 for anything else)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from demandes.documents import document_states
from offres.landlord_views import landlord_required

from . import services
from .forms import DecisionForm, LeaseForm, VisitForm
from .models import Candidature
from .workflow import Role


def _forwarded(request, pk):
    return get_object_or_404(
        Candidature.objects.forwarded_to(request.landlord).select_related(
            "offer__commune", "demande", "applicant"
        ),
        pk=pk,
    )


@landlord_required
def candidature_list(request):
    candidatures = (
        Candidature.objects.forwarded_to(request.landlord)
        .select_related("offer__commune", "applicant")
        .ranked()
        .order_by("offer__deadline", "offer_id", "position")
    )
    return render(
        request,
        "candidatures/landlord/list.html",
        {"candidatures": candidatures, "landlord": request.landlord},
    )


@landlord_required
def candidature_detail(request, pk):
    candidature = _forwarded(request, pk)
    return render(
        request,
        "candidatures/landlord/detail.html",
        {
            "candidature": candidature,
            "events": candidature.events.select_related("actor"),
            "visit_form": VisitForm(),
            "decision_form": DecisionForm(initial={"committee_on": timezone.localdate()}),
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
        _act(request, candidature, "schedule_visit", visit_at=form.cleaned_data["visit_at"])
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
        extra = {"committee_on": data["committee_on"]}
        if data["decision"] == "attribute":
            extra["committee_rank"] = data["rank"]
        _act(request, candidature, data["decision"], reason=data["reason"], **extra)
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
            "candidature": candidature,
            "demande": candidature.demande,
            "documents": document_states(candidature.demande) if candidature.demande else [],
            "events": candidature.events.all(),
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
