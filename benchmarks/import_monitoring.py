#!/usr/bin/env python
"""Benchmark: a 1,000,000-row "Мониторинг" CSV and a 100,000-row XLSX imported end to end through
the services the page and its tasks use — upload (stored, hashed) → validate (streamed, rows
staged, errors listed) → preview (the batch the page shows) → apply (atomic) — on PostgreSQL,
against a bare ``COPY`` of the same CSV into a scratch table measured in the same run (the
anchor; best of three). The XLSX's anchor is openpyxl's read-only mode merely reading the sheet.

Each import runs in its own process, so its peak memory (``ru_maxrss``) is its own: printed as
the peak and as the growth over the process after Django's setup. A CSV a tenth the size is
imported too, so the two peaks show whether memory grows with the file. The assembly the import
queues afterwards (a background task: the scoring input of every body touched) is timed apart and
not counted in the import's rate.

Needs PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
bench_imports``; created if missing, migrated; a scratch database whose import tables the script
empties on every run). Sizes: ``--rows`` (CSV), ``--xlsx-rows``; ``--profile DIR`` writes a
cProfile of each import.

    .venv/bin/python benchmarks/import_monitoring.py [--rows 1000000] [--xlsx-rows 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_imports"
HEADER = ["bin", "service_code", "date", "rendered", "late", "unjustified_refusals",
          "incomplete_package", "extra_documents"]
BODIES, SERVICES = 200, 50


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup(url: str, media: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["MEDIA_ROOT"] = media
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _world():
    """200 bodies, 50 services, the Agency and its assessor, cycles ``bench`` and
    ``bench-small``; the import tables emptied (scratch database)."""
    from django.db import connection

    from assessments.models import Cycle, Membership, Organisation, PublicService, User
    from demo.seed import demo_bin

    agency, _ = Organisation.objects.get_or_create(
        bin="990240099997", defaults={"kind": "central", "name_ru": "Агентство (бенчмарк)",
                                      "name_kk": "Агенттік", "evaluator_role": "agency"})
    bins = []
    serial = 50_000
    for i in range(BODIES):
        bin_value = demo_bin(serial)
        serial = int(bin_value[6:11]) + 1
        Organisation.objects.get_or_create(bin=bin_value, defaults={
            "kind": "local", "name_ru": f"Орган {i}", "name_kk": f"Орган {i}",
            "is_evaluated": True})
        bins.append(bin_value)
    codes = [f"9{i:07d}" for i in range(SERVICES)]
    for code in codes:
        PublicService.objects.get_or_create(code=code, defaults={"name_ru": code,
                                                                 "name_kk": code})
    user, _ = User.objects.get_or_create(username="bench-assessor")
    Membership.objects.get_or_create(user=user, organisation=agency, role="assessor",
                                     direction="services")
    for code in ("bench", "bench-small"):
        Cycle.objects.get_or_create(code=code, defaults={"year": 2025, "edition": "2023"})
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assessments_auditentry WHERE action LIKE 'import:%%'")
        cursor.execute("TRUNCATE assessments_importrecord, assessments_importstagingrow, "
                       "assessments_importbatch")
    return bins, codes


def _monitoring_rows(bins, codes, n: int, *, xlsx: bool = False):
    from datetime import date, timedelta

    days = [(date(2025, 1, 1) + timedelta(days=d)).isoformat() for d in range(365)]
    i = 0
    for b in bins:
        for code in codes:
            for day in days:
                if i >= n:
                    return
                if xlsx:
                    yield [b, code, day, 200 + i % 7, i % 4, 0, 1, 0]
                else:
                    yield f"{b},{code},{day},{100 + i % 50},{i % 3},{i % 2},0,{i % 5 // 4}\n"
                i += 1


def write_csv(path: Path, bins, codes, n: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        out.writelines(_monitoring_rows(bins, codes, n))


def write_xlsx(path: Path, bins, codes, n: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(HEADER)
    for row in _monitoring_rows(bins, codes, n, xlsx=True):
        sheet.append(row)
    book.save(path)


def bare_copy(path: Path) -> float:
    """Seconds for ``COPY … FROM STDIN (FORMAT csv)`` of the file into a scratch table."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute("CREATE UNLOGGED TABLE bench_copy (bin text, service_code text, day date, "
                       "rendered int, late int, refusals int, incomplete int, extra int)")
    start = time.perf_counter()
    sql = "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
    with transaction.atomic(), connection.cursor() as cursor, open(path, "rb") as source:
        with cursor.cursor.copy(sql) as cp:
            while chunk := source.read(1 << 20):
                cp.write(chunk)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy")
    return seconds


# --- one import, in its own process ---------------------------------------------------------


def child_import(path: str, cycle_code: str, profile: str | None) -> dict:
    """Upload → validate → preview → apply of one file; times, counts and memory as a dict."""
    from assessments.models import Cycle, ImportBatch, User
    from assessments.submission.imports import pipeline

    user = User.objects.get(username="bench-assessor")
    cycle = Cycle.objects.get(code=cycle_code)
    queued: list[int] = []
    # The tasks the services queue on commit are run here, one after the other, so each phase
    # is timed on its own (the validation task's body is the service called below).
    pipeline._queue_validate = lambda batch_id: None
    pipeline._queue_assembly = queued.append
    rss_base = _rss_now_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    t0 = time.perf_counter()
    with open(path, "rb") as source:
        batch = pipeline.import_upload(actor=user, cycle=cycle, kind="monitoring", upload=source,
                                       original_name=Path(path).name)
    t1 = time.perf_counter()
    batch = pipeline.import_validate(batch_id=batch.pk)
    t2 = time.perf_counter()
    preview = ImportBatch.objects.get(pk=batch.pk)  # what the page reads: counts, first errors
    assert preview.state == "validated" and preview.rows_invalid == 0, (preview.state,
                                                                        preview.errors[:3])
    t3 = time.perf_counter()
    batch = pipeline.import_apply(batch_id=batch.pk, actor=user)
    t4 = time.perf_counter()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    peak = _peak_rss_mb()
    from assessments.scores.tasks import assemble_after_import

    start = time.perf_counter()
    bodies = sum(assemble_after_import(batch_id) for batch_id in queued)
    assembly = time.perf_counter() - start
    return {"rows": preview.rows_total, "created": batch.rows_created,
            "updated": batch.rows_updated, "upload": t1 - t0, "validate": t2 - t1,
            "preview": t3 - t2, "apply": t4 - t3, "total": t4 - t0, "peak_mb": peak,
            "base_mb": rss_base, "assembly": assembly, "bodies": bodies}


