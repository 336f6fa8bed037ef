"""How long a social-housing request lives (CCH R441-2-8 and the SNE rules, domain.md).

A request is valid one year from its filing, or from its last renewal: the registry's
``date_depot`` (first filing, the request's seniority, never changes) and
``date_renouvellement`` (the day of the last renewal, empty until the first one).
It is valid up to and including that anniversary ("valable jusqu'au 02/05/2027"),
to renew soon from one month before it, and expired (struck off, radiée) the day after.
A renewal is made on the national site; "Mettre à jour ma demande" then brings the new
renewal date into AL'in.
"""

import calendar
from datetime import date, timedelta

from django.db import models

from .departments_sites import NATIONAL_SITE as NATIONAL_SITE_URL

__all__ = ["NATIONAL_SITE_URL", "Validity", "state", "valid_until"]
VALIDITY_YEARS = 1
RENEW_SOON_MONTHS = 1
# The national system reminds applicants a month before the end; AL'in does too, and
# once more a week before.
LAST_REMINDER_DAYS = 7


class Validity(models.TextChoices):
    VALID = "valable", "Valable"
    RENEW_SOON = "a_renouveler", "À renouveler"
    EXPIRED = "expiree", "Expirée"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def valid_until(first_filed_on: date, renewed_on: date | None) -> date:
    """The last day of validity: one year after the last renewal, or after the filing."""
    return add_months(renewed_on or first_filed_on, 12 * VALIDITY_YEARS)


def renew_from(until: date) -> date:
    """The first day the request is "to renew soon": one month before its end."""
    return add_months(until, -RENEW_SOON_MONTHS)


def state(until: date, today: date) -> str:
    if today > until:
        return Validity.EXPIRED
    if today >= renew_from(until):
        return Validity.RENEW_SOON
    return Validity.VALID


def last_reminder_from(until: date) -> date:
    return until - timedelta(days=LAST_REMINDER_DAYS)


def anchor_before(today: date) -> date:
    """Requests whose filing/renewal date is before this day are expired on ``today``
    (used to find them in SQL)."""
    return add_months(today, -12 * VALIDITY_YEARS)
