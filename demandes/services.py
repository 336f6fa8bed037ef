"""Changes to imported requests: access codes, import, update, information, deletion."""

import secrets
import unicodedata
from datetime import date, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_email
from territoires.models import Commune, Department

from . import validity
from .models import AccessCode, AlsNumber, CoApplicant, DataSharingChange, Demande, ValidityNotice
from .records import RecordView
from .registry import get_registry
from .signals import demande_deleting, demande_expired

CODE_VALIDITY = timedelta(hours=24)
MAX_FAILED_ATTEMPTS = 5
CODES_PER_HOUR = 3
# Per request number, whoever asks (several accounts must not multiply the guesses):
# codes emailed and wrong codes typed over the last 24 hours.
CODES_PER_NUMBER_PER_DAY = 5
FAILED_ATTEMPTS_PER_NUMBER_PER_DAY = 10
NUMBER_WINDOW = timedelta(hours=24)
TOO_MANY_FOR_NUMBER = (
    "Trop de codes d'accès ont été demandés ou essayés pour ce numéro aujourd'hui. "
    "Par sécurité, réessayez demain ou appelez le support."
)


class DemandeError(Exception):
    """A refusal to show the applicant, in French."""


def _codes_sent_key(user):
    return f"demandes:codes-sent:{user.pk}"


def _recent_codes_of_number(number, *, lock=False):
    """The codes of this number of the last 24 hours, all accounts together; locked
    when asked so that two accounts asking at once count each other."""
    codes = AccessCode.objects.filter(number=number, created_at__gt=timezone.now() - NUMBER_WINDOW)
    if lock:
        codes = codes.select_for_update()
    return list(codes.only("failed_attempts"))


def _number_exhausted(codes):
    return sum(c.failed_attempts for c in codes) >= FAILED_ATTEMPTS_PER_NUMBER_PER_DAY


@transaction.atomic
def request_access_code(*, user, number):
    """Email a new 6-digit code for the request; return the masked address.

    Says nothing about a number that is unknown or already imported elsewhere beyond
    "no request" (raised as DemandeError). At most 3 codes an hour per applicant.
    """
    if Demande.objects.filter(user=user).exists():
        raise DemandeError(
            "Vous avez déjà importé une demande. Supprimez-la pour en importer une autre."
        )
    registry = get_registry()
    if registry.find(number) is None or Demande.objects.filter(number=number).exists():
        raise DemandeError(
            "Nous ne trouvons pas de demande de logement social correspondant à ce numéro. "
            "Vérifiez votre Numéro Unique."
        )
    return _send_code(user, number)


