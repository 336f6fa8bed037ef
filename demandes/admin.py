"""Advisors read requests in the admin as a person would: names, Madame/Monsieur,
T1/T2, documents by their French names, the household, the data-sharing choice and its
history. Nothing here is JSON or a code: the helpers below are also used by the
candidature page (candidatures/admin.py)."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from phonenumbers import PhoneNumberFormat
from phonenumbers import format_number as format_phone

from accounts.models import User
from core.admin import ReadableHistoryAdmin, SuperusersOnlyAdmin

from . import documents
from .models import AccessCode, DataSharingChange, Demande, RegistryRecord
from .records import DOCUMENT_KINDS

# Every kind of document the registry may list, by the name applicants read.
DOCUMENT_NAMES = {
    documents.IDENTITY.kind: "Pièce d'identité",
    documents.TAX_N2.kind: "Avis d'imposition N-2",
    documents.TAX_N1.kind: "Avis d'imposition N-1",
    documents.PAYSLIPS.kind: "Bulletins de salaire",
    documents.OTHER_INCOME.kind: "Justificatifs de ressources",
    documents.FAMILY.kind: "Justificatif de situation familiale",
    documents.HOUSING.kind: "Justificatif de logement actuel",
    documents.CONTRACT.kind: "Contrat de travail ou attestation employeur",
    documents.DISABILITY.kind: "Justificatif de handicap",
    "grossesse": "Certificat de grossesse",
    "jugement_expulsion": "Jugement d'expulsion",
}
assert set(DOCUMENT_NAMES) == DOCUMENT_KINDS, "a document kind has no French name"

REGISTRY_CIVILITIES = {"M": User.Civility.MONSIEUR, "MME": User.Civility.MADAME}


def civility_label(value):
    """ "m" / "mme" (portal) or "M" / "MME" (registry) as "Monsieur" / "Madame"."""
    if not value:
        return ""
    value = REGISTRY_CIVILITIES.get(str(value).upper(), str(value).lower())
    return User.Civility(value).label if value in User.Civility.values else ""


def person_line(person):
    """A person of the registry record (applicant, co-applicant, household member) in
    one line: "Madame Marie DURAND (née LEROY), née le 02/03/1991, en situation de
    handicap"."""
    if not person:
        return "—"
    words = [civility_label(person.get("civilite"))]
    usage = (person.get("nom_usage") or "").strip()
    birth = (person.get("nom_naissance") or "").strip()
    words.append((person.get("prenom") or "").strip())
    words.append(usage or birth)
    line = " ".join(w for w in words if w)
    if usage and birth and usage != birth:
        line += f" (nom de naissance {birth})"
    born = person.get("date_naissance")
    if born:
        line += f", né(e) le {born[8:10]}/{born[5:7]}/{born[0:4]}"
    if person.get("role"):
        line = f"{person['role'].capitalize()} : {line}"
    if person.get("handicap"):
        line += ", en situation de handicap"
    return line


def typologies_text(typologies):
    return ", ".join(f"T{t}" if t < 6 else "T6 et plus" for t in typologies) or "—"


def document_names(kinds):
    return [DOCUMENT_NAMES.get(kind, kind.replace("_", " ").capitalize()) for kind in kinds]


def phone_text(number):
    """A French number as people write it: 06 12 34 56 78."""
    if not number:
        return "—"
    try:
        return format_phone(number, PhoneNumberFormat.NATIONAL)
    except Exception:  # noqa: BLE001 - an unparsable number is shown as stored
        return str(number)


class DataSharingChangeInline(admin.TabularInline):
    model = DataSharingChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ("choice", "by_default", "changed_at")
    verbose_name = "choix de partage"
    verbose_name_plural = "historique des choix de partage avec l'entreprise"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demande)