def child_openpyxl(path: str) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True)
    rows = sum(1 for _row in book.active.iter_rows(values_only=True)) - 1
    book.close()
    return {"rows": rows, "seconds": time.perf_counter() - start}


def _run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", *args], cwd=ROOT,
                            capture_output=True, text=True, env=os.environ.copy())
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"import_monitoring: the child {args[0]} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _describe(label: str, r: dict) -> str:
    return (f"{label}: {r['rows']:,} rows in {r['total']:.1f} s = {r['rows'] / r['total']:,.0f} "
            f"rows/s (upload {r['upload']:.1f} s, validate {r['validate']:.1f} s, preview "
            f"{r['preview'] * 1000:.0f} ms, apply {r['apply']:.1f} s; {r['created']:,} added, "
            f"{r['updated']:,} updated); peak RSS {r['peak_mb']:.0f} MB, "
            f"{r['peak_mb'] - r['base_mb']:.0f} MB over the process after setup; then the "
            f"assembly task for {r['bodies']} bodies {r['assembly']:.1f} s (not counted)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="CSV rows")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="XLSX rows")
    parser.add_argument("--profile", help="directory for a cProfile of each import")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if args.child:
        _setup(url, os.environ["MEDIA_ROOT"])
        kind, *rest = args.child
        if kind == "openpyxl":
            print(json.dumps(child_openpyxl(rest[0])))
        else:
            path, cycle_code, *profile = rest
            print(json.dumps(child_import(path, cycle_code, profile[0] if profile else None)))
        return 0
    if not ensure_database(url, "import_monitoring"):
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    _setup(url, str(work / "media"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bins, codes = _world()
    small_rows = max(1, args.rows // 10)
    csv_path, small_path, xlsx_path = (work / "monitoring.csv", work / "monitoring-small.csv",
                                       work / "monitoring.xlsx")
    write_csv(csv_path, bins, codes, args.rows)
    write_csv(small_path, bins, codes, small_rows)
    write_xlsx(xlsx_path, bins, codes, args.xlsx_rows)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at the start; CSV "
          f"{csv_path.stat().st_size / 1e6:.0f} MB, XLSX {xlsx_path.stat().st_size / 1e6:.0f} MB")

    def profile_for(name: str) -> list[str]:
        return [str(Path(args.profile) / f"{name}.prof")] if args.profile else []

    small = _run_child("import", str(small_path), "bench-small", *profile_for("csv-small"))
    print(_describe("csv (a tenth)", small))
    # The anchor right before and right after the import (best of three each), their mean
    # compared with it: the machine is shared, its load changes within a minute.
    copy_before = min(bare_copy(csv_path) for _ in range(3))
    full = _run_child("import", str(csv_path), "bench", *profile_for("csv"))
    copy_after = min(bare_copy(csv_path) for _ in range(3))
    copy_seconds = (copy_before + copy_after) / 2
    copy_rate = args.rows / copy_seconds
    print(f"bare COPY: {args.rows:,} rows in {copy_before:.2f} s before the import, "
          f"{copy_after:.2f} s after; load average {os.getloadavg()[0]:.1f} after")
    print(_describe("csv", full))
    assert full["rows"] == args.rows and full["created"] == args.rows, full
    xlsx = _run_child("import", str(xlsx_path), "bench", *profile_for("xlsx"))
    print(_describe("xlsx (overlapping the csv: updates)", xlsx))
    assert xlsx["rows"] == args.xlsx_rows and xlsx["updated"] == min(args.rows, args.xlsx_rows)
    reader = _run_child("openpyxl", str(xlsx_path))
    openpyxl_rate = reader["rows"] / reader["seconds"]

    # the CSV end to end: upload → validate → apply and the assembly the apply triggers
    end_to_end = full["total"] + full["assembly"]
    rate = args.rows / end_to_end
    xlsx_rate = args.xlsx_rows / xlsx["total"]
    print(f"import_monitoring_csv: {rate:,.0f} rows/s ({end_to_end:.1f} s with the assembly); "
          f"anchor bare_copy {copy_rate:,.0f} rows/s ({copy_seconds:.2f} s); ratio "
          f"{copy_rate / rate:.1f} (goal ≤ 15); peak RSS {full['peak_mb']:.0f} MB at "
          f"{args.rows:,} rows, {small['peak_mb']:.0f} MB at {small_rows:,}; load average "
          f"{load:.1f}–{os.getloadavg()[0]:.1f}")
    print(f"import_monitoring_xlsx: {xlsx_rate:,.0f} rows/s; anchor openpyxl_read_only "
          f"{openpyxl_rate:,.0f} rows/s; ratio {xlsx_rate / openpyxl_rate:.2f}× openpyxl "
          f"(goal ≥ 3); peak RSS {xlsx['peak_mb']:.0f} MB")
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
