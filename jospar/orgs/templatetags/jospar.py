from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def model_label(obj) -> str:
    """ "app.model" of an object, as the history page's URL names it."""
    return obj._meta.label_lower


@register.filter
def num(value) -> str:
    """A decimal without trailing zeros, localized ("12,5" in Russian); empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return number_format(value, use_l10n=True)
