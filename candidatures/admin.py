"""The advisor's side, in the Django admin: candidatures listed per offer in rank
order (the rank is always the offer's rank), each candidature's page with what the
decision needs and its buttons (Valider, Invalider with a coded reason, Transmettre au
bailleur, the landlord's PDF), bulk actions, each change made by ``services`` and
recorded as an event and in the admin's journal; and the team's monthly workload, a
view registered on the admin site (``admin:workload``, with its CSV export)."""

import csv
from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Value, When
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.admin import ReadableHistoryAdmin
from demandes.admin import phone_text, typologies_text

from . import backoffice, services
from .landlord_views import file_pdf
from .models import RANKING_ORDER, Candidature, Notification
from .workflow import ACTIVE, TRANSITIONS, Role, Status


class DepartmentFilter(admin.SimpleListFilter):
    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        from territoires.models import Department

        codes = Candidature.objects.values("offer__commune__department_id").distinct()
        return [
            (d.code, f"{d.code} — {d.name}")
            for d in Department.objects.filter(code__in=codes).order_by("code")
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(offer__commune__department_id=self.value())
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """Candidatures waiting for validation, by working days waited (French public
    holidays excluded)."""

    title = "attente de validation"
    parameter_name = "attente"

    def lookups(self, request, model_admin):
        return [
            ("dans_le_delai", "Dans le délai (moins de 2 jours ouvrés)"),
            ("en_retard", "En retard (plus de 2 jours ouvrés)"),
            ("plus_5", "Plus de 5 jours ouvrés"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        waiting = queryset.filter(status=Status.SUBMITTED)
        if self.value() == "dans_le_delai":
            return waiting.filter(applied_at__gte=backoffice.late_before(today, tz))
        if self.value() == "en_retard":
            return waiting.filter(applied_at__lt=backoffice.late_before(today, tz))
        if self.value() == "plus_5":
            start = backoffice.working_days_before(today, 5)
            return waiting.filter(
                applied_at__lt=timezone.make_aware(
                    timezone.datetime.combine(start, timezone.datetime.min.time()), tz
                )
            )
        return queryset


class InvalidationForm(forms.Form):
    code = forms.ChoiceField(
        label="Motif de l'invalidation",
        choices=[("", "Choisissez le motif")] + backoffice.InvalidationReason.choices,
        error_messages={"required": "Choisissez le motif de l'invalidation."},
    )
    details = forms.CharField(
        label="Précisions pour le demandeur",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("code") == backoffice.InvalidationReason.OTHER
            and not data.get("details", "").strip()
        ):
            self.add_error("details", "Précisez le motif de l'invalidation.")
        return data

    @property
    def reason(self):
        return backoffice.invalidation_text(
            self.cleaned_data["code"], self.cleaned_data.get("details")
        )


def _log(request, candidature, message):
    """The admin's own journal (LogEntry), beside the candidature's events."""
    LogEntry.objects.log_actions(
        request.user.pk, [candidature], CHANGE, change_message=message, single_object=True
    )


@admin.register(Candidature)
class CandidatureAdmin(ReadableHistoryAdmin):
    list_display = (
        "number",
        "applicant_name",
        "offer_link",
        "rank",
        "status",
        "legal_priority",
        "company_priority",
        "company_designation",
        "first_filed_on",
        "household",
        "resources",
        "applied_at",
    )
    list_filter = (
        "status",
        WaitingFilter,
        DepartmentFilter,
        "offer__landlord",
        "offer__deadline",
    )
    search_fields = (
        "=number",
        "applicant__email",
        "applicant__last_name",
        "applicant__first_name",
        "demande__birth_name",
        "demande__usage_name",
        "demande__first_name",
        "demande__email",
        "demande__coapplicant__birth_name",
        "demande__coapplicant__usage_name",
        "demande__coapplicant__first_name",
        "=demande__siret",
        "=demande__coapplicant__siret",
        "offer__title",
    )
    search_help_text = (
        "Numéro unique, nom de naissance ou d'usage (demandeur ou co-demandeur), prénom, "
        "email, SIRET de l'employeur ou titre de l'offre."
    )
    list_select_related = ("offer__commune", "applicant", "demande__coapplicant")
    fieldsets = (
        (
            "Candidature",
            {
                "fields": (
                    "number",
                    "offer",
                    "status",
                    "applied_at",
                    "forwarded_at",
                    "visit_at",
                    "committee_on",
                    "committee_rank",
                    "answer_by",
                    "lease_signed_on",
                    "decision_reason",
                )
            },
        ),
    )
    readonly_fields = [f.name for f in Candidature._meta.fields]
    actions = ["validate", "invalidate", "forward"]
    change_form_template = "admin/candidatures/candidature/change_form.html"

    class Media:
        css = {"all": ["css/backoffice.css"]}

    # --- The list ----------------------------------------------------------------

    def get_ordering(self, request):
        # Per offer: the active candidatures by the ranking rule, then the ended ones.
        # Ordering by the rule's fields (not by a window over the filtered rows) keeps
        # the order right whatever the list is filtered or searched by; expressions
        # only, so that any select of candidatures elsewhere in the admin can use it.
        ended_last = Case(When(status__in=ACTIVE, then=Value(0)), default=Value(1))
        return [F("offer_id").asc(), ended_last.asc(), *RANKING_ORDER]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            page = list(changelist.result_list)
            ranks = backoffice.offer_ranks(c.offer_id for c in page)
            for candidature in page:
                candidature.offer_rank = ranks.get(candidature.pk)
        return response

    @admin.display(description="demandeur(s)", ordering="demande__birth_name")
    def applicant_name(self, obj):
        return obj.applicants_names

    @admin.display(description="offre", ordering="offer__title")
    def offer_link(self, obj):
        """The offer, linking to its candidatures alone (in rank order)."""
        return format_html(
            '<a href="?offer__id__exact={}" title="Candidatures de cette offre">{} — {} '
            "(date limite {})</a>",
            obj.offer_id,
            obj.offer.title,
            obj.offer.commune.name,
            date_format(obj.offer.deadline, "d/m/Y"),
        )

    @admin.display(description="rang sur l'offre")
    def rank(self, obj):
        """The rank among all the offer's candidatures, never among the rows shown."""
        if not obj.is_active:
            return "—"
        return getattr(obj, "offer_rank", None) or "—"

    @admin.display(description="ménage")
    def household(self, obj):
        return f"{obj.demande.household_size} pers." if obj.demande else "—"

    @admin.display(description="ressources / mois")
    def resources(self, obj):
        if obj.demande is None:
            return "—"
        return f"{obj.demande.resources_with_allowance:.0f} €"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- The candidature's page ---------------------------------------------------

    def get_queryset(self, request):
        # The page names the request's applicants (Demandeur 2 included) in one query.
        # All of list_select_related here: the changelist skips it when the queryset
        # already selects related rows (3 more queries per line otherwise).
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name

        def view(function, name):
            return path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(require_POST(function)),
                name=f"{info[0]}_{info[1]}_{function.__name__}",
            )

        return [
            view(self.validate_view, "valider"),
            view(self.invalidate_view, "invalider"),
            view(self.forward_view, "transmettre"),
            path(
                "<path:object_id>/dossier.pdf",
                self.admin_site.admin_view(self.pdf_view),
                name="{}_{}_pdf".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        candidature = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if candidature is not None:
            facts = backoffice.dossier(candidature, timezone.localdate())
            extra.update(
                facts,
                candidature=candidature,
                applicant=self._applicant_facts(candidature),
                Status=Status,
                can_act=self.has_change_permission(request, candidature),
                can_validate=candidature.status in TRANSITIONS["validate"].sources,
                can_invalidate=candidature.status in TRANSITIONS["invalidate"].sources,
                can_forward=candidature.status in TRANSITIONS["forward"].sources,
                invalidation_form=InvalidationForm(),
                show_save=False,
                show_save_and_continue=False,
                show_save_and_add_another=False,
                show_delete=False,
            )
        return super().change_view(request, object_id, form_url, extra)

    def _applicant_facts(self, candidature):
        """What the page needs beyond the request's own helpers (``Demande.applicants``,
        ``household``, ``category_reason``): the request's phones and wishes."""
        demande = candidature.demande
        if demande is None:
            return {}
        return {
            "phones": " / ".join(
                phone_text(n) for n in (demande.mobile_phone, demande.landline_phone) if n
            ),
            "typologies": typologies_text(demande.desired_typologies),
        }

    def _candidature_or_404(self, request, object_id):
        candidature = self.get_object(request, object_id)
        if candidature is None:
            raise Http404("Candidature introuvable.")
        if not self.has_change_permission(request, candidature):
            raise PermissionDenied
        return candidature

    def _back(self, candidature):
        return redirect(reverse("admin:candidatures_candidature_change", args=[candidature.pk]))

    def _transition(self, request, candidature, name, **kwargs):
        try:
            services.transition(candidature, name, actor=request.user, role=Role.ADVISOR, **kwargs)
        except services.CandidatureError as exc:
            self.message_user(request, f"{candidature.number} : {exc}", messages.ERROR)
            return False
        _log(request, candidature, TRANSITIONS[name].label)
        return True

    def validate_view(self, request, object_id):
        candidature = self._candidature_or_404(request, object_id)
        if self._transition(request, candidature, "validate"):
            self.message_user(
                request, f"Candidature {candidature.number} validée.", messages.SUCCESS
            )
        return self._back(candidature)

    def invalidate_view(self, request, object_id):
        candidature = self._candidature_or_404(request, object_id)
        form = InvalidationForm(request.POST)
        if not form.is_valid():
            errors = " ".join(e for errs in form.errors.values() for e in errs)
            self.message_user(request, f"Candidature non invalidée : {errors}", messages.ERROR)
        elif self._transition(request, candidature, "invalidate", reason=form.reason):
            self.message_user(
                request,
                f"Candidature {candidature.number} invalidée : {form.reason}",
                messages.SUCCESS,
            )
        return self._back(candidature)

    def forward_view(self, request, object_id):
        candidature = self._candidature_or_404(request, object_id)
        self._forward(request, [candidature])
        return self._back(candidature)

    def pdf_view(self, request, object_id):
        """The file the landlord receives, as the landlord receives it."""
        candidature = self.get_object(request, object_id)
        if candidature is None:
            raise Http404("Candidature introuvable.")
        pdf = file_pdf(
            candidature,
            landlord=candidature.offer.landlord,
            base_url=request.build_absolute_uri("/"),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="dossier-{candidature.number}.pdf"'
        return response

    # --- Bulk actions ---------------------------------------------------------------

    def _run(self, request, queryset, name, **kwargs):
        done = sum(self._transition(request, c, name, **kwargs) for c in queryset)
        if done:
            self.message_user(request, f"{done} candidature(s) mise(s) à jour.", messages.SUCCESS)

    @admin.action(description="Valider les candidatures sélectionnées")
    def validate(self, request, queryset):
        self._run(request, queryset, "validate")

    @admin.action(description="Invalider les candidatures sélectionnées (motif obligatoire)")
    def invalidate(self, request, queryset):
        form = InvalidationForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._run(request, queryset, "invalidate", reason=form.reason)
            return None
        return render(
            request,
            "admin/candidatures/invalidate.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "candidatures": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": "Invalider des candidatures",
            },
        )

    @admin.action(description="Transmettre au bailleur")
    def forward(self, request, queryset):
        self._forward(request, list(queryset.select_related("offer__landlord")))

    def _forward(self, request, chosen):
        """Forward per offer, in the offer's rank order; refused when a better-ranked
        validated candidature of the offer would be passed over."""
        by_offer = {}
        for candidature in chosen:
            by_offer.setdefault(candidature.offer_id, []).append(candidature)
        ranks = backoffice.offer_ranks(by_offer)
        for offer_id, group in by_offer.items():
            group.sort(key=lambda c: ranks[c.pk])
            chosen_pks = {c.pk for c in group}
            passed_over = (
                Candidature.objects.filter(offer_id=offer_id, status=Status.VALIDATED)
                .exclude(pk__in=chosen_pks)
                .values_list("pk", "number")
            )
            worst = max(ranks[c.pk] for c in group)
            skipped = [(ranks[pk], number) for pk, number in passed_over if ranks[pk] < worst]
            if skipped:
                ahead = ", ".join(f"{number} (rang {rank})" for rank, number in sorted(skipped))
                one = len(skipped) == 1
                verb = "est validée et classée" if one else "sont validées et classées"
                self.message_user(
                    request,
                    "Les candidatures se transmettent dans l'ordre du classement de l'offre : "
                    f"{ahead} {verb} avant. Aucune n'a été transmise.",
                    messages.ERROR,
                )
                continue
            try:
                services.forward_best(offer=group[0].offer, actor=request.user, candidatures=group)
            except services.CandidatureError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                for c in group:
                    _log(request, c, "Transmise au bailleur")
                self.message_user(
                    request, f"{len(group)} candidature(s) transmise(s).", messages.SUCCESS
                )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What applicants were told: read only once sent; an advisor may add one."""

    list_display = ("created_at", "user", "message", "read_at")
    search_fields = ("user__email", "message", "candidature__number")
    list_select_related = ("user",)
    # Ids, not selects of every user and candidature.
    raw_id_fields = ("user", "candidature")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("user", "candidature", "message", "created_at", "read_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("user", "candidature", "message")
        return ("user", "candidature", "message", "created_at", "read_at")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)


# --- The team's workload: a view of the admin site ------------------------------------


class MonthForm(forms.Form):
    mois = forms.DateField(
        label="Mois",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs={"type": "month"}),
        error_messages={"invalid": "Indiquez un mois au format AAAA-MM (par exemple 2026-05)."},
    )

    def clean_mois(self):
        month = self.cleaned_data["mois"]
        if month is not None and not date(2000, 1, 1) <= month <= date(2099, 12, 1):
            raise forms.ValidationError("Choisissez un mois entre 2000 et 2099.")
        return month


def _chosen_month(request):
    """The month asked for (``?mois=AAAA-MM``), the current month by default."""
    form = MonthForm(request.GET or None)
    first = timezone.localdate().replace(day=1)
    if form.is_bound and form.is_valid() and form.cleaned_data["mois"]:
        first = form.cleaned_data["mois"]
    return form, first


def _may_read_workload(request):
    if not request.user.has_perm("candidatures.view_candidature"):
        raise PermissionDenied


def month_label(first):
    return date_format(first, "F Y")


def workload_view(request):
    """The team's month: decisions per advisor and per week, the median time to
    validation, the invalidation reasons (backoffice.workload)."""
    _may_read_workload(request)
    form, first = _chosen_month(request)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = backoffice.next_month(first)
    context = {
        **admin.site.each_context(request),
        "title": f"Charge de travail de l'équipe — {month_label(first)}",
        "form": form,
        "workload": backoffice.workload(first),
        "month": month_label(first),
        "month_value": f"{first:%Y-%m}",
        "previous": (f"{previous:%Y-%m}", month_label(previous)),
        "following": (f"{following:%Y-%m}", month_label(following)),
        "target_days": backoffice.VALIDATION_TARGET_WORKING_DAYS,
    }
    return TemplateResponse(request, "admin/candidatures/workload.html", context)


WORKLOAD_COLUMNS = ["Validées", "Invalidées", "Transmises au bailleur"]


def _tally(tally):
    return [tally.validated, tally.invalidated, tally.forwarded]


def workload_csv(request):
    """The month's workload for Excel (French headers, ``;``, UTF-8 with its BOM):
    the page's tables one after the other, each under its title."""
    _may_read_workload(request)
    form, first = _chosen_month(request)
    if form.errors:
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    data = backoffice.workload(first)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="charge-de-travail-{first:%Y-%m}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with the BOM
    writer = csv.writer(response, delimiter=";")
    median = "Délai médian de validation (heures écoulées depuis le dépôt)"
    writer.writerow([f"Charge de travail de l'équipe — {month_label(first)}"])
    writer.writerow([])
    writer.writerow(["Par conseiller"])
    writer.writerow(["Conseiller", *WORKLOAD_COLUMNS, median])
    for load in data["advisors"]:
        writer.writerow([load.name, *_tally(load.total), _hours_cell(load.median_hours)])
    writer.writerow(["Équipe", *_tally(data["team"]), _hours_cell(data["median_hours"])])
    writer.writerow([])
    writer.writerow(["Par conseiller et par semaine"])
    writer.writerow(["Conseiller", "Semaine", "Du", "Au", *WORKLOAD_COLUMNS])
    for load in data["advisors"]:
        for week, tally in load.weeks:
            writer.writerow([load.name, *_week_cells(week), *_tally(tally)])
    writer.writerow([])
    writer.writerow(["Par semaine (équipe)"])
    writer.writerow(["Semaine", "Du", "Au", *WORKLOAD_COLUMNS])
    for week, tally in data["team_weeks"]:
        writer.writerow([*_week_cells(week), *_tally(tally)])
    writer.writerow([])
    writer.writerow(["Motifs d'invalidation"])
    writer.writerow(["Motif", "Candidatures invalidées"])
    for label, count in data["reasons"]:
        writer.writerow([label, count])
    return response


def _hours_cell(hours):
    return "" if hours is None else number_format(hours, 1)


def _week_cells(week):
    return [f"S{week.number}", f"{week.start:%d/%m/%Y}", f"{week.end:%d/%m/%Y}"]


def _with_workload(site_urls):
    """The admin site's URLs, with the workload's in front (a view of the site itself,
    not of a model: ``admin:workload`` and ``admin:workload_csv``)."""

    def get_urls():
        return [
            path("charge-de-travail/", admin.site.admin_view(workload_view), name="workload"),
            path(
                "charge-de-travail/export.csv",
                admin.site.admin_view(workload_csv),
                name="workload_csv",
            ),
            *site_urls(),
        ]

    return get_urls


admin.site.get_urls = _with_workload(admin.site.get_urls)
