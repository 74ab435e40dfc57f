"""Demo scoring inputs and scores: a plausible case for every evaluated demo body in the current
cycle, then the cycle recompute (peer averages, every body's scores), so ``make run`` shows
scores, their explanations and the what-if page.

Idempotent: a body that already has a scoring input in the cycle (from an earlier run, or from
the reports and imports of the submission part) keeps it; the recompute changes nothing when
nothing changed. The numbers are drawn from a generator seeded by the body's BIN, so every run
and every machine shows the same scores. Each direction is stored with the source it would have
in a real cycle: services and complaints from the information systems' imports, openness from
the assessor (MIOD), the re-verification penalties from the act (annex 1).
"""

from __future__ import annotations

import random
from decimal import Decimal

from assessments.scoring import load_edition

COLUMNS = ("kk", "ru")


def _d(value: float, places: int = 2) -> str:
    q = Decimal(str(round(value, places)))
    return format(q.normalize(), "f") if q != q.to_integral() else str(int(q))


def _score(rng: random.Random, maximum: str, quality: float) -> str:
    """An assessor's score for an indicator: most bodies near the maximum, some below."""
    mx = Decimal(maximum)
    if rng.random() < quality:
        return maximum
    steps = int(mx * 10)
    return _d(float(Decimal(rng.randint(steps // 3, steps)) / 10), 1)


def demo_case(kind: str, special: str, seed: str) -> dict:
    """A plausible SCORING_IO.md case for a body of ``kind`` (and its special status)."""
    rng = random.Random(seed)
    quality = rng.uniform(0.45, 0.9)  # how good this body is, overall
    ed = load_edition("2023")
    specials = [special] if special in ed.specials and kind == "central" else []
    rendered = rng.randint(20_000, 2_500_000)

    def per10k(rate: float) -> int:
        return int(rendered * rate / 10_000)

    services: dict = {
        "satisfaction_levels": [_d(rng.uniform(4.1, 4.98)) for _ in range(rng.randint(2, 6))],
        "rendered": rendered,
        "justified_complaints": per10k(rng.uniform(0, 3)),
        "late": per10k(rng.uniform(0, 6) * (1.2 - quality)),
        "unjustified_refusals": per10k(rng.uniform(0, 4) * (1.2 - quality)),
        "incomplete_package": per10k(rng.uniform(0, 2)),
        "extra_documents": per10k(rng.uniform(0, 2)),
    }
    if kind == "central":
        kinds = rng.randint(8, 160)
        full = int(kinds * rng.uniform(0.3, 0.8))
        partial = int((kinds - full) * rng.uniform(0.1, 0.6))
        total = rng.randint(50_000, 3_000_000)
        automated = int(total * rng.uniform(0.5, 0.95))
        services["automation"] = {
            "kinds_total": kinds,
            "partially_automated": partial,
            "fully_automated": full,
            "electronic_volume": int(total * rng.uniform(0.6, 0.97)),
            "total_volume": total,
            "automated_paper_volume": int(automated * rng.uniform(0.01, 0.2)),
            "automated_total_volume": automated,
            "mobile_available": int((partial + full) * rng.uniform(0.3, 0.9)),
            "unavailability_hours": _d(rng.choice((0, 0, 1.5, 3, 7.5, 12)), 1),
            "proactive_services": rng.randint(0, 4),
            "digital_documents": rng.randint(0, 2),
        }

    openness: dict = {}
    for name, table in ed.criteria[kind].items():
        block: dict = {"scores": {}}
        for ind, mx in table.indicators:
            if ind in table.computed:
                continue
            block["scores"][ind] = {c: _score(rng, mx.text, quality) for c in COLUMNS}
        needs: set[str] = set()
        for s in specials:
            if s in table.special_peer:
                needs |= set(table.special_peer[s][0])
        if table.flags and rng.random() < 0.3:
            block["flags"] = [rng.choice(sorted(table.flags))]
        if needs:
            # Written by the cycle's recompute (services.peer_averages); zeros until then.
            block["peer_average"] = {ind: {"kk": "0", "ru": "0"} for ind in sorted(needs)}
        if name == "open_dialogue":
            rated = rng.randint(50, 3000)
            block["blog_posts"] = rng.choice((8, 18, 30, 52, 70))
            block["rated_answers"] = rated
            block["disliked_answers"] = int(rated * rng.uniform(0, 0.14))
        openness[name] = block
    events = rng.randint(8, 40)
    received = rng.randint(5, 300)
    answered = int(received * rng.uniform(0.85, 1))
    openness["media"] = {
        "events_high_publicity": {c: rng.randint(0, events) for c in COLUMNS},
        "events_total": events,
        "requests_received": received,
        "requests_answered": answered,
        "requests_answered_late": int(answered * rng.uniform(0, 0.1)),
        "media_satisfied_percent": _d(rng.uniform(55, 98), 1),
        "population_satisfied_percent": _d(rng.uniform(40, 92), 1),
    }
    if kind == "central" and rng.random() < 0.4:
        openness["subordinates"] = {
            "penalties": {"no_blog": {"kk": True, "ru": False}}
            if rng.random() < 0.5
            else {"datasets_not_updated": {"kk": True, "ru": True}}
        }

    handled = rng.randint(2_000, 120_000)
    handled_late = int(handled * rng.uniform(0, 0.02) * (1.2 - quality))
    received_c = int(handled * rng.uniform(1.0, 1.3))
    redirected_late = int(received_c * rng.uniform(0, 0.01))
    complaints = {
        "handled": handled,
        "handled_late": handled_late,
        "court_upheld": rng.randint(0, 6),
        "received": received_c,
        "redirected_late": redirected_late,
        "disciplinary_actions": int((handled_late + redirected_late) * rng.uniform(0.4, 1)),
        "excused": min(handled_late + redirected_late, rng.randint(0, 2)),
    }
    penalties = {}
    if rng.random() < 0.35:
        penalties[rng.choice(("services", "openness", "complaints"))] = {
            "unreliable_facts": rng.randint(1, 6),
            "incomplete_facts": rng.choice((0, 0, 1)),
        }
    case = {
        "edition": "2023",
        "body": {"kind": kind, "special": specials},
        "services": services,
        "openness": openness,
        "complaints": complaints,
    }
    if penalties:
        case["penalties"] = penalties
    return case


SOURCES = {
    "services": {"kind": "import", "ref": "monitoring",
                 "label": "ИС «Мониторинг», результаты общественного мониторинга (демо)"},
    "openness": {"kind": "assessor", "ref": "miod-assessor",
                 "label": "Оценка эксперта МИОР по приложению 10 (демо)"},
    "complaints": {"kind": "import", "ref": "euol",
                   "label": "ИС «Единый учёт обращений лиц», форма 1-ОЛ (демо)"},
    "penalties": {"kind": "finding", "ref": "act-demo",
                  "label": "Акт сверки по итогам перепроверки (прил. 1, демо)"},
}  # fmt: skip


def seed_scores() -> None:
    """Every evaluated demo body gets a case in the current cycle (once); then the recompute."""
    from assessments.kernel.jobs import job_create
    from assessments.models import BackgroundJob, Cycle, Organisation, ScoringInput
    from assessments.scores.services.scoring_inputs import (
        ScoringInputUpdate,
        scoring_inputs_set_many,
    )
    from assessments.scores.services.sheets import RECOMPUTE_KIND, cycle_recompute

    cycle = Cycle.objects.filter(is_current=True).first()
    if cycle is None:
        return
    have = set(ScoringInput.objects.filter(cycle=cycle).values_list("body_id", flat=True))
    bodies = Organisation.objects.filter(
        is_evaluated=True, kind__in=["central", "local"]
    ).exclude(pk__in=have).order_by("pk")
    updates = []
    for body in bodies:
        case = demo_case(body.kind, body.special, body.bin)
        values = {key: case[key] for key in ("services", "openness", "complaints", "penalties")
                  if key in case}  # fmt: skip
        updates.append(
            ScoringInputUpdate(body=body, values=values,
                               sources={key: SOURCES[key] for key in values})
        )  # fmt: skip
    if updates:
        scoring_inputs_set_many(
            cycle=cycle, updates=updates, actor=None, reason="Демонстрационные данные",
            schedule_recompute=False,
        )  # fmt: skip
    # The recompute, recorded as a job like the coordinator's button, when an input changed
    # since the last one (so a second run of the demo adds nothing).
    last = (
        BackgroundJob.objects.filter(kind=RECOMPUTE_KIND, object_id=cycle.pk,
                                     state=BackgroundJob.State.DONE)
        .order_by("-finished_at").values_list("finished_at", flat=True).first()
    )  # fmt: skip
    if last is None or ScoringInput.objects.filter(cycle=cycle, created_at__gt=last).exists():
        job = job_create(kind=RECOMPUTE_KIND, label=f"Пересчёт оценок цикла «{cycle}» (демо)",
                         subject=cycle)  # fmt: skip
        cycle_recompute(cycle=cycle, job_id=job.pk)
