from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import applicant_required

from . import services
from .departments_sites import DEDICATED_SITES, NATIONAL_SITE
from .documents import document_states
from .forms import (
    CoApplicantForm,
    CodeForm,
    ConfirmDocumentsForm,
    DeleteDemandeForm,
    InformationForm,
    NumberForm,
)
from .numbers import mask_email
from .selectors import demande_of

LOOKUPS_PER_10_MIN = 10

DATA_SHARING_HELP = {
    1: "Mes informations personnelles ne seront pas envoyées à mon entreprise. Je ne "
    "bénéficierai pas de la politique logement de mon entreprise (pas de points entreprise). "
    "Une désignation par mon entreprise ne compte pas dans le classement ; la priorité des "
    "salariés des entreprises de 10 salariés et plus reste appliquée.",
    2: "Je souhaite profiter de la politique logement de mon entreprise : elle peut "
    "visualiser uniquement mes nom, prénom et date de naissance. Elle peut me désigner : "
    "sa désignation me donne des points entreprise dans le classement.",
    3: "Une grande partie de ma demande sera visible par mon entreprise, mais je conserve "
    "la gestion de la totalité de ma demande. Elle peut me désigner (points entreprise).",
    4: "Je délègue la gestion de ma demande à mon entreprise : elle a accès à l'intégralité "
    "de mes informations et peut m'aider à déposer mes pièces justificatives. Elle peut me "
    "désigner (points entreprise).",
}


def _bound(form_class, request, **kwargs):
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def _lookup_allowed(user):
    key = f"demandes:lookups:{user.pk}"
    cache.add(key, 0, timeout=600)
    return cache.incr(key) <= LOOKUPS_PER_10_MIN


@applicant_required
def import_start(request):
    """ "J'ai déjà un numéro NUR-NUD ?" then the number, or the list of sites."""
    if demande_of(request.user):
        return redirect("dashboard")
    answer = request.GET.get("reponse", "")
    form = _bound(NumberForm, request)
    if request.method == "POST":
        answer = "oui"
        if form.is_valid():
            if not _lookup_allowed(request.user):
                form.add_error(None, "Trop de recherches : réessayez dans 10 minutes.")
            else:
                try:
                    email = services.request_access_code(
                        user=request.user, number=form.cleaned_data["number"]
                    )
                except services.DemandeError as exc:
                    form.add_error("number", str(exc))
                else:
                    request.session["demandes_masked_email"] = mask_email(email or "")
                    return redirect("demandes:code")
    return render(
        request,
        "demandes/import.html",
        {"form": form, "answer": answer, "sites": DEDICATED_SITES, "national_site": NATIONAL_SITE},
    )


@applicant_required
def code(request):
    """ "Mon code d'accès" + OK imports the request."""
    if demande_of(request.user):
        return redirect("dashboard")
    if services.current_code(request.user) is None and request.method == "GET":
        messages.info(request, "Saisissez d'abord votre Numéro Unique pour recevoir un code.")
        return redirect("demandes:import")
    form = _bound(CodeForm, request)
    pending = services.pending_import(request.user)
    mismatch = pending is not None and services.identity_mismatch(request.user, pending)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_with_code(
                user=request.user,
                code=form.cleaned_data["code"],
                identity_confirmed=form.cleaned_data["confirm_identity"],
            )
        except services.DemandeError as exc:
            field = "confirm_identity" if str(exc) == services.IDENTITY_CONFIRMATION else "code"
            form.add_error(field, str(exc))
        else:
            messages.success(request, "Votre demande est importée sur AL'in.")
            return redirect("demandes:information")
    return render(
        request,
        "demandes/code.html",
        {
            "form": form,
            "masked_email": request.session.get("demandes_masked_email", ""),
            "mismatch": mismatch,
            "request_names": _names(pending) if mismatch else "",
        },
    )


def _names(record):
    people = [record.get("demandeur") or {}, record.get("codemandeur") or {}]
    return " et ".join(
        f"{p.get('prenom', '')} {p.get('nom_naissance', '')}".strip() for p in people if p
    )


