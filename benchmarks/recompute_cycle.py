#!/usr/bin/env python
"""Benchmark: the cycle recompute (peer averages, then every body's score sheets) on PostgreSQL,
for a cycle of 270 and of 2,700 bodies, against the engine alone scoring the same cases
in-process (the anchor).

Each size gets its own cycle (``bench-270``, ``bench-2700``, replaced on every run) with one
generated valid case per body (``assessments.scoring.samples.random_case``, seeded; a body's kind
and special status are the case's). The recompute is the service the task runs
(``services.scores.cycle_recompute``, with its progress job); it is timed twice — the first run
does the work (the peer averages' new versions, every sheet), the second must change nothing —
and its queries are counted: the count must not grow with the number of bodies (the script
exits 1 if it does).

Needs PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
bench_scores``, created if missing, migrated on first use). Sizes: ``--sizes 270,2700``.

    .venv/bin/python benchmarks/recompute_cycle.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def make_cases(n: int, seed: int) -> list[dict]:
    """N valid cases; a case has at most one special status (a body has one in the registry)."""
    from assessments.scoring.samples import random_case

    rng = random.Random(seed)
    out: list[dict] = []
    while len(out) < n:
        case = random_case(rng, "central" if len(out) % 2 == 0 else "local")
        if len(case["body"].get("special") or []) <= 1:
            out.append(case)
    return out


def seed_cycle(code: str, cases: list[dict]):
    """A fresh cycle with one body per case and each body's case as its input version 1."""
    from assessments.kernel import clock
    from assessments.models import Cycle, Organisation, ScoreSheet, ScoringInput
    from assessments.scores.services.scoring_inputs import _plain
    from demo.seed import demo_bin

    old = Cycle.objects.filter(code=code).first()
    if old is not None:  # sheets protect their input versions: remove them first
        ScoreSheet.objects.filter(cycle=old)._raw_delete(using="default")
        ScoringInput.objects.filter(cycle=old)._raw_delete(using="default")
        old.delete()
    cycle = Cycle.objects.create(code=code, year=2025, edition="2023", title=f"Benchmark {code}")
    bins, serial = [], 70_000
    for _ in cases:
        value = demo_bin(serial)
        serial = int(value[6:11]) + 1
        bins.append(value)
    existing = {o.bin: o for o in Organisation.objects.filter(bin__in=bins)}
    missing = []
    for i, (value, case) in enumerate(zip(bins, cases, strict=True)):
        special = (case["body"].get("special") or [""])[0]
        kind = case["body"]["kind"]
        org = existing.get(value)
        if org is None:
            missing.append(Organisation(
                kind=kind, name_ru=f"Орган {i:05d}", name_kk=f"Орган {i:05d}", bin=value,
                is_evaluated=True, special=special,
                central_type="ministry" if kind == "central" else "",
                level="oblast" if kind == "local" else "",
            ))  # fmt: skip
        elif (org.kind, org.special) != (kind, special):
            org.kind, org.special = kind, special
            org.save(update_fields=["kind", "special"])
    Organisation.objects.bulk_create(missing, batch_size=1000)
    orgs = {o.bin: o for o in Organisation.objects.filter(bin__in=bins)}
    now = clock.now()
    ScoringInput.objects.bulk_create(
        [
            ScoringInput(cycle=cycle, body=orgs[value], version=1, case=_plain(case, ""),
                         sources={"": {"kind": "admin", "ref": "bench", "label": "benchmark"}},
                         reason="benchmark", created_at=now)  # fmt: skip
            for value, case in zip(bins, cases, strict=True)
        ],
        batch_size=1000,
    )
    return cycle


def run_recompute(cycle) -> tuple[float, int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.kernel.jobs import job_create
    from assessments.scores.services.sheets import RECOMPUTE_KIND, cycle_recompute

    job = job_create(kind=RECOMPUTE_KIND, label=f"bench {cycle.code}", subject=cycle)
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        summary = cycle_recompute(cycle=cycle, job_id=job.pk)
        elapsed = time.perf_counter() - t0
    return elapsed, len(ctx.captured_queries), summary


def engine_only(cases: list[dict]) -> float:
    from assessments.scoring import score_case_dict

    t0 = time.perf_counter()
    for case in cases:
        score_case_dict(case)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="270,2700")
    parser.add_argument("--seed", type=int, default=20230131)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_scores")
    if not url.startswith("postgres"):
        print("recompute_cycle: needs PostgreSQL (BENCH_DATABASE_URL=postgres://…); skipped")
        return 0
    try:
        _ensure_database(url)
    except Exception as exc:  # no server: say so, as the other PostgreSQL benchmarks do
        print(f"recompute_cycle: PostgreSQL not reachable at {url} ({exc}); skipped")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Warm the content-type cache (audit entries, jobs): the counts compare steady states.
    from django.contrib.contenttypes.models import ContentType

    from assessments.models import BackgroundJob, Cycle, ScoringInput

    ContentType.objects.get_for_models(ScoringInput, Cycle, BackgroundJob)

    results = {}
    for n in sizes:
        cases = make_cases(n, args.seed)
        cycle = seed_cycle(f"bench-{n}", cases)
        first, q1, summary = run_recompute(cycle)
        second, q2, again = run_recompute(cycle)
        # The anchor: the engine alone on the cases as stored after the run (averages written).
        from assessments.scores.services.scoring_inputs import scoring_inputs_current

        stored = [si.case for si in scoring_inputs_current(cycle=cycle)]
        anchor = min(engine_only(stored) for _ in range(3))
        results[n] = (first, q1, anchor)
        print(f"{n} bodies: recompute {first:.3f} s, {q1} queries "
              f"({summary['sheets_created']} sheets, {summary['peer_average_versions']} "
              f"peer-average versions, {len(summary['failed'])} failed); "
              f"again (no change) {second:.3f} s, {q2} queries, {again['sheets_created']} sheets; "
              f"engine only {anchor:.3f} s; ratio {first / anchor:.2f}")  # fmt: skip
        if again["sheets_created"] or again["peer_average_versions"]:
            print("the second run changed something: the recompute is not idempotent")
            return 1
    counts = {n: q for n, (_t, q, _a) in results.items()}
    if len(set(counts.values())) != 1:
        print(f"query count grows with the body count: {counts}")
        return 1
    n = max(sizes)
    first, q, anchor = results[n]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"recompute_cycle: {first:.2f} s for {n} bodies ({q} queries); "
          f"anchor engine_only {anchor:.2f} s; ratio {first / anchor:.2f}; "
          f"load average {load}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
