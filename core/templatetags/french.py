"""French formatting for what people read and print: amounts and phone numbers.

``{{ 21000|euros }}`` → "21 000 €" (the locale's thousands separator, a no-break
space before the sign); ``{{ phone|phone_fr }}`` → "06 12 34 56 78".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers
from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(value, decimals=0):
    """An amount in euros, grouped by thousands as French readers expect."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    return f"{number_format(_round(amount, decimals), int(decimals), force_grouping=True)}\u00a0€"


@register.filter
def phone_fr(value):
    """A phone number in the French national format (pairs of digits), or as given."""
    if not value:
        return ""
    number = value if isinstance(value, phonenumbers.PhoneNumber) else None
    if number is None:
        try:
            number = phonenumbers.parse(str(value), "FR")
        except phonenumbers.NumberParseException:
            return str(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@register.filter
def percent(value, decimals=1):
    """A ratio (0.2845) as a French percentage ("28,5 %")."""
    if value is None:
        return ""
    return f"{number_format(_round(Decimal(str(value)) * 100, decimals), int(decimals))}\u00a0%"


def _round(amount, decimals):
    """Round half up first: number_format cuts extra decimals off."""
    return amount.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
