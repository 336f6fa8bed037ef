"""Extension point for the RGPD rights: each app declares what it holds about a person.

accounts cannot import the apps to its right; they register here from their
``AppConfig.ready()``:

    register_exporter("demande", lambda user: {...})   # right of access (JSON)
    register_eraser(lambda user: ...)                   # account deletion (anonymise)
"""

_exporters = {}
_erasers = []


def register_exporter(name, func):
    """``func(user) -> dict | list | None``: the data of this app about the user."""
    _exporters[name] = func


def register_eraser(func):
    """``func(user)``: delete or anonymise the app's data before the account goes."""
    if func not in _erasers:
        _erasers.append(func)


def exporters():
    return dict(_exporters)


def erasers():
    return list(_erasers)


# --- What the erasers leave behind: history tables, the outbox, the admin's journal -----
#
# django-simple-history keeps a full copy of a row at each change: erasing or anonymising
# the live row leaves the person in its history. After the apps' erasers ran, for every
# tracked model with a foreign key to the user:
#   - the history of rows that no longer exist (an erased request) is deleted: it is the
#     erased data itself;
#   - rows kept for legal reasons (a candidature) have their ``PERSONAL_FIELDS`` (a
#     model attribute naming the fields that identify the person) blanked, in the live
#     row and in every historical copy; their other history (who moved what, when)
#     stays readable.
# Emails sent to the person's addresses (outbox) and their contact messages are deleted;
# the admin's journal entries naming them are neutralised.


def _user_keys(model):
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    ]


def tracked_models():
    """(model, historical model) of every model django-simple-history tracks."""
    from django.apps import apps

    for model in apps.get_models():
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            yield model, getattr(model, manager).model


def traces_of(user):
    """The person's addresses and names, read before the erasers change them: every
    email field of the rows linked to the user, the user's own fields."""
    from allauth.account.models import EmailAddress
    from django.apps import apps
    from django.db import models

    emails = {user.email.lower()}
    addresses = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    emails |= {address.lower() for address in addresses}
    for model in apps.get_models():
        email_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.EmailField)
        ]
        for key in _user_keys(model) if email_fields else ():
            for row in model._default_manager.filter(**{key.attname: user.pk}).values_list(
                *email_fields
            ):
                emails |= {value.lower() for value in row if value}
    names = [n for n in (f"{user.first_name} {user.last_name}".strip(), user.last_name) if n]
    return {"emails": emails - {""}, "names": names}


def erase_history_and_outbox(user, traces):
    from django.contrib.admin.models import LogEntry
    from django.db.models import Q

    from core.models import ContactMessage, OutgoingEmail

    for model, historical in tracked_models():
        for key in _user_keys(model):
            history = historical.objects.filter(**{key.attname: user.pk})
            pk_name = model._meta.pk.attname
            kept = model._default_manager.filter(**{key.attname: user.pk})
            kept_ids = list(kept.values_list("pk", flat=True))
            history.exclude(**{f"{pk_name}__in": kept_ids}).delete()
            personal = getattr(model, "PERSONAL_FIELDS", ())
            if personal and kept_ids:
                blank = dict.fromkeys(personal, "")
                kept.update(**blank)
                historical.objects.filter(**{f"{pk_name}__in": kept_ids}).update(**blank)

    by_address = Q()
    for email in traces["emails"]:
        by_address |= Q(to__iexact=email)
    if by_address:
        OutgoingEmail.objects.filter(by_address).delete()
        _delete_sent_emails_mentioning(user, [*traces["emails"], *traces["names"][:1]])
        ContactMessage.objects.filter(
            Q(*[Q(email__iexact=e) for e in traces["emails"]], _connector=Q.OR)
        ).delete()
    naming = Q()
    for text in [*traces["emails"], *traces["names"]]:
        naming |= Q(object_repr__icontains=text) | Q(change_message__icontains=text)
    if naming:
        LogEntry.objects.filter(naming).update(object_repr="(anonymisé)", change_message="")


def _delete_sent_emails_mentioning(user, texts):
    """Emails about the person sent to others (a landlord, an advisor): once no longer
    pending, nothing needs them. Bodies are sealed (core/sealing.py), so each one is read
    back; only emails written since the person's account existed can name them, and sent
    emails are purged after OUTBOX_RETENTION_DAYS, so the rows read are few."""
    from core.models import OutgoingEmail

    texts = [text.lower() for text in texts if text]
    candidates = OutgoingEmail.objects.filter(created_at__gte=user.date_joined).exclude(
        status=OutgoingEmail.Status.PENDING
    )
    naming = []
    for email in candidates.iterator(chunk_size=500):
        content = " ".join((email.subject, email.read_text(), email.read_html())).lower()
        if any(text in content for text in texts):
            naming.append(email.pk)
    OutgoingEmail.objects.filter(pk__in=naming).delete()


def erase_sessions(user, traces):
    """The person's Django sessions, on every device: signed in as them, or naming one of
    their addresses (allauth keeps the address of each sign-in, and messages their name,
    in the session). Sessions are stored signed and encoded, so each one alive since the
    account existed is decoded; expired ones are cleared daily (accounts.tasks), so the rows
    read are those of recent visitors. A session store outside the database (cache,
    signed cookies) holds nothing to search here: those expire on their own."""
    import json
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    texts = [text.lower() for text in [*traces["emails"], *traces["names"]] if text]
    user_id = str(user.pk)
    rows = store.get_model_class().objects.filter(expire_date__gte=user.date_joined)
    doomed = []
    for key, data in rows.values_list("session_key", "session_data").iterator(chunk_size=2000):
        decoded = store().decode(data)
        content = json.dumps(decoded, ensure_ascii=False, default=str).lower()
        if decoded.get("_auth_user_id") == user_id or any(t in content for t in texts):
            doomed.append(key)
    for key in doomed:
        store(session_key=key).delete()  # the cache's copy too (cached_db)
    return len(doomed)