@applicant_required
@require_POST
def resend_code(request):
    access = (
        services.current_code(request.user)
        or request.user.access_codes.order_by("-created_at").first()
    )
    if access is None:
        return redirect("demandes:import")
    try:
        services.request_access_code(user=request.user, number=access.number)
    except services.DemandeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Un nouveau code d'accès vient de vous être envoyé.")
    return redirect("demandes:code")


def _require_demande(request):
    demande = demande_of(request.user)
    if demande is None:
        messages.info(request, "Importez d'abord votre demande de logement social.")
    return demande


@applicant_required
def information(request):
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    form = _bound(InformationForm, request, instance=demande)
    co = demande.coapplicant_or_none
    co_form = _bound(CoApplicantForm, request, instance=co, prefix="demandeur2") if co else None
    if request.method == "POST" and form.is_valid() and (co_form is None or co_form.is_valid()):
        services.save_information(
            demande=demande,
            information=form.cleaned_data,
            co_applicant=co_form.cleaned_data if co_form else None,
            data_sharing=form.cleaned_data["data_sharing"],
        )
        messages.success(request, "Vos informations ont bien été enregistrées.")
        if demande.documents_confirmed_at is None:
            return redirect("demandes:documents")
        return redirect("dashboard")
    if request.method == "POST" and co_form is not None:
        co_form.is_valid()  # show Demandeur 2's errors with Demandeur 1's
    return render(
        request,
        "demandes/information.html",
        {
            "form": form,
            "co_form": co_form,
            "demande": demande,
            "sharing_help": DATA_SHARING_HELP,
            "sharing_changes": demande.sharing_changes.all(),
        },
    )


@applicant_required
def documents(request):
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    form = _bound(ConfirmDocumentsForm, request)
    if request.method == "POST" and form.is_valid():
        services.confirm_documents(demande=demande)
        messages.success(request, "Merci : vous pouvez à présent consulter la liste des logements.")
        return redirect("dashboard")
    return render(
        request,
        "demandes/documents.html",
        {"form": form, "demande": demande, "documents": document_states(demande)},
    )


@login_required
def detail(request):
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    return render(request, "demandes/detail.html", {"demande": demande})


@login_required
@require_POST
def refresh(request):
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    if demande.needs_code_validation:
        return redirect("demandes:validate")
    try:
        services.refresh_from_registry(demande=demande)
    except services.DemandeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Votre demande a été mise à jour.")
    return redirect("dashboard")


@login_required
def validate(request):
    """A request created on AL'in before 20/04/21: "Confirmer" sends a security code to
    the registry's address, "Saisir ma demande" a new one; the right code validates the
    Numéro Unique and updates the request (guide, #4)."""
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    if not demande.needs_code_validation:
        return redirect("dashboard")
    form = CodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST" and request.POST.get("action") in ("confirm", "resend"):
        try:
            email = services.request_validation_code(demande=demande)
        except services.DemandeError as exc:
            messages.error(request, str(exc))
        else:
            request.session["demandes_masked_email"] = mask_email(email or "")
            messages.success(request, "Un code de sécurité vient de vous être envoyé par email.")
        return redirect("demandes:validate")
    if request.method == "POST" and form.is_valid():
        try:
            services.validate_with_code(demande=demande, code=form.cleaned_data["code"])
        except services.DemandeError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request,
                "Votre Numéro Unique est validé et votre demande mise à jour. Les prochaines "
                "mises à jour se feront d'un simple clic.",
            )
            return redirect("dashboard")
    return render(
        request,
        "demandes/validate.html",
        {
            "demande": demande,
            "form": form,
            "code_sent": services.current_code(request.user) is not None,
            "masked_email": request.session.get("demandes_masked_email", ""),
        },
    )


@login_required
def delete(request):
    demande = _require_demande(request)
    if demande is None:
        return redirect("demandes:import")
    form = _bound(DeleteDemandeForm, request)
    if request.method == "POST" and form.is_valid():
        services.delete_demande(demande=demande, actor=request.user)
        messages.success(
            request, "Votre demande a été supprimée d'AL'in. Vous pouvez la réimporter."
        )
        return redirect("demandes:import")
    return render(request, "demandes/delete.html", {"form": form, "demande": demande})
