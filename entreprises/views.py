"""The company space (HR) and the applicant's "Qui a consulté ma demande".

Every read of an employee goes through ``selectors.read_employees`` /
``read_employee``; a request that is not the company's, or whose applicant stays
anonymous, is 404.
"""

import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from offres.models import Offer

from . import selectors, services
from .forms import ProfessionalForm
from .models import Access, CompanyMembership
from .selectors import FIELDS, Level


def company_required(view):
    """The one access rule of the company space: a signed-in account with the company
    role AND a membership of a company; anyone else gets 404. Sets
    ``request.membership`` and ``request.company``."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = (
            CompanyMembership.objects.select_related("company").filter(user=request.user).first()
            if request.user.is_company
            else None
        )
        if membership is None:
            raise Http404("Espace réservé aux entreprises.")
        request.membership = membership
        request.company = membership.company
        return view(request, *args, **kwargs)

    return wrapper


def _employee_or_404(request, pk):
    view = selectors.read_employee(request.user, request.company, pk)
    if view is None:
        raise Http404("Salarié introuvable.")
    return view


@company_required
def home(request):
    company = request.company
    return render(
        request,
        "entreprises/home.html",
        {
            "company": company,
            "employees": selectors.read_employees(request.user, company),
            "counts": selectors.anonymous_counts(company),
            "designations_left": selectors.designations_left(company),
        },
    )


@company_required
def employee(request, pk):
    view = _employee_or_404(request, pk)
    return render(
        request,
        "entreprises/employee.html",
        {
            "company": request.company,
            "employee": view,
            "designations_left": selectors.designations_left(request.company),
        },
    )


@company_required
def export(request):
    """The employees as CSV, with only what each one's choice shows (blank otherwise)."""
    views = selectors.read_employees(request.user, request.company, kind=Access.Kind.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="salaries-alin.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with the BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Choix du salarié", *(spec.label for spec in FIELDS)])
    for view in views:
        values = view.values
        writer.writerow([view.level_label, *(values.get(spec.key, "") for spec in FIELDS)])
    return response


def _act(request, pk, func, success, **data):
    try:
        func(actor=request.user, company=request.company, demande_pk=pk, **data)
    except services.NotVisible as exc:
        raise Http404(str(exc)) from exc
    except services.CompanyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("entreprises:employee", pk=pk)


@company_required
@require_POST
def designate(request, pk):
    return _act(request, pk, services.designate, "Le salarié est désigné (points entreprise).")


@company_required
@require_POST
def refresh(request, pk):
    return _act(request, pk, services.refresh_for, "La demande a été mise à jour.")


@company_required
@require_POST
def confirm_documents(request, pk):
    return _act(request, pk, services.confirm_documents_for, "Le dépôt des pièces est confirmé.")


@company_required
@require_POST
def cancel(request, pk):
    return _act(request, pk, services.cancel_for, "La candidature a été annulée.")


def _delegated_or_404(request, pk):
    view = _employee_or_404(request, pk)
    if view.level != Level.DELEGATED:
        raise Http404("Ce salarié n'a pas délégué la gestion de sa demande.")
    return view


@company_required
def professional(request, pk):
    view = _delegated_or_404(request, pk)
    demande = selectors.linked_demandes(request.company).get(pk=pk)
    form = ProfessionalForm(
        request.POST if request.method == "POST" else None,
        initial={
            "professional_situation": demande.professional_situation,
            "siret": demande.siret,
            "company_code": demande.company_code,
        },
    )
    if request.method == "POST" and form.is_valid():
        return _act(
            request,
            pk,
            services.update_professional_for,
            "La situation professionnelle est enregistrée.",
            **form.cleaned_data,
        )
    return render(request, "entreprises/professional.html", {"form": form, "employee": view})


@company_required
def apply(request, pk):
    view = _delegated_or_404(request, pk)
    if request.method == "POST":
        try:
            offer_pk = int(request.POST.get("offer", ""))
        except ValueError:
            messages.error(request, "Choisissez une offre.")
            return redirect("entreprises:apply", pk=pk)
        return _act(
            request, pk, services.apply_for, "La candidature est déposée.", offer_pk=offer_pk
        )
    demande = selectors.linked_demandes(request.company).get(pk=pk)
    offers = Offer.objects.open_to(demande).select_related("commune").order_by("deadline")[:30]
    return render(request, "entreprises/apply.html", {"employee": view, "offers": offers})


@login_required
def consultations(request):
    """ "Qui a consulté ma demande": each read and each act of company staff."""
    return render(
        request,
        "entreprises/consultations.html",
        {"accesses": selectors.accesses_of(request.user)[:200]},
    )
