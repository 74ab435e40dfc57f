"""Imports at scale: the streamed readers (the XLSX one reads what openpyxl reads), rows that never
pile up in memory, the PostgreSQL path (COPY, one delete and one insert) giving what the portable
path gives, re-imports and overlaps."""

import inspect
import io
from datetime import date, datetime

import pytest

from assessments.kernel.errors import DomainError
from assessments.models import ImportBatch, ImportRecord, ImportStagingRow
from assessments.submission.imports import pipeline, staging
from assessments.submission.imports.readers import CsvSource, DenseXlsxSource, XlsxSource
from tests.worlds.samples import MONITORING_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


# --- the readers ------------------------------------------------------------------------------


def _openpyxl_rows(path) -> dict[int, list[str]]:
    """openpyxl's reading of the first sheet, as the text our reader gives: numbers as written
    (whole ones without ".0"), dates ISO, booleans 1/0, empty rows left out."""
    from openpyxl import load_workbook

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, datetime):
            if value.time() == datetime.min.time():
                return value.date().isoformat()
            return value.isoformat(" ", "seconds")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    book = load_workbook(path, read_only=True)
    out = {}
    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [text(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out[number] = cells
    book.close()
    return out


def _ours(path, reader=XlsxSource) -> dict[int, list[str]]:
    out = {}
    for number, cells in reader(str(path)).rows():
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out[number] = cells
    return out


READERS = pytest.mark.parametrize("reader", [XlsxSource, DenseXlsxSource],
                                  ids=["streaming", "calamine"])


@READERS
def test_xlsx_reader_reads_what_openpyxl_reads(tmp_path, reader):
    """Shared strings (a normal workbook), dates with and without a time, whole and fractional
    numbers, booleans, empty cells inside and at the end of rows, an empty row, a second sheet
    (ignored); the same from both readers (the streaming one, and the Rust one for small
    sheets)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(MONITORING_HEADER)
    sheet.append(["990240010008", "00101001", date(2025, 3, 14), 120, 1, 0, 0, 0])
    sheet.append(["990240010008", "00101001", datetime(2025, 3, 15, 9, 30), 12.5, None, 0, 3.0])
    sheet.append(["Қазақстан Ә Ғ", None, "2025-03-16", 0.1 + 0.2, True, False])
    sheet.append([])
    sheet.append([None, None, None, 7])
    sheet.cell(row=9, column=2, value="after a gap")
    book.create_sheet("other").append(["not", "read"])
    path = tmp_path / "shared.xlsx"
    book.save(path)
    expected = _openpyxl_rows(path)
    assert _ours(path, reader) == expected
    assert expected[2][2] == "2025-03-14" and expected[3][2] == "2025-03-15 09:30:00"
    assert expected[9] == ["", "after a gap"]


@READERS
def test_xlsx_reader_inline_strings_like_openpyxl(tmp_path, reader):
    """Inline strings and numbers, as openpyxl's write-only mode and many exporters write them;
    a sheet whose cells start at C3."""
    path = tmp_path / "inline.xlsx"
    path.write_bytes(xlsx_bytes([MONITORING_HEADER,
                                 ["990240010008", "00101001", "2025-03-14", 120, 1, 0, 0, 0],
                                 ["x", None, "", 2.25, -3]]))
    assert b"inlineStr" in _sheet_xml(path)
    assert _ours(path, reader) == _openpyxl_rows(path)
    offset = tmp_path / "offset.xlsx"
    offset.write_bytes(xlsx_bytes([[], [], [None, None, "a", 1], [None, None, None, 2.5]]))
    assert _ours(offset, reader) == _openpyxl_rows(offset) == {3: ["", "", "a", "1"],
                                                               4: ["", "", "", "2.5"]}


def _sheet_xml(path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_readers_are_generators_that_stream(tmp_path):
    """Rows come one by one while the file is read: after the first rows only part of a large
    file has been read, so no list of all rows is ever built."""
    rows = [MONITORING_HEADER] + [["990240010008", "00101001", "2025-03-14", i, 0, 0, 0, 0]
                                  for i in range(30_000)]
    csv_path, xlsx_path = tmp_path / "big.csv", tmp_path / "big.xlsx"
    csv_path.write_bytes(csv_bytes(rows))
    xlsx_path.write_bytes(xlsx_bytes(rows))
    for source in (CsvSource(str(csv_path)), XlsxSource(str(xlsx_path))):
        stream = source.rows()
        assert inspect.isgenerator(stream)
        assert next(stream)[1] == MONITORING_HEADER
        assert next(stream) == (2, ["990240010008", "00101001", "2025-03-14", "0", "0", "0",
                                    "0", "0"])
        assert 0 < source.fraction < 0.5
        assert sum(1 for _ in stream) == 29_999
        assert source.fraction == 1.0


def test_validation_stages_in_bounded_blocks(clock, assigned, cycle, services_register,
                                             monkeypatch, django_capture_on_commit_callbacks):
    """The validated rows go to the staging table block by block (never more than a block held),
    with the progress written between blocks."""
    mf = assigned.registry.ministry.bin
    rows = [MONITORING_HEADER] + [[mf, "00101001", f"2025-{1 + i // 28 % 12:02d}-"
                                   f"{1 + i % 28:02d}", 10 + i, 0, 0, 0, 0] for i in range(1200)]
    held = []
    flush = pipeline._Stager._flush

    def spy(self):
        held.append(len(self.buffer))
        flush(self)

    monkeypatch.setattr(pipeline._Stager, "BLOCK", 100)
    monkeypatch.setattr(pipeline._Stager, "_flush", spy)
    monkeypatch.setattr(pipeline, "PROGRESS_EVERY", 500)
    progress = []
    monkeypatch.setattr(pipeline, "_progress", lambda *args: progress.append(args[2]))
    batch = _upload(assigned.assessor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    # 1200 rows; but 12 months × 28 days repeat, so 336 keys (later lines win when applied)
    assert (batch.rows_valid, batch.rows_invalid) == (1200, 0)
    assert max(held) <= 100 and sum(held) == 1200
    assert len(progress) == 2 and all(0 < f <= 1 for f in progress)
    assert ImportStagingRow.objects.filter(batch_id=batch.pk).count() == 1200
    batch = pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert (batch.rows_created, batch.rows_updated) == (336, 0)
    last = ImportRecord.objects.get(row_key=f"{mf}|00101001|2025-01-01")
    assert last.data["rendered"] == 10 + 1008  # line 1010, the last with that key
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()


# --- the two apply paths ----------------------------------------------------------------------


def _upload(actor, cycle, content, capture, name="file.csv"):
    with capture(execute=True):
        batch = pipeline.import_upload(actor=actor, cycle=cycle, kind="monitoring",
                                       upload=io.BytesIO(content), original_name=name)
    return ImportBatch.objects.get(pk=batch.pk)


def _scenario(assigned, cycle, capture):
    """Three files: a first one; a second overlapping it (one row changed, one the same, one
    new, one key twice — the later line wins); the first again (refused: same content)."""
    r = assigned.registry
    mf, akimat = r.ministry.bin, r.akimat.bin
    first = [MONITORING_HEADER,
             [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
             [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0],
             [akimat, "00201002", "2025-03-15", 40, 0, 1, 0, 0]]
    second = [MONITORING_HEADER,
              [mf, "00101001", "2025-03-14", 100, 3, 0, 1, 0],  # changed
              [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0],  # the same
              [akimat, "00101001", "2025-03-16", 50, 1, 0, 0, 0],  # new
              [akimat, "00101001", "2025-03-17", 10, 0, 0, 0, 0],  # new, then again:
              [akimat, "00101001", "2025-03-17", 20, 0, 0, 0, 0]]  # the later line wins
    batches = []
    for content in (first, second):
        batch = _upload(assigned.assessor, cycle, xlsx_bytes(content) if content is second
                        else csv_bytes(content), capture,
                        name="f.xlsx" if content is second else "f.csv")
        batch = pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor)
        batches.append(batch)
    with pytest.raises(DomainError) as refused:
        _upload(assigned.assessor, cycle, csv_bytes(first), capture)
    assert refused.value.code == "duplicate"
    order = {b.pk: i for i, b in enumerate(batches)}
    records = sorted(
        (rec.row_key, rec.body.bin, rec.service.code, rec.day, rec.data, order[rec.batch_id])
        for rec in ImportRecord.objects.filter(cycle=cycle).select_related("body", "service"))
    return [(b.rows_created, b.rows_updated) for b in batches], records, (mf, akimat)


def _expected(mf, akimat):
    counts = [(3, 0), (2, 1)]
    row = dict.fromkeys(("late", "unjustified_refusals", "incomplete_package",
                         "extra_documents"), 0)
    records = sorted([
        (f"{mf}|00101001|2025-03-14", mf, "00101001", date(2025, 3, 14),
         {**row, "rendered": 100, "late": 3, "incomplete_package": 1}, 1),
        (f"{mf}|00101001|2025-03-15", mf, "00101001", date(2025, 3, 15),
         {**row, "rendered": 100}, 0),  # unchanged: still the first file's
        (f"{akimat}|00201002|2025-03-15", akimat, "00201002", date(2025, 3, 15),
         {**row, "rendered": 40, "unjustified_refusals": 1}, 0),
        (f"{akimat}|00101001|2025-03-16", akimat, "00101001", date(2025, 3, 16),
         {**row, "rendered": 50, "late": 1}, 1),
        (f"{akimat}|00101001|2025-03-17", akimat, "00101001", date(2025, 3, 17),
         {**row, "rendered": 20}, 1),
    ])
    return counts, records


def test_reimport_and_overlap_on_the_current_database(clock, assigned, cycle, services_register,
                                                      django_capture_on_commit_callbacks):
    counts, records, bins = _scenario(assigned, cycle, django_capture_on_commit_callbacks)
    assert (counts, records) == _expected(*bins)


@pytest.mark.postgres
def test_postgres_path_gives_what_the_portable_path_gives(
        clock, assigned, cycle, services_register, monkeypatch,
        django_capture_on_commit_callbacks):
    """On PostgreSQL: COPY into the staging table and set-based apply; then the same files
    through the portable path (bulk_create, as on SQLite) on the same database: same result."""
    capture = django_capture_on_commit_callbacks
    fast = _scenario(assigned, cycle, capture)
    assert (fast[0], fast[1]) == _expected(*fast[2])
    ImportRecord.objects.all().delete()
    ImportBatch.objects.all().delete()
    monkeypatch.setattr(pipeline, "_pg", lambda: False)  # the apply
    monkeypatch.setattr(staging, "_pg", lambda: False)  # the staging: bulk_create, not COPY
    portable = _scenario(assigned, cycle, capture)
    assert portable == fast


@pytest.mark.postgres
def test_postgres_apply_checks_what_was_staged(clock, assigned, cycle, services_register,
                                               django_capture_on_commit_callbacks):
    """Fewer staged rows than validated (the unlogged staging table after a crash): nothing is
    applied and the file is checked again."""
    mf = assigned.registry.ministry.bin
    content = csv_bytes([MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
                         [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0]])
    batch = _upload(assigned.assessor, cycle, content, django_capture_on_commit_callbacks)
    ImportStagingRow.objects.filter(batch_id=batch.pk, line=3).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(DomainError) as restage:
            pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert restage.value.code == "restage" and len(callbacks) == 1
    assert not ImportRecord.objects.exists()
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert (batch.state, batch.rows_valid) == ("validated", 2)  # checked again
    batch = pipeline.import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert (batch.rows_created, batch.rows_updated) == (2, 0)


# --- bad files ----------------------------------------------------------------------------------


def test_many_bad_rows_keep_the_first_errors_and_count_all(
        clock, assigned, cycle, services_register, django_capture_on_commit_callbacks):
    mf = assigned.registry.ministry.bin
    rows = [MONITORING_HEADER] + [["990240099999", "00101001", "2025-03-14", 1, 0, 0, 0, 0]
                                  for _ in range(1500)]
    rows.append([mf, "00101001", "2025-03-14", 1, 0, 0, 0, 0])
    batch = _upload(assigned.assessor, cycle, csv_bytes(rows), django_capture_on_commit_callbacks)
    assert (batch.rows_total, batch.rows_valid, batch.rows_invalid) == (1501, 1, 1500)
    assert len(batch.errors) == pipeline.MAX_STORED_ERRORS
    assert batch.errors[0] == {"row": 2, "column": "bin", "code": "bin_unknown",
                               "params": {"bin": "990240099999"}}


def test_a_file_broken_halfway_fails_and_leaves_nothing_staged(
        clock, assigned, cycle, services_register, monkeypatch,
        django_capture_on_commit_callbacks, tmp_path):
    """The sheet's XML breaks after a few thousand rows, some of them already staged: the batch
    fails with the reason and nothing stays in the staging table."""
    import zipfile

    mf = assigned.registry.ministry.bin
    rows = [MONITORING_HEADER] + [[mf, "00101001", f"2025-{1 + i // 28 % 12:02d}-"
                                   f"{1 + i % 28:02d}", 5, 0, 0, 0, 0] for i in range(3000)]
    good = io.BytesIO(xlsx_bytes(rows))
    broken = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) * 2 // 3] + b"<row r=\"x\"><c><v>1</c></row>"
            target.writestr(item, data)
    monkeypatch.setattr(pipeline._Stager, "BLOCK", 100)
    batch = _upload(assigned.assessor, cycle, broken.getvalue(),
                    django_capture_on_commit_callbacks, name="broken.xlsx")
    assert batch.state == "failed" and batch.reason == {"code": "unreadable"}
    assert not ImportStagingRow.objects.filter(batch_id=batch.pk).exists()


# --- the other kinds, through the same path -----------------------------------------------------


def _other_kinds(assigned, cycle, capture):
    """One file of each other kind the Agency and the digital ministry import, then a
    satisfaction file overlapping the first (one level changed, one new)."""
    r = assigned.registry
    mf, akimat = r.ministry.bin, r.akimat.bin
    files = [
        (assigned.assessor, "satisfaction", [["bin", "service_code", "level"],
                                             [mf, "00101001", "4,5"], [akimat, "00101001", "3"]]),
        (assigned.assessor, "is_failures", [
            ["failure_id", "date_from", "date_to", "service_code", "confirmed_by"],
            ["F-1", "2025-07-01", "2025-07-02", "", "Письмо\tМЦРИАП № 1"],
            ["F-2", "01.08.2025", "03.08.2025", "00201002", "Письмо № 2"]]),
        (assigned.assessor, "inspections", [
            ["inspection_id", "bin", "service_code", "date", "late", "unjustified_refusals",
             "incomplete_package", "extra_documents"],
            ["П-1", akimat, "00101001", "2025-09-30", 3, 0, 1, 0]]),
        (assigned.digital_assessor, "egov_incidents", [
            ["incident_id", "bin", "date", "hours", "body_response"],
            ["INC-1", mf, "2025-05-02", "2.5", "none"], ["INC-2", mf, "2025-05-03", "4",
                                                         "disputed"]]),
        (assigned.assessor, "satisfaction", [["bin", "service_code", "level"],
                                             [mf, "00101001", "4.75"],
                                             [mf, "00201002", "5"]]),
    ]
    counts = []
    for actor, kind, rows in files:
        with capture(execute=True):
            batch = pipeline.import_upload(actor=actor, cycle=cycle, kind=kind,
                                           upload=io.BytesIO(csv_bytes(rows)),
                                           original_name=f"{kind}.csv")
        batch = ImportBatch.objects.get(pk=batch.pk)
        assert (batch.state, batch.rows_invalid) == ("validated", 0), batch.errors
        batch = pipeline.import_apply(batch_id=batch.pk, actor=actor)
        counts.append((kind, batch.rows_created, batch.rows_updated))
    records = sorted(
        (rec.kind, rec.row_key, rec.body_id, rec.service_id, rec.day, rec.day_to, rec.data)
        for rec in ImportRecord.objects.filter(cycle=cycle).exclude(kind="monitoring"))
    return counts, records


def test_the_other_kinds_go_the_same_way(clock, assigned, cycle, services_register,
                                         django_capture_on_commit_callbacks):
    counts, records = _other_kinds(assigned, cycle, django_capture_on_commit_callbacks)
    assert counts == [("satisfaction", 2, 0), ("is_failures", 2, 0), ("inspections", 1, 0),
                      ("egov_incidents", 2, 0), ("satisfaction", 1, 1)]
    by_key = {(kind, key): (day, day_to, data)
              for kind, key, _body, _service, day, day_to, data in records}
    mf = assigned.registry.ministry.bin
    assert by_key[("satisfaction", f"{mf}|00101001")][2] == {"level": "4.75"}
    assert by_key[("is_failures", "F-1")] == (date(2025, 7, 1), date(2025, 7, 2),
                                              {"confirmed_by": "Письмо\tМЦРИАП № 1"})
    assert by_key[("is_failures", "F-2")][:2] == (date(2025, 8, 1), date(2025, 8, 3))
    assert by_key[("egov_incidents", "INC-2")][2] == {"hours": "4", "response": "disputed",
                                                      "confirmed": False}


@pytest.mark.postgres
def test_the_other_kinds_same_on_both_paths(clock, assigned, cycle, services_register,
                                            monkeypatch, django_capture_on_commit_callbacks):
    fast = _other_kinds(assigned, cycle, django_capture_on_commit_callbacks)
    ImportRecord.objects.all().delete()
    ImportBatch.objects.all().delete()
    monkeypatch.setattr(pipeline, "_pg", lambda: False)  # the apply
    monkeypatch.setattr(staging, "_pg", lambda: False)  # the staging: bulk_create, not COPY
    assert _other_kinds(assigned, cycle, django_capture_on_commit_callbacks) == fast
