#!/usr/bin/env python
"""Benchmark: the cycle's overview on the national data (≈2,700 bodies × 3 directions, two
cycles: ``manage.py generate_national_data``) on PostgreSQL.

* The overview and the rankings pages (the coordinator, who sees every row) through Django's test
  client, median of ``--repeat`` requests, against the login page through the same client in the
  same run (the anchor; goal: ≤ 10×); their query counts, which must not grow with the number of
  bodies (the tests pin them on a small world; here they are printed beside the figures).
* The full XLSX export of all scores per criterion (the background job's work, 4 sheets ×
  2,700 rows with every printed code), against openpyxl's write-only mode writing the same cells
  bare — the same values read beforehand into lists, no styles (goal: ≤ 3×); memory: the traced
  memory at the first and the last progress tick of the export, and its peak (flat: the rows are
  read in chunks and written as they come).

Needs PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
bench_overview``, created and migrated if missing; the national data generated there once —
about a minute — and reused while its parameters stay the same).

    .venv/bin/python benchmarks/overview.py [--repeat 15] [--bodies 2700]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _ensure_database(url: str) -> bool:
    import psycopg

    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return False
    return True


def _median_get(client, url: str, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for i in range(repeat + 1):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        if i:  # the first request warms the caches
            times.append(elapsed)
            queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--bodies", type=int, default=2700)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_overview")
    if not url.startswith("postgres") or not _ensure_database(url):
        print("overview: needs PostgreSQL (BENCH_DATABASE_URL=postgres://…); skipped")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.pop("REDIS_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("generate_national_data", bodies=args.bodies, monitoring_rows=1000,
                 verbosity=0)
    print(f"national data ready in {time.perf_counter() - start:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would leave them
        cursor.execute("ANALYZE")

    from assessments.models import Cycle, ScoreSheet, User
    from assessments.overview import exports

    cycle = Cycle.objects.get(is_current=True)
    coordinator = User.objects.get(username="coordinator")
    pairs = ScoreSheet.objects.filter(cycle=cycle, is_current=True).count()
    print(f"cycle {cycle.code}: {pairs} current score sheets")

    client = Client()
    login_s, login_q = _median_get(client, reverse("login"), args.repeat)
    client.force_login(coordinator)
    overview_url = reverse("overview:overview") + f"?cycle={cycle.code}"
    overview_s, overview_q = _median_get(client, overview_url, args.repeat)
    filtered_s, filtered_q = _median_get(
        client, overview_url + "&kind=local&overdue=on&sort=name", args.repeat)
    rankings_url = (reverse("overview:rankings")
                    + f"?cycle={cycle.code}&direction=overall&group=local")
    rankings_s, rankings_q = _median_get(client, rankings_url, args.repeat)
    ms = 1000
    print(f"login page (anchor): median {login_s * ms:.1f} ms, {login_q} queries")
    for name, seconds, queries in (("overview", overview_s, overview_q),
                                   ("overview filtered", filtered_s, filtered_q),
                                   ("rankings (local, overall)", rankings_s, rankings_q)):
        print(f"{name}: median {seconds * ms:.1f} ms, {queries} queries, "
              f"{seconds / login_s:.1f}× the login page")

    # --- the full XLSX export ---------------------------------------------------------------
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        tables = exports.scores_tables(coordinator, cycle)
        exports.write_xlsx(tables, Path(tmp) / "scores.xlsx", info=[("a", "b")])
        export_s = time.perf_counter() - start

        # Memory, in a second run under tracemalloc (which slows it: not timed): the traced
        # memory at each progress tick (every 1,000 rows) and the peak.
        ticks: list[int] = []

        def progress(n: int) -> None:
            ticks.append(tracemalloc.get_traced_memory()[0])

        tracemalloc.start()
        exports.write_xlsx(exports.scores_tables(coordinator, cycle), Path(tmp) / "again.xlsx",
                           info=[("a", "b")], progress=progress)
        _current, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = sum(t.count or 0 for t in tables)

        # The anchor: the same cells, read beforehand, written bare.
        from openpyxl import Workbook

        prepared = []
        for table in exports.scores_tables(coordinator, cycle):
            prepared.append((table.title, [str(h) for h in table.header],
                             [[float(v) if i in table.numeric and v is not None else v
                               for i, v in enumerate(row)] for row in table.rows]))
        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for title, header, body in prepared:
            ws = wb.create_sheet(exports.sheet_name(title, set()))
            ws.append(header)
            for row in body:
                ws.append(row)
        wb.save(Path(tmp) / "bare.xlsx")
        bare_s = time.perf_counter() - start
    mb = 1024 * 1024
    print(f"xlsx export of all scores: {rows} rows in {export_s:.2f} s; "
          f"traced memory at the first tick {ticks[0] / mb:.1f} MB, at the last "
          f"{ticks[-1] / mb:.1f} MB ({len(ticks)} ticks), peak {export_peak / mb:.1f} MB")
    print(f"overview: median {overview_s * ms:.1f} ms; anchor login page {login_s * ms:.1f} ms; "
          f"ratio {overview_s / login_s:.1f}; queries {overview_q}")
    print(f"rankings: median {rankings_s * ms:.1f} ms; anchor login page {login_s * ms:.1f} ms; "
          f"ratio {rankings_s / login_s:.1f}; queries {rankings_q}")
    print(f"overview xlsx export: {export_s:.2f} s; anchor openpyxl write-only bare "
          f"{bare_s:.2f} s; ratio {export_s / bare_s:.2f}; memory first/last tick "
          f"{ticks[0] / mb:.1f}/{ticks[-1] / mb:.1f} MB")
    ok = overview_s / login_s <= 10 and rankings_s / login_s <= 10 and export_s / bare_s <= 3
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
