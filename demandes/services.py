"""Changes to imported requests: access codes, import, update, information, deletion."""

import secrets
from datetime import timedelta

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
from .models import AccessCode, DataSharingChange, Demande, ValidityNotice
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
    return registry.send_access_code(number, code)


def current_code(user):
    return (
        AccessCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


def import_with_code(*, user, code):
    """Check the emailed code and import the request. Raises DemandeError when refused."""
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
    record = get_registry().find(access.number)
    if record is None:
        raise DemandeError("Cette demande n'est plus disponible dans le registre national.")
    try:
        return _create_demande(user, record)
    except IntegrityError as exc:
        raise DemandeError("Cette demande est déjà rattachée à un compte AL'in.") from exc


@transaction.atomic
def _create_demande(user, record):
    view = RecordView(record)
    demande = Demande.objects.create(user=user, **view.demande_fields(timezone.localdate()))
    _set_places(demande, view)
    DataSharingChange.objects.create(demande=demande, choice=demande.data_sharing)
    return demande


def _set_places(demande, view):
    demande.desired_communes.set(Commune.objects.filter(insee_code__in=view.commune_codes()))
    demande.desired_departments.set(Department.objects.filter(code__in=view.department_codes()))


IDENTITY_FIELDS = ("birth_name", "first_name", "birth_date")
# What the applicant declared on AL'in's mini-form wins over the registry once confirmed.
DECLARED_FIELDS = ("usage_name", "email", "professional_situation", "siret")


def refresh_from_registry(*, demande):
    """ "Mettre à jour ma demande": read the registry again and update the snapshot.

    Refused when the birth name, first name or birth date differ from the imported
    ones: the request must then be deleted and imported again.
    """
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
        _set_places(demande, RecordView(record))
    return demande


def _normalise(value):
    return " ".join(str(value).split()).upper()


@transaction.atomic
def save_information(*, demande, form):
    """The mini-form "Saisie de vos informations demandeur(s)"; keeps every data choice."""
    previous = Demande.objects.values_list("data_sharing", flat=True).get(pk=demande.pk)
    demande = form.save(commit=False)
    demande.information_confirmed_at = demande.information_confirmed_at or timezone.now()
    demande.save()
    if demande.data_sharing != previous:
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


def contact_addresses(demande):
    """Where news about a request goes: the request's contact address (confirmed on the
    mini-form), then the account's address when it differs (the copy)."""
    addresses = [demande.email]
    account = demande.user.email
    if account and account.lower() != demande.email.lower():
        addresses.append(account)
    return addresses


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
            for address in contact_addresses(demande):
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
