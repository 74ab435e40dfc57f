"""Exact rational arithmetic on plain integers.

A rational is carried as a numerator and a positive denominator (two ``int``), never normalised
until it is shown: the engine multiplies and adds numerators and denominators directly, which is
several times faster than :class:`fractions.Fraction` (no gcd on every operation) and exactly as
correct. Nothing here ever touches binary floating point.

* :func:`parse_number` reads a JSON number (``int`` or :class:`decimal.Decimal` from
  ``json.loads(..., parse_float=Decimal)``) or a decimal string ``-?[0-9]+(\\.[0-9]+)?`` into
  ``(numerator, denominator, text)``; ``text`` is the canonical text shown in explanations.
* :func:`fmt2` rounds half-up (away from zero) to two places and prints ``"12.50"``.
* :func:`qstr` prints an exact value: a finite decimal when there is one (``"2.275"``), otherwise
  ``"numerator/denominator"`` in lowest terms (``"157/18"``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from math import gcd

__all__ = ["NumberError", "parse_number", "parse_count", "fmt2", "qstr", "parse_exact"]

_NUM_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_POW10 = [10**i for i in range(64)]
# Decimal exponents outside this range are refused: 1E+999999999 would be a gigantic integer.
_MAX_EXP = 1000
# Bounds on every number a case may carry (issue 16). The methodology's counts are a body's
# services, applications, complaints, posts… in one year: none comes near a trillion, so a
# count above MAX_COUNT is refused, and a number is at most MAX_DIGITS digits long (Python's own
# limit on turning text into an integer is 4300 digits, past which it raises a bare ValueError).
MAX_COUNT = 999_999_999_999
MAX_DIGITS = 30
_MAX_INT = 10**MAX_DIGITS


class NumberError(ValueError):
    """The value is not a number of the kind required; the message says why."""


def parse_number(value: object) -> tuple[int, int, str]:
    """Return ``(numerator, denominator, text)`` for a JSON number or decimal string."""
    t = type(value)
    if t is int:
        if not -_MAX_INT < value < _MAX_INT:  # type: ignore[operator]
            raise NumberError(f"number out of the supported range (at most {MAX_DIGITS} digits)")
        return value, 1, str(value)  # type: ignore[return-value]
    if t is str:
        s: str = value  # type: ignore[assignment]
        if len(s) > 2 * MAX_DIGITS + 2:
            raise NumberError(f"number out of the supported range (at most {MAX_DIGITS} digits "
                              "before and after the point)")
        if _NUM_RE.match(s) is None:
            raise NumberError(
                f"{s!r} is not a decimal number (expected digits, an optional leading '-' and "
                'an optional fractional part, e.g. "12.5")'
            )
        i = s.find(".")
        if i < 0:
            return int(s), 1, s
        frac_len = len(s) - i - 1
        den = _POW10[frac_len] if frac_len < 64 else 10**frac_len
        return int(s[:i] + s[i + 1 :]), den, s
    if t is Decimal:
        d: Decimal = value  # type: ignore[assignment]
        if not d.is_finite():
            raise NumberError("must be a finite number")
        exp = d.as_tuple().exponent
        if exp < -_MAX_EXP or exp > _MAX_EXP:  # type: ignore[operator]
            raise NumberError("number out of the supported range")
        if d.adjusted() >= MAX_DIGITS or len(d.as_tuple().digits) > 2 * MAX_DIGITS:
            raise NumberError(f"number out of the supported range (at most {MAX_DIGITS} digits)")
        n, den = d.as_integer_ratio()
        return n, den, format(d, "f")
    if t is bool:
        raise NumberError("must be a number, not a boolean")
    if t is float:
        raise NumberError(
            "binary floating point is not accepted; pass a decimal string or decimal.Decimal"
        )
    if value is None:
        raise NumberError("must be a number, not null")
    raise NumberError(f"must be a number, not {_json_type(value)}")


def parse_count(value: object) -> int:
    """Return a non-negative whole number: ``12``, ``"12"``, ``12.0`` (``12.5`` is an error)."""
    if type(value) is int:
        if value < 0:  # type: ignore[operator]
            raise NumberError("must be a non-negative whole number (a count), not negative")
        if value > MAX_COUNT:  # type: ignore[operator]
            raise NumberError(f"count exceeds the largest accepted ({MAX_COUNT})")
        return value  # type: ignore[return-value]
    n, d, _ = parse_number(value)
    if d != 1:
        if n % d:
            raise NumberError("must be a non-negative whole number (a count), not a fraction")
        n //= d
    if n < 0:
        raise NumberError("must be a non-negative whole number (a count), not negative")
    if n > MAX_COUNT:
        raise NumberError(f"count exceeds the largest accepted ({MAX_COUNT})")
    return n


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def fmt2(n: int, d: int) -> str:
    """Round ``n/d`` half-up (away from zero) to two places: ``"12.50"``."""
    if n >= 0:
        c = (200 * n + d) // (2 * d)
        return "%d.%02d" % divmod(c, 100)
    c = (-200 * n + d) // (2 * d)
    return "-%d.%02d" % divmod(c, 100) if c else "0.00"


def round2(n: int, d: int) -> tuple[int, int]:
    """``n/d`` rounded half-up to two places, as a rational ``(cents, 100)``."""
    if n >= 0:
        return (200 * n + d) // (2 * d), 100
    return -((-200 * n + d) // (2 * d)), 100


_POW10_LEN = {10**i: i for i in range(1, 19)}
_POW5_LOG = {5**i: i for i in range(0, 60)}  # a denominator 2^a·5^b with b < 60 is "finite"


def qstr(n: int, d: int) -> str:
    """Exact text of ``n/d``: a finite decimal when possible, else ``"n/d"`` in lowest terms."""
    if d == 1:
        return str(n)
    k = _POW10_LEN.get(d)
    if k is not None:  # fast path: a power of ten, no gcd needed
        if n < 0:
            q, r = divmod(-n, d)
            sign = "-"
        else:
            q, r = divmod(n, d)
            sign = ""
        if r == 0:
            return f"{sign}{q}"
        return f"{sign}{q}.{str(r).rjust(k, '0').rstrip('0')}"
    g = gcd(n, d)
    if g != 1:
        n //= g
        d //= g
        if d == 1:
            return str(n)
    k2 = (d & -d).bit_length() - 1
    k5 = _POW5_LOG.get(d >> k2)
    if k5 is None:
        return f"{n}/{d}"
    k = k2 if k2 > k5 else k5
    m = n * (_POW10[k] // d if k < 64 else 10**k // d)
    if m < 0:
        s = str(-m).rjust(k + 1, "0")
        return f"-{s[:-k]}.{s[-k:]}"
    s = str(m).rjust(k + 1, "0")
    return f"{s[:-k]}.{s[-k:]}"


def parse_exact(text: str) -> tuple[int, int]:
    """Inverse of :func:`qstr` (also reads plain decimal strings)."""
    if "/" in text:
        a, b = text.split("/")
        return int(a), int(b)
    n, d, _ = parse_number(text)
    return n, d
