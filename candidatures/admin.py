"""The advisor's side, in the Django admin: candidatures in rank order per offer,
validate / invalidate (with a reason) / forward, each recorded as an event."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Case, F, Value, When
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Candidature, CandidatureEvent, Notification
from .workflow import ACTIVE, Role


class EventInline(admin.TabularInline):
    model = CandidatureEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "role", "actor", "reason")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class DepartmentFilter(admin.SimpleListFilter):
    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        codes = (
            Candidature.objects.values_list("offer__commune__department_id", flat=True)
            .distinct()
            .order_by("offer__commune__department_id")
        )
        return [(c, c) for c in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(offer__commune__department_id=self.value())
        return queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'invalidation", widget=forms.Textarea, max_length=2000
    )


def _log(request, candidature, message):
    """The admin's own journal (LogEntry), beside the candidature's events."""
    LogEntry.objects.log_actions(
        request.user.pk, [candidature], CHANGE, change_message=message, single_object=True
    )


@admin.register(Candidature)
class CandidatureAdmin(SimpleHistoryAdmin):
    list_display = (
        "number",
        "offer_link",
        "position",
        "status",
        "legal_priority",
        "company_priority",
        "company_designation",
        "first_filed_on",
        "household",
        "resources",
        "applied_at",
    )
    list_filter = ("status", DepartmentFilter, "offer__landlord", "offer__deadline")
    search_fields = ("number", "applicant__email", "applicant__last_name", "offer__title")
    list_select_related = ("offer__commune", "applicant", "demande")
    readonly_fields = [f.name for f in Candidature._meta.fields]
    inlines = [EventInline]
    actions = ["validate", "invalidate", "forward"]

    def get_queryset(self, request):
        # Per offer: the active candidatures in rank order, then the ended ones.
        return (
            super()
            .get_queryset(request)
            .ranked()
            .annotate(active_first=Case(When(status__in=ACTIVE, then=Value(0)), default=Value(1)))
        )

    def get_ordering(self, request):
        # The changelist orders by this, not by the queryset's own order.
        return [F("offer_id").asc(), F("active_first").asc(), F("position").asc()]

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

    @admin.display(description="rang", ordering="position")
    def position(self, obj):
        return obj.position if obj.is_active else "—"

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

    def _run(self, request, queryset, name, **kwargs):
        done = 0
        for candidature in queryset:
            try:
                services.transition(
                    candidature, name, actor=request.user, role=Role.ADVISOR, **kwargs
                )
            except services.CandidatureError as exc:
                self.message_user(request, f"{candidature.number} : {exc}", messages.ERROR)
            else:
                _log(request, candidature, f"Transition « {name} »")
                done += 1
        if done:
            self.message_user(request, f"{done} candidature(s) mise(s) à jour.", messages.SUCCESS)

    @admin.action(description="Valider les candidatures sélectionnées")
    def validate(self, request, queryset):
        self._run(request, queryset, "validate")

    @admin.action(description="Invalider les candidatures sélectionnées (motif obligatoire)")
    def invalidate(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._run(request, queryset, "invalidate", reason=form.cleaned_data["reason"])
            return None
        return render(
            request,
            "admin/candidatures/invalidate.html",
            {
                "form": form,
                "candidatures": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "title": "Invalider des candidatures",
            },
        )

    @admin.action(description="Transmettre au bailleur")
    def forward(self, request, queryset):
        for offer_id in set(queryset.values_list("offer_id", flat=True)):
            chosen = [c for c in queryset if c.offer_id == offer_id]
            try:
                services.forward_best(
                    offer=chosen[0].offer, actor=request.user, candidatures=chosen
                )
            except services.CandidatureError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                for c in chosen:
                    _log(request, c, "Transmise au bailleur")
                self.message_user(
                    request, f"{len(chosen)} candidature(s) transmise(s).", messages.SUCCESS
                )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("message", "user", "created_at", "read_at")
    # Ids, not selects of every user and candidature. A candidature select would also be
    # ordered by CandidatureAdmin.get_ordering, whose keys are annotations of its own
    # queryset: on the plain manager that was a FieldError (a 500 on add/change).
    raw_id_fields = ("user", "candidature")