class DemandeAdmin(ReadableHistoryAdmin):
    list_display = (
        "number",
        "full_name",
        "household_size",
        "fiscal_income",
        "documents_confirmed_at",
        "identity_mismatch",
        "imported_at",
    )
    list_filter = (
        "identity_mismatch",
        "household_category",
        "legal_priority",
        "company_priority",
        "professional_situation",
        "data_sharing",
    )
    search_fields = (
        "number",
        "birth_name",
        "usage_name",
        "first_name",
        "email",
        "user__email",
        "siret",
    )
    # The snapshot comes from the national registry ("Mettre à jour ma demande" refreshes
    # it) and the rest from the applicant (with its history, e.g. the data-sharing
    # choice): advisors read requests, they never edit them.
    fieldsets = (
        (
            "Demandeur",
            {
                "fields": (
                    "number",
                    "civility_text",
                    "birth_name",
                    "usage_name",
                    "first_name",
                    "birth_date",
                    "email",
                    "phones",
                    "user",
                    "account_holder",
                    "identity_mismatch",
                    "identity_confirmed_at",
                )
            },
        ),
        (
            "Ménage",
            {
                "fields": (
                    "applicants_and_household",
                    "co_applicant_text",
                    "household_text",
                    "household_size",
                    "household_category",
                    "extra_persons",
                    "reduced_mobility",
                    "current_housing",
                )
            },
        ),
        (
            "Ressources et emploi",
            {
                "fields": (
                    "fiscal_income",
                    "monthly_resources",
                    "housing_allowance",
                    "professional_situation",
                    "siret",
                    "company_code",
                )
            },
        ),
        (
            "Souhaits",
            {"fields": ("desired_communes", "desired_departments", "typologies")},
        ),
        (
            "Priorités et ancienneté",
            {
                "fields": (
                    "legal_priority",
                    "company_priority",
                    "company_designation",
                    "first_filed_on",
                    "renewed_on",
                    "code_validated_at",
                    "legacy_created_on",
                )
            },
        ),
        (
            "Pièces justificatives",
            {"fields": ("documents_text", "documents_confirmed_at", "information_confirmed_at")},
        ),
        ("Données personnelles et entreprise", {"fields": ("data_sharing",)}),
        ("Dates", {"fields": ("imported_at", "refreshed_at")}),
    )
    readonly_fields = (
        "account_holder",
        "applicants_and_household",
        "civility_text",
        "phones",
        "co_applicant_text",
        "household_text",
        "typologies",
        "documents_text",
        # Not editable: the history's version page builds a form and needs them here.
        "imported_at",
        "refreshed_at",
    )
    inlines = [DataSharingChangeInline]

    @admin.display(description="demandeur", ordering="birth_name")
    def full_name(self, obj):
        return f"{obj.first_name} {obj.usage_name or obj.birth_name}"

    @admin.display(description="civilité")
    def civility_text(self, obj):
        return civility_label(obj.civility) or "—"

    @admin.display(description="téléphones")
    def phones(self, obj):
        numbers = [phone_text(n) for n in (obj.mobile_phone, obj.landline_phone) if n]
        return " / ".join(numbers) or "—"

    @admin.display(description="co-demandeur")
    def co_applicant_text(self, obj):
        return person_line(obj.co_applicant)

    @admin.display(description="membres du ménage")
    def household_text(self, obj):
        if not obj.household_members:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((person_line(p),) for p in obj.household_members)),
        )

    @admin.display(description="typologies souhaitées")
    def typologies(self, obj):
        return typologies_text(obj.desired_typologies)

    @admin.display(description="pièces déposées")
    def documents_text(self, obj):
        names = document_names(obj.documents)
        if not names:
            return "Aucune pièce signalée par le registre"
        items = format_html_join("", "<li>{}</li>", ((n,) for n in names))
        return format_html("<ul>{}</ul>", items)

    @admin.display(description="titulaire du compte (contact)")
    def account_holder(self, obj):
        user = obj.user
        text = f"{user.first_name} {user.last_name} <{user.email}>"
        if obj.identity_mismatch:
            text += " — ATTENTION : nom différent de ceux de la demande"
        return text

    @admin.display(description="demandeurs et ménage")
    def applicants_and_household(self, obj):
        return render_to_string("demandes/admin_household.html", {"demande": obj})

    def has_add_permission(self, request):
        return False  # a request is imported by its applicant, with the emailed code

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RegistryRecord)
class RegistryRecordAdmin(SuperusersOnlyAdmin):
    """The registry's copy, filled by ``import_registre``: read only, and read as the
    request it describes (never the raw record)."""

    list_display = ("number", "birth_name", "first_name", "birth_date", "email", "updated_at")
    search_fields = ("=number", "birth_name", "first_name", "email")
    fields = readonly_fields = (
        "number",
        "email",
        "birth_name",
        "first_name",
        "birth_date",
        "applicant_text",
        "co_applicant_text",
        "dependants_text",
        "typologies",
        "documents_text",
        "renewal",
        "updated_at",
    )

    @admin.display(description="demandeur")
    def applicant_text(self, obj):
        return person_line(obj.data.get("demandeur"))

    @admin.display(description="co-demandeur")
    def co_applicant_text(self, obj):
        return person_line(obj.data.get("codemandeur"))

    @admin.display(description="personnes à charge")
    def dependants_text(self, obj):
        people = obj.data.get("personnes_a_charge") or []
        if not people:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((person_line(p),) for p in people))
        )

    @admin.display(description="typologies souhaitées")
    def typologies(self, obj):
        return ", ".join(obj.data.get("typologies_souhaitees") or []) or "—"

    @admin.display(description="pièces déposées")
    def documents_text(self, obj):
        return ", ".join(document_names(obj.data.get("pieces_deposees") or [])) or "—"

    @admin.display(description="dépôt et renouvellement")
    def renewal(self, obj):
        filed = obj.data.get("date_depot") or ""
        renewed = obj.data.get("date_renouvellement") or ""

        def french(iso):
            return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else "—"

        return f"déposée le {french(filed)}, renouvelée le {french(renewed)}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessCode)
class AccessCodeAdmin(SuperusersOnlyAdmin):
    list_display = ("number", "user", "created_at", "expires_at", "failed_attempts", "used_at")
    search_fields = ("number", "user__email")
    # The code's hash is a secret: never shown.
    fields = readonly_fields = (
        "user",
        "number",
        "created_at",
        "expires_at",
        "failed_attempts",
        "used_at",
    )
