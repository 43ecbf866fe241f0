"""Numbers as people read them: Vietnamese "65.429" and "99,54 %", English
"65,429" and "99.54 %" (the active language's separators, grouped by three)."""

from decimal import Decimal

from django.utils.formats import get_format


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def vn_number(value) -> str:
    """An integer or a Decimal with the active language's separators."""
    if value is None:
        return "—"
    text = str(value)
    sign = "-" if text.startswith("-") else ""
    whole, _dot, decimals = text.lstrip("-").partition(".")
    result = sign + _group(whole, get_format("THOUSAND_SEPARATOR"))
    if decimals:
        result += get_format("DECIMAL_SEPARATOR") + decimals
    return result


def vn_pct(value: Decimal | None) -> str:
    """"99,54 %" (a Decimal as computed, its places kept), or a dash."""
    if value is None:
        return "—"
    return f"{vn_number(value)} %"
