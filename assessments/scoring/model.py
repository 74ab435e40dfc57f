"""Typed input of the scoring engine, as built by :func:`assessments.scoring.validate_case`.

Numbers that may be fractional are ``Num`` = ``(numerator, denominator, text)``: the exact value
and the text it was given as (for explanations). Counts are ``int``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Num = tuple[int, int, str]
ZERO: Num = (0, 1, "0")


@dataclass(slots=True)
class Body:
    kind: str  # "central" | "local"
    special: frozenset[str] = frozenset()


@dataclass(slots=True)
class Automation:
    kinds_total: int
    partially_automated: int
    fully_automated: int
    electronic_volume: int
    total_volume: int
    automated_paper_volume: int
    automated_total_volume: int
    mobile_available: int
    unavailability_hours: Num
    proactive_services: int
    digital_documents: int


@dataclass(slots=True)
class Services:
    satisfaction_levels: tuple[Num, ...]
    rendered: int
    justified_complaints: int
    late: int
    unjustified_refusals: int
    incomplete_package: int
    extra_documents: int
    automation: Automation | None = None


@dataclass(slots=True)
class Criterion:
    """An assessor-scored openness criterion (open_data, open_budget, open_npa, open_dialogue,
    website). ``scores[indicator][column]``; ``peer_average[indicator][column]`` (as given, the
    engine caps it at the indicator's maximum)."""

    scores: dict[str, dict[str, Num]] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    not_assessed: frozenset[str] = frozenset()
    peer_average: dict[str, dict[str, Num]] = field(default_factory=dict)
    # open_dialogue only
    blog_posts: int = 0
    rated_answers: int = 0
    disliked_answers: int = 0


@dataclass(slots=True)
class Media:
    events_high_publicity: dict[str, int]
    events_total: int = 0
    requests_received: int = 0
    requests_answered: int = 0
    requests_answered_late: int = 0
    media_satisfied_percent: Num = ZERO
    population_satisfied_percent: Num = ZERO


@dataclass(slots=True)
class Openness:
    criteria: dict[str, Criterion]  # open_data, open_budget, open_npa, open_dialogue, website
    media: Media
    subordinate_penalties: dict[str, dict[str, bool]] = field(default_factory=dict)


@dataclass(slots=True)
class Complaints:
    handled: int
    handled_late: int
    court_upheld: int
    received: int
    redirected_late: int
    disciplinary_actions: int
    excused: int


@dataclass(slots=True)
class PenaltyFacts:
    unreliable_facts: int = 0
    incomplete_facts: int = 0


@dataclass(slots=True)
class Case:
    edition: str
    body: Body
    services: Services | None = None
    openness: Openness | None = None
    complaints: Complaints | None = None
    penalties: dict[str, PenaltyFacts] = field(default_factory=dict)
