"""How numbers, dates and periods are printed in the annexes (Russian typographic conventions).

The seed's forms write decimals with a comma ("2,5", "89,99"), so every score, maximum and weight
is printed with a decimal comma; the value itself is the engine's printed string (two places,
half-up) or the edition's number, never re-rounded here. Counts get a non-breaking thin grouping
space (250 000). Dates are written as in the seed's signature lines: «19» марта 2026 г.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

MINUS = "\u2212"  # typographic minus: penalties are printed as −1,50
GROUP = "\u00a0"  # non-breaking space between digit groups

_MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def decimal_text(value: object) -> str:
    """Canonical decimal text of an exact number: ``Fraction(5, 2)`` → ``"2.5"``.

    Accepts ``int``, ``str`` (a decimal string), ``Decimal``, ``Fraction`` and the edition's
    ``Param`` (``n``/``d``). A fraction without a finite decimal expansion is refused: maxima and
    weights of the edition are always finite decimals.
    """
    if hasattr(value, "n") and hasattr(value, "d"):
        value = Fraction(value.n, value.d)
    if isinstance(value, str):
        value = Fraction(Decimal(value))
    if isinstance(value, Decimal):
        value = Fraction(value)
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, Fraction):
        raise TypeError(f"not an exact number: {value!r}")
    d, twos, fives = value.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        raise ValueError(f"{value} has no finite decimal expansion")
    places = max(twos, fives)
    scaled = value * 10**places
    text = str(abs(scaled.numerator))
    if places:
        text = text.rjust(places + 1, "0")
        text = f"{text[:-places]}.{text[-places:]}"
    return ("-" if value < 0 else "") + text


def number(value: object, *, negative: bool = False) -> str:
    """A score, maximum or weight with a decimal comma: ``"84.12"`` → ``"84,12"``.

    Strings are printed exactly as given (the engine's printed values keep their two places);
    ``negative=True`` prints a deduction with a typographic minus (``−1,50``), never ``−0,00``.
    """
    text = value if isinstance(value, str) else decimal_text(value)
    if text.startswith("-"):
        text, negative = text[1:], True
    text = text.replace(".", ",")
    if negative and text.strip("0,") != "":
        return MINUS + text
    return text


def count(value: int | str) -> str:
    """A whole number with grouped thousands: ``250000`` → ``"250 000"`` (non-breaking)."""
    text = str(value)
    if "." in text or "/" in text:
        return number(text)
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return sign + GROUP.join(groups)


def long_date(value: date | datetime | None) -> str:
    """«19» марта 2026 г. (an aware datetime is taken in the application's zone, Asia/Almaty)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return f"«{value.day:02d}» {_MONTHS_GENITIVE[value.month - 1]} {value.year} г."


def period_text(period: object) -> str:
    """The reporting period as printed: a year (``2025``) becomes ``"2025 год"``."""
    text = str(period).strip()
    if text.isdigit() and len(text) == 4:
        return f"{text} год"
    return text


def points_word(value: Fraction, *, genitive: bool = False) -> str:
    """Russian agreement of "балл" with a number: 1 балл, 4 балла, 10 баллов, 4,19 балла; after
    "от", "до", "ниже" (genitive): от 1 балла, от 4 баллов, до 4,19 балла."""
    if value.denominator != 1:
        return "балла"
    n = abs(value.numerator)
    if genitive:
        return "балла" if n % 10 == 1 and n % 100 != 11 else "баллов"
    if n % 10 == 1 and n % 100 != 11:
        return "балл"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return "балла"
    return "баллов"
