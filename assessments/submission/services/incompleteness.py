"""Incompleteness facts (p.18): the elements of a report's structure missing from the version of
the report that stands — recorded when the body submits with them missing (after confirming) or
when the report is closed as not submitted (all of them).

    facts_record(*, report, sections, actor, origin)        (by the report's transitions)
    counted_facts(*, cycle, body, direction=None) -> list[IncompletenessFact]
    incomplete_counts(*, cycle, body) -> {direction: int}

Only the facts of each report's current version count (a late report replaces the closure, a
resubmission after a return replaces the earlier submission: their facts are kept, not counted).
The same element of the same version is recorded once (a unique constraint). The deduction
itself — 2 points a fact, with the re-verification's facts, at most 5 a direction — is the
engine's (``penalties.<direction>`` of the scoring input, assembled in
``assessments/scores/services/assembly.py``).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F
from django.utils.translation import gettext as _

from assessments.kernel import clock
from assessments.kernel.notifications import notify
from assessments.models import Cycle, IncompletenessFact, Organisation, Report
from assessments.submission.report_schema import Section, penalty_direction

PENALTY_DIRECTIONS = ("services", "openness", "complaints")


def facts_record(*, report: Report, sections: list[Section], actor, origin: str) -> list:
    """Record one fact per missing element of the report's current version and tell the body
    and the assessors (inside the transition's transaction)."""
    from assessments.submission.services.reports import (
        _link,
        body_staff,
        report_assessors,
        schedule_assembly,
    )

    if not sections:
        return []
    now = clock.now()
    direction = penalty_direction(report.direction)
    made = []
    for section in sections:
        fact, created = IncompletenessFact.objects.get_or_create(
            report=report, report_version=report.version, element=section.key,
            defaults={"direction": direction, "title": str(section.title)[:255],
                      "origin": origin, "recorded_at": now,
                      "recorded_by": actor if getattr(actor, "pk", None) else None},
        )
        if created:
            made.append(fact)
    if made:
        notify(body_staff(report.body) + report_assessors(report),
               _("По отчёту «%(r)s» зафиксированы факты неполной информации (п.18, 2 балла за "
                 "каждый, не более 5 баллов по направлению вместе с фактами перепроверки): "
                 "%(items)s.") % {"r": report, "items": "; ".join(f.title for f in made)},
               _link(report))
        schedule_assembly(report.cycle_id, report.body_id)
    return made


def counted_facts(*, cycle: Cycle, body: Organisation,
                  direction: str | None = None) -> list[IncompletenessFact]:
    """The facts that count: those of each report's current version, by direction of the
    deduction (automation's with services)."""
    qs = IncompletenessFact.objects.filter(
        report__cycle=cycle, report__body=body, report_version=F("report__version"),
    ).select_related("report").order_by("report__direction", "pk")
    if direction is not None:
        qs = qs.filter(direction=direction)
    return list(qs)


def incomplete_counts(*, cycle: Cycle, body: Organisation) -> dict[str, list]:
    """``{direction: [fact, …]}`` for the three directions with a deduction."""
    result: dict[str, list] = defaultdict(list)
    for fact in counted_facts(cycle=cycle, body=body):
        result[fact.direction].append(fact)
    return {d: result.get(d, []) for d in PENALTY_DIRECTIONS}


def report_facts(report: Report) -> list[IncompletenessFact]:
    """The facts of the report's current version (its page shows them)."""
    return list(IncompletenessFact.objects.filter(report=report,
                                                  report_version=report.version)
                .order_by("pk"))
