"""Plain input data of the annexes' context builders — no ORM objects.

Callers (the conclusion, act and appeal services) map their models to these small frozen
dataclasses, or pass plain ``dict``s with the same keys (``Body.of({...})``), so the builders can be
tested and reused without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

KINDS = ("central", "local")


def _from_mapping(cls, value: Any):
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - names)
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown keys {', '.join(unknown)}")
        return cls(**value)
    raise TypeError(f"{cls.__name__}: expected a mapping or {cls.__name__}, got {value!r}")


@dataclass(frozen=True)
class Body:
    """The evaluated body: its names (Russian; Kazakh where known) and kind."""

    name_ru: str
    kind: str  # "central" (ЦГО) | "local" (МИО)
    name_kk: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Body.kind must be one of {KINDS}, not {self.kind!r}")
        if not self.name_ru.strip():
            raise ValueError("Body.name_ru is required")

    @classmethod
    def of(cls, value: Any) -> Body:
        return _from_mapping(cls, value)


@dataclass(frozen=True)
class Signatory:
    """One signatory of a signature block.

    ``role`` is the role key of ``reporting.signing.blocks.SIGNATURE_BLOCKS`` (``deputy_chair``,
    ``unit_head``, ``body_head``, ``evaluator_head``, ``evaluator_representative``,
    ``body_representative``, ``commission_chair``); the block prints the seed's text for that role
    and, under it, the person's ``position`` (when it adds something), ``full_name`` and the date
    (``signed_at``; blank lines while unsigned). ``role_label`` overrides the seed's text.
    """

    role: str
    full_name: str = ""
    position: str = ""
    signed_at: date | datetime | None = None
    role_label: str = ""

    @classmethod
    def of(cls, value: Any) -> Signatory:
        return _from_mapping(cls, value)


@dataclass(frozen=True)
class PenaltyFact:
    """One re-verification fact (p.18–20): ``kind`` "unreliable" (untrue information, 0.2 points
    in the 2023 edition) or "incomplete" (a missing annex, section or table, 2 points).

    ``points`` may be given for a cross-check: it must equal the edition's value for the kind.
    ``section`` names the report's part the fact concerns (a criterion, table or indicator).
    """

    description: str
    kind: str = "unreliable"
    section: str = ""
    points: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("unreliable", "incomplete"):
            raise ValueError(
                f"PenaltyFact.kind must be 'unreliable' or 'incomplete', not {self.kind!r}"
            )
        if not self.description.strip():
            raise ValueError("PenaltyFact.description is required")

    @classmethod
    def of(cls, value: Any) -> PenaltyFact:
        return _from_mapping(cls, value)


@dataclass(frozen=True)
class DisagreementRow:
    """One row of the disagreement table (annex 14).

    ``decision`` is ``None`` until the special commission decides, then "accepted" or "rejected";
    ``reasoning`` is the commission's reason.
    """

    subject: str  # the criterion or indicator disputed
    evaluator_conclusion: str
    objection: str
    decision: str | None = None
    reasoning: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.decision not in (None, "accepted", "rejected"):
            raise ValueError(
                f"DisagreementRow.decision must be None, 'accepted' or 'rejected', "
                f"not {self.decision!r}"
            )

    @classmethod
    def of(cls, value: Any) -> DisagreementRow:
        return _from_mapping(cls, value)
