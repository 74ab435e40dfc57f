"""Benchmark: a 1,000,000-row "Мониторинг" CSV and a 100,000-row XLSX imported end to end through
the service the page uses (upload → validate → apply), against a bare ``COPY`` of the same CSV
into a scratch table (the anchor). Prints rows/s, the ratio and the peak memory (RSS).

Needs PostgreSQL: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
bench_import``, created if missing; migrated on first use). Sizes: ``--rows`` and
``--xlsx-rows``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL",
                         "postgres://postgres@127.0.0.1:5432/bench_import")
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from assessments.models import (
        Cycle,
        ImportBatch,
        ImportRecord,
        Membership,
        Organisation,
        PublicService,
        User,
    )
    from assessments.services.imports.pipeline import import_apply, import_upload, import_validate

    # --- world: 200 bodies, 50 services, the Agency and its assessor ----------------------------
    agency, _ = Organisation.objects.get_or_create(
        bin="990240099997", defaults={"kind": "central", "name_ru": "Агентство (бенчмарк)",
                                      "name_kk": "Агенттік", "evaluator_role": "agency"})
    from assessments.demo import demo_bin

    bins = []
    serial = 50_000
    for i in range(200):
        bin_value = demo_bin(serial)
        serial = int(bin_value[6:11]) + 1
        Organisation.objects.get_or_create(bin=bin_value, defaults={
            "kind": "local", "name_ru": f"Орган {i}", "name_kk": f"Орган {i}",
            "is_evaluated": True})
        bins.append(bin_value)
    codes = [f"9{i:07d}" for i in range(50)]
    for code in codes:
        PublicService.objects.get_or_create(code=code, defaults={"name_ru": code,
                                                                 "name_kk": code})
    user, _ = User.objects.get_or_create(username="bench-assessor")
    Membership.objects.get_or_create(user=user, organisation=agency, role="assessor",
                                     direction="services")
    cycle, _ = Cycle.objects.get_or_create(code="bench", defaults={"year": 2025,
                                                                   "edition": "2023"})
    ImportRecord.objects.filter(cycle=cycle).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM assessments_importstagingrow")
        cursor.execute("DELETE FROM assessments_auditentry WHERE action LIKE 'import:%%'")
    ImportBatch.objects.filter(cycle=cycle).delete()

    # --- the CSV ---------------------------------------------------------------------------------
    from datetime import date, timedelta

    days = [(date(2025, 1, 1) + timedelta(days=d)).isoformat() for d in range(365)]
    path = Path(tempfile.mkdtemp(prefix="bench-")) / "monitoring.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("bin,service_code,date,rendered,late,unjustified_refusals,incomplete_package,"
                  "extra_documents\n")
        n = 0
        for b in bins:
            for code in codes:
                for day in days:
                    if n >= args.rows:
                        break
                    out.write(f"{b},{code},{day},{100 + n % 50},{n % 3},{n % 2},0,"
                              f"{n % 5 // 4}\n")
                    n += 1
    size_mb = path.stat().st_size / 1e6

    # --- anchor: bare COPY into a scratch table ---------------------------------------------------
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
    copy_seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_copy")
    copy_rate = args.rows / copy_seconds

    # --- the import, as the page does it -------------------------------------------------
    rss_before = _rss_mb()
    start = time.perf_counter()
    with open(path, "rb") as source:
        batch = import_upload(actor=user, cycle=cycle, kind="monitoring", upload=source,
                              original_name="monitoring.csv")
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.state == "uploaded":
        batch = import_validate(batch_id=batch.pk)
    t_validated = time.perf_counter()
    batch = import_apply(batch_id=batch.pk, actor=user)
    seconds = time.perf_counter() - start
    assert batch.rows_invalid == 0 and batch.rows_created == args.rows, (batch.rows_invalid,
                                                                         batch.rows_created)
    rate = args.rows / seconds
    print(f"csv: {args.rows} rows, {size_mb:.0f} MB; upload+validate "
          f"{t_validated - start:.1f} s, apply {seconds - (t_validated - start):.1f} s; "
          f"bare COPY {copy_seconds:.2f} s; peak RSS {_rss_mb():.0f} MB "
          f"(before import {rss_before:.0f} MB)")
    print(f"import_monitoring_csv: {rate:,.0f} rows/s; anchor bare_copy {copy_rate:,.0f} rows/s; "
          f"ratio {copy_rate / rate:.1f}")

    # --- the XLSX: a second file, overlapping the first on its rows (updates) -----------------
    from openpyxl import Workbook

    xlsx_path = path.with_suffix(".xlsx")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(["bin", "service_code", "date", "rendered", "late", "unjustified_refusals",
                  "incomplete_package", "extra_documents"])
    n = 0
    for b in bins:
        for code in codes:
            for day in days:
                if n >= args.xlsx_rows:
                    break
                sheet.append([b, code, day, 200 + n % 7, n % 4, 0, 1, 0])
                n += 1
    book.save(xlsx_path)
    start = time.perf_counter()
    with open(xlsx_path, "rb") as source:
        batch = import_upload(actor=user, cycle=cycle, kind="monitoring", upload=source,
                              original_name="monitoring.xlsx")
    batch = ImportBatch.objects.get(pk=batch.pk)
    if batch.state == "uploaded":
        batch = import_validate(batch_id=batch.pk)
    batch = import_apply(batch_id=batch.pk, actor=user)
    seconds = time.perf_counter() - start
    assert batch.rows_invalid == 0 and batch.rows_updated == min(args.xlsx_rows, args.rows)
    xlsx_rate = args.xlsx_rows / seconds
    # anchor: openpyxl's read-only mode reading the same sheet, values only
    from openpyxl import load_workbook

    start = time.perf_counter()
    for _row in load_workbook(xlsx_path, read_only=True).active.iter_rows(values_only=True):
        pass
    openpyxl_rate = args.xlsx_rows / (time.perf_counter() - start)
    print(f"import_monitoring_xlsx: {xlsx_rate:,.0f} rows/s; anchor openpyxl_read_only "
          f"{openpyxl_rate:,.0f} rows/s; ratio {openpyxl_rate / xlsx_rate:.2f}; "
          f"peak RSS {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
