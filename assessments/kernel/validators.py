"""Validators of reference data.

BIN (бизнес-идентификационный номер) — the 12-digit number of a legal entity, built as the
Government's programme of unified identification numbers prescribes (resolution No. 565 of
11 June 2003): ``YYMM`` of registration, the entity's type (4 resident legal entity, 5
non-resident, 6 individual entrepreneur with a joint venture), its attribute (0 head unit,
1 branch, 2 representative office, 3 peasant farm), a 5-digit serial number and a control digit.

The control digit is the one shared with the IIN: the weighted sum of the first 11 digits with
weights 1…11, modulo 11; when that gives 10, again with weights 3…11, 1, 2; when that too gives 10
the number is never issued. Cross-checked against two independent public implementations (a
Java library for IIN/BIN and the OECD's note on Kazakh TINs, which both describe this rule).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_control_digit(first_eleven: str) -> int | None:
    """The control digit for 11 leading digits, or None when no valid number can end them."""
    if len(first_eleven) != 11 or not first_eleven.isdigit():
        raise ValueError("11 digits expected")
    digits = [int(ch) for ch in first_eleven]
    for weights in (_WEIGHTS_FIRST, _WEIGHTS_SECOND):
        control = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if control != 10:
            return control
    return None


def bin_problem(value: str) -> str | None:
    """What is wrong with ``value`` as a BIN, or None when it is a valid BIN."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return "length"
    if not 1 <= int(value[2:4]) <= 12:
        return "month"
    if value[4] not in "456" or value[5] not in "0123":
        return "type"
    if bin_control_digit(value[:11]) != int(value[11]):
        return "checksum"
    return None


_MESSAGES = {
    "length": _("БИН состоит ровно из 12 цифр."),
    "month": _("В БИН цифры 3–4 — месяц регистрации (01–12)."),
    "type": _("В БИН 5-я цифра — тип (4, 5 или 6), 6-я — признак (0–3)."),
    "checksum": _("Контрольная цифра БИН не сходится: проверьте номер."),
}


def validate_bin(value: str) -> None:
    """Django validator: refuses anything that is not a well-formed BIN with a valid checksum."""
    problem = bin_problem(value or "")
    if problem:
        raise ValidationError(_MESSAGES[problem], code=f"bin_{problem}")


def make_bin(first_eleven: str) -> str:
    """Complete 11 digits into a BIN (used by demo data and factories); ValueError if impossible."""
    control = bin_control_digit(first_eleven)
    if control is None:
        raise ValueError(f"{first_eleven} cannot be completed into a valid BIN")
    return first_eleven + str(control)


# IIN (индивидуальный идентификационный номер): ``YYMMDD`` of birth, a digit for the century and
# sex (1…6; 0 for numbers issued to foreigners without a birth date in them), a 4-digit serial
# number and the control digit shared with the BIN (above).
_IIN_MESSAGES = {
    "length": _("ИИН состоит ровно из 12 цифр."),
    "date": _("В ИИН первые 6 цифр — дата рождения (ГГММДД)."),
    "checksum": _("Контрольная цифра ИИН не сходится: проверьте номер."),
}


def iin_problem(value: str) -> str | None:
    """What is wrong with ``value`` as an IIN, or None when it is a valid IIN."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return "length"
    if value[6] != "0" and not (1 <= int(value[2:4]) <= 12 and 1 <= int(value[4:6]) <= 31):
        return "date"
    if bin_control_digit(value[:11]) != int(value[11]):
        return "checksum"
    return None


def validate_iin(value: str) -> None:
    """Django validator: a well-formed IIN with a valid control digit."""
    problem = iin_problem(value or "")
    if problem:
        raise ValidationError(_IIN_MESSAGES[problem], code=f"iin_{problem}")


def make_iin(first_eleven: str) -> str:
    """Complete 11 digits into an IIN (demo data and tests); ValueError if impossible."""
    control = bin_control_digit(first_eleven)
    if control is None:
        raise ValueError(f"{first_eleven} cannot be completed into a valid IIN")
    return first_eleven + str(control)


def known_editions() -> list[str] | None:
    """Codes of the methodology editions shipped as data files, or None if the folder is absent.

    The scoring engine keeps one file per edition in ``assessments/scoring/editions/`` (e.g.
    ``2023.json``); a cycle pins one of them.
    """
    from assessments.scoring.edition import EDITIONS_DIR as folder

    if not folder.is_dir():
        return None
    return sorted({path.name.split(".")[0] for path in folder.iterdir() if path.is_file()})


def validate_edition(value: str) -> None:
    """A cycle's edition must be a plain code and, where editions ship as files, one of them."""
    import re

    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z._-]{0,19}", value or ""):
        raise ValidationError(_("Код редакции: цифры и латинские буквы, например 2023."))
    editions = known_editions()
    if editions is not None and value not in editions:
        raise ValidationError(
            _("Редакция Методики «%(code)s» неизвестна; известны: %(known)s."),
            params={"code": value, "known": ", ".join(editions)},
            code="unknown_edition",
        )