def current_code(user):
    return (
        AccessCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def _use_code(user, code):
    """Check the user's latest code and mark it used; raise DemandeError (French) when
    it is wrong, expired, used or out of tries."""
    with transaction.atomic():
        access = (
            AccessCode.objects.select_for_update().filter(user=user).order_by("-created_at").first()
        )
        if access is None:
            raise DemandeError("Saisissez d'abord votre Numéro Unique pour recevoir un code.")
        if access.used_at is not None:
            raise DemandeError("Ce code d'accès a déjà été utilisé. Demandez un nouveau code.")
        if access.expires_at <= timezone.now():
            raise DemandeError(
                "Votre code d'accès a expiré (il est valable 24h). Demandez un nouveau code."
            )
        if access.failed_attempts >= MAX_FAILED_ATTEMPTS:
            raise DemandeError(
                "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code."
            )
        if _number_exhausted(_recent_codes_of_number(access.number, lock=True)):
            raise DemandeError(TOO_MANY_FOR_NUMBER)
        if not check_password((code or "").strip(), access.code_hash):
            access.failed_attempts += 1
            access.save(update_fields=["failed_attempts"])
            left = MAX_FAILED_ATTEMPTS - access.failed_attempts
            if left == 0:
                message = (
                    "Code d'accès incorrect. Ce code n'est plus valable : demandez un nouveau code."
                )
            else:
                message = f"Code d'accès incorrect. Il vous reste {left} essai(s)."
            failure = DemandeError(message)
        else:
            failure = None
            access.used_at = timezone.now()
            access.save(update_fields=["used_at"])
    if failure:
        raise failure
    return access


def _send_code(user, number):
    """A new 6-digit code for ``number`` to the registry's address (3 an hour per
    applicant, and the per-number caps)."""
    recent = _recent_codes_of_number(number, lock=True)
    if len(recent) >= CODES_PER_NUMBER_PER_DAY or _number_exhausted(recent):
        raise DemandeError(TOO_MANY_FOR_NUMBER)
    key = _codes_sent_key(user)
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > CODES_PER_HOUR:
        raise DemandeError(
            "Vous avez demandé trop de codes d'accès. Réessayez dans une heure ou "
            "vérifiez vos spams."
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    AccessCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    AccessCode.objects.create(
        user=user,
        number=number,
        code_hash=make_password(code),
        expires_at=timezone.now() + CODE_VALIDITY,
    )
    return get_registry().send_access_code(number, code)


@transaction.atomic
def request_validation_code(*, demande):
    """ "Confirmer" / "Saisir ma demande" for a request created on AL'in before 20/04/21:
    a security code to the address of the registry's request; return that address."""
    if not demande.needs_code_validation:
        raise DemandeError("Votre Numéro Unique est déjà validé : « Mettre à jour » suffit.")
    if get_registry().find(demande.number) is None:
        raise DemandeError("Cette demande n'existe plus dans le registre national.")
    return _send_code(demande.user, demande.number)


def validate_with_code(*, demande, code):
    """The security code of a request created before 20/04/21: once right, the Numéro
    Unique is validated and the request updated; later updates are one click."""
    access = _use_code(demande.user, code)
    if access.number != demande.number:
        raise DemandeError("Ce code ne correspond pas à votre demande. Demandez un nouveau code.")
    Demande.objects.filter(pk=demande.pk).update(code_validated_at=timezone.now())
    demande.code_validated_at = timezone.now()
    return refresh_from_registry(demande=demande)


def _same_name(a, b):
    def norm(value):
        plain = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore")
        return " ".join(plain.decode().replace("-", " ").replace("'", " ").upper().split())

    return norm(a) == norm(b) and norm(a) != ""


def identity_mismatch(user, record):
    """Whether the account's birth name and first name are neither the applicant's nor
    the co-applicant's of this registry record (the legal applicant is the request's
    person, not the login: the account holder must confirm being one of them)."""
    people = [record.get("demandeur") or {}, record.get("codemandeur") or {}]
    for person in people:
        names = (person.get("nom_naissance"), person.get("nom_usage"))
        if _same_name(user.first_name, person.get("prenom")) and any(
            _same_name(user.last_name, name) for name in names
        ):
            return False
    return True


def pending_import(user):
    """The registry record the user's current code is for (the code page shows whose
    request it is before importing), or None."""
    access = current_code(user)
    return get_registry().find(access.number) if access else None


IDENTITY_CONFIRMATION = (
    "Les nom et prénom de votre compte ne sont pas ceux de cette demande. Confirmez que vous "
    "êtes le demandeur ou le co-demandeur de cette demande pour l'importer."
)


def import_with_code(*, user, code, identity_confirmed=False):
    """Check the emailed code and import the request. Raises DemandeError when refused.

    When the account's names are not the request's applicant's or co-applicant's, the
    applicant must have confirmed being one of them (checked before the code is used).
    """
    pending = pending_import(user)
    mismatch = pending is not None and identity_mismatch(user, pending)
    if mismatch and not identity_confirmed:
        raise DemandeError(IDENTITY_CONFIRMATION)
    access = _use_code(user, code)
    record = get_registry().find(access.number)
    if record is None:
        raise DemandeError("Cette demande n'est plus disponible dans le registre national.")
    try:
        return _create_demande(user, record, identity_confirmed=identity_confirmed)
    except IntegrityError as exc:
        raise DemandeError("Cette demande est déjà rattachée à un compte AL'in.") from exc


@transaction.atomic
def _create_demande(user, record, identity_confirmed=False):
    view = RecordView(record)
    fields = view.demande_fields(timezone.localdate())
    if identity_mismatch(user, record):
        # Flagged for advisors; the applicant confirmed being one of the applicants.
        fields["identity_mismatch"] = True
        fields["identity_confirmed_at"] = timezone.now() if identity_confirmed else None
    # What the registry does not say, the account does (prefilled on the mini-form).
    fields["civility"] = fields["civility"] or user.civility
    fields["mobile_phone"] = fields["mobile_phone"] or user.mobile_phone or ""
    demande = Demande.objects.create(user=user, **fields)
    assign_als_number(user)
    _set_places(demande, view)
    _set_coapplicant(demande, view)
    DataSharingChange.objects.create(demande=demande, choice=demande.data_sharing, by_default=True)
    return demande


def assign_als_number(user):
    """The applicant's N° ALS, assigned once (10 digits from a database sequence)."""
    als, _ = AlsNumber.objects.get_or_create(user=user)
    if als.number is None:
        als.number = f"{als.pk:010d}"
        als.save(update_fields=["number"])
    return als.number


def _set_coapplicant(demande, view, kept=()):
    """Demandeur 2 as the registry says (``codemandeur``); what the applicant declared on
    the mini-form (``kept``) stays."""
    fields = view.coapplicant_fields()
    if fields is None:
        CoApplicant.objects.filter(demande=demande).delete()
        return None
    current = CoApplicant.objects.filter(demande=demande).first()
    if current is None:
        return CoApplicant.objects.create(demande=demande, **fields)
    for name, value in fields.items():
        if name not in kept:
            setattr(current, name, value)
    current.save()
    return current


def _set_places(demande, view):
    demande.desired_communes.set(Commune.objects.filter(insee_code__in=view.commune_codes()))
    demande.desired_departments.set(Department.objects.filter(code__in=view.department_codes()))


IDENTITY_FIELDS = ("birth_name", "first_name", "birth_date")
# What the applicant declared on AL'in's mini-form wins over the registry once confirmed.
DECLARED_FIELDS = (
    "civility",
    "usage_name",
    "email",
    "mobile_phone",
    "landline_phone",
    "professional_situation",
    "siret",
    "company_code",
)
# The mini-form's fields of an applicant block (Demandeur 1 and Demandeur 2).
INFORMATION_FIELDS = DECLARED_FIELDS


def refresh_from_registry(*, demande):
    """ "Mettre à jour ma demande": read the registry again and update the snapshot.

    A request created on AL'in before 20/04/21 is first validated with a code
    (``validate_with_code``).

    Refused when the birth name, first name or birth date differ from the imported
    ones: the request must then be deleted and imported again.
    """
    if demande.needs_code_validation:
        raise DemandeError(
            "Votre demande a été créée sur AL'in avant le 20/04/21 : validez d'abord votre "
            "Numéro Unique avec un code de sécurité."
        )
    record = get_registry().find(demande.number)
    if record is None:
        raise DemandeError("Cette demande n'existe plus dans le registre national.")
    fields = RecordView(record).demande_fields(timezone.localdate())
    for name in IDENTITY_FIELDS:
        if _normalise(fields[name]) != _normalise(getattr(demande, name)):
            raise DemandeError(
                "Le nom, le prénom ou la date de naissance de votre demande ne correspondent "
                "plus à ceux rattachés au Numéro Unique. Vous devez supprimer votre demande "
                "sur AL'in, puis la réimporter."
            )
    kept = {"number", *(DECLARED_FIELDS if demande.information_confirmed_at else ())}
    with transaction.atomic():
        for name, value in fields.items():
            if name not in kept:
                setattr(demande, name, value)
        demande.save()
        view = RecordView(record)
        _set_places(demande, view)
        _set_coapplicant(
            demande, view, kept=DECLARED_FIELDS if demande.information_confirmed_at else ()
        )
    return demande


def _normalise(value):
    return " ".join(str(value).split()).upper()


@transaction.atomic
def save_information(*, demande, information, co_applicant=None, data_sharing=None):
    """The mini-form "Saisie de vos informations demandeur(s)": Demandeur 1's
    ``information`` and, when the request has one, Demandeur 2's ``co_applicant`` (dicts
    of ``INFORMATION_FIELDS``), and the data choice (every change kept with its date)."""
    demande = Demande.objects.select_for_update().get(pk=demande.pk)
    for name in INFORMATION_FIELDS:
        if name in information:
            setattr(demande, name, information[name])
    changed = data_sharing is not None and data_sharing != demande.data_sharing
    if data_sharing is not None:
        demande.data_sharing = data_sharing
    demande.information_confirmed_at = demande.information_confirmed_at or timezone.now()
    demande.save()
    if co_applicant is not None:
        second = CoApplicant.objects.get(demande=demande)
        for name in INFORMATION_FIELDS:
            if name in co_applicant:
                setattr(second, name, co_applicant[name])
        second.save()
    if changed:
        DataSharingChange.objects.create(demande=demande, choice=demande.data_sharing)
    return demande


@transaction.atomic
def confirm_documents(*, demande):
    demande.documents_confirmed_at = timezone.now()
    demande.save(update_fields=["documents_confirmed_at", "refreshed_at"])
    return demande


@transaction.atomic
def delete_demande(*, demande, actor):
    """ "Supprimer ma demande". Apps holding data on it react first (an active
    candidature is cancelled) through the ``demande_deleting`` signal."""
    demande_deleting.send(sender=Demande, demande=demande, actor=actor)
    demande.delete()


# End of validity (demandes/validity.py) ----------------------------------------------


def _with_valid_from():
    return Demande.objects.annotate(anchor=Coalesce("renewed_on", "first_filed_on"))


def _not_noticed(queryset, kind):
    notice = ValidityNotice.objects.filter(
        demande=OuterRef("pk"), kind=kind, valid_from=OuterRef("anchor")
    )
    return queryset.filter(~Exists(notice))


def _remind(demande, kind):
    """Email the reminder ``kind`` (a month / a week before the end), once per period."""
    until = demande.valid_until
    context = {
        "demande": demande,
        "valid_until": until,
        "delay": "un mois" if kind == ValidityNotice.Kind.MONTH else "une semaine",
        "national_site": validity.NATIONAL_SITE_URL,
        "url": absolute_url(reverse("dashboard")),
    }
    notices = [kind]
    if kind == ValidityNotice.Kind.WEEK:
        # Imported or found late: the week's reminder replaces the month's.
        notices.append(ValidityNotice.Kind.MONTH)
    with transaction.atomic():
        created = False
        for notice_kind in notices:
            _, new = ValidityNotice.objects.get_or_create(
                demande=demande,
                kind=notice_kind,
                valid_from=demande.valid_from,
                defaults={"valid_until": until, "emailed": notice_kind == kind},
            )
            created = created or (new and notice_kind == kind)
        if created:
            for address in demande.contact_emails:
                queue_email(address, "demandes/email/renewal_reminder", context)
    return created


def _expire(demande):
    """The request is struck off: say so once, and let other apps react (candidatures
    not yet decided end)."""
    with transaction.atomic():
        _, created = ValidityNotice.objects.get_or_create(
            demande=demande,
            kind=ValidityNotice.Kind.EXPIRED,
            valid_from=demande.valid_from,
            defaults={"valid_until": demande.valid_until, "emailed": False},
        )
        if created:
            demande_expired.send(sender=Demande, demande=demande, valid_until=demande.valid_until)
    return created


def check_validity(*, today=None):
    """The daily look at every request's end of validity (``demandes.tasks``).

    A reminder a month before the end and another a week before (once each per period
    of validity, to the request's contact address), and, once a request has expired,
    the ``demande_expired`` signal (its candidatures not yet decided end). Each request
    is selected in SQL from its filing/renewal date, then checked exactly in Python
    (months have different lengths). Returns the counts of each kind.
    """
    today = today or timezone.localdate()
    slack = timezone.timedelta(days=3)
    week = timezone.timedelta(days=validity.LAST_REMINDER_DAYS)
    expired_before = validity.anchor_before(today)
    counts = {"un_mois": 0, "une_semaine": 0, "expiree": 0}
    candidates = _not_noticed(
        _with_valid_from().filter(anchor__lt=expired_before), ValidityNotice.Kind.EXPIRED
    ).select_related("user")
    for demande in candidates:
        if demande.valid_until < today and _expire(demande):
            counts["expiree"] += 1
    for kind, first_day in (
        (ValidityNotice.Kind.WEEK, validity.add_months(today, -12) + week),
        (ValidityNotice.Kind.MONTH, validity.add_months(today, -11)),
    ):
        candidates = _not_noticed(
            _with_valid_from().filter(
                anchor__gte=expired_before - slack, anchor__lte=first_day + slack
            ),
            kind,
        ).select_related("user")
        for demande in candidates:
            until = demande.valid_until
            if until < today:
                continue
            due = (
                today >= validity.last_reminder_from(until)
                if kind == ValidityNotice.Kind.WEEK
                else today >= validity.renew_from(until)
            )
            if due and _remind(demande, kind):
                counts[kind] += 1
    return counts


# Requests created on AL'in before 20/04/2021 -------------------------------------------

LEGACY_BEFORE = date(2021, 4, 20)


@transaction.atomic
def attach_legacy_demande(*, user, number, created_on):
    """Attach a request created on AL'in before 20/04/21 to its account, from the
    registry's record, not validated with a code (its first update asks for one)."""
    if created_on >= LEGACY_BEFORE:
        raise DemandeError(f"créée le {created_on:%d/%m/%Y}, pas avant le 20/04/2021")
    if Demande.objects.filter(user=user).exists():
        raise DemandeError("le compte a déjà une demande")
    if Demande.objects.filter(number=number).exists():
        raise DemandeError("numéro déjà rattaché à un compte")
    record = get_registry().find(number)
    if record is None:
        raise DemandeError("numéro absent du registre national")
    demande = _create_demande(user, record)
    demande.code_validated_at = None
    demande.legacy_created_on = created_on
    demande.save(update_fields=["code_validated_at", "legacy_created_on", "refreshed_at"])
    return demande
