"""Hostile import files (issue 16): every spreadsheet passes the checks that run before any reader
— at upload the archive's directory (no member inflated in the request), in the validation task
every sheet's dimension and references in a capped subprocess. Refused with the reason in words,
listed for administrators; nothing staged. The files are built here."""

from __future__ import annotations

import io
import zipfile

import pytest

from assessments.kernel.errors import DomainError
from assessments.models import ImportBatch, ImportStagingRow, RefusedUpload
from assessments.submission.imports.pipeline import import_upload
from assessments.submission.imports.reasons import reason_text
from tests.worlds.samples import MONITORING_HEADER, xlsx_bytes

pytestmark = pytest.mark.django_db

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _hostile_xlsx(cell_ref: str) -> bytes:
    """A real workbook (openpyxl's) whose sheet gets one more cell at ``cell_ref``."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([MONITORING_HEADER])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", f'<row r="2"><c r="{cell_ref}" t="inline'
                                    f'Str"><is><t>x</t></is></c></row></sheetData>'.encode())
            z.writestr(info.filename, data)
    return out.getvalue()


def _upload(actor, cycle, content, capture):
    with capture(execute=True):
        batch = import_upload(actor=actor, cycle=cycle, kind="monitoring",
                              upload=io.BytesIO(content), original_name="hostile.xlsx")
    return ImportBatch.objects.get(pk=batch.pk)


def test_a_cell_at_zzzzzz2_fails_validation_with_the_reason_and_is_listed(
        clock, assigned, cycle, services_register, django_capture_on_commit_callbacks):
    batch = _upload(assigned.assessor, cycle, _hostile_xlsx("ZZZZZZ2"),
                    django_capture_on_commit_callbacks)
    assert batch.state == "failed"
    assert batch.reason == {"code": "sheet_dimension",
                            "params": {"ref": "ZZZZZZ2", "columns": 256, "rows": 1_048_576}}
    said = reason_text(batch.reason["code"], batch.reason["params"])
    assert "ZZZZZZ2" in said and "256" in said
    assert not ImportStagingRow.objects.exists()
    refused = RefusedUpload.objects.get()
    assert (refused.purpose, refused.code, refused.hostile, refused.user) == (
        "import", "sheet_dimension", True, assigned.assessor)


def test_a_zip_bomb_is_refused_at_upload_without_inflating_it(
        clock, assigned, cycle, services_register, django_capture_on_commit_callbacks):
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([MONITORING_HEADER])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in good.infolist():
            if info.filename != "xl/sharedStrings.xml":
                z.writestr(info.filename, good.read(info.filename))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst " + MAIN + b">")
            for _ in range(40):
                member.write(b"<si><t>a</t></si>" * 100_000)
            member.write(b"</sst>")
    with pytest.raises(DomainError) as refused:
        _upload(assigned.assessor, cycle, out.getvalue(), django_capture_on_commit_callbacks)
    assert refused.value.code == "archive_ratio"
    assert "архив-бомбу" in refused.value.message
    assert not ImportBatch.objects.exists()
    assert RefusedUpload.objects.get().code == "archive_ratio"


def test_an_oversize_import_is_refused_by_its_real_size(clock, assigned, cycle, monkeypatch):
    from assessments.submission.imports import pipeline

    monkeypatch.setattr(pipeline, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(DomainError) as refused:
        import_upload(actor=assigned.assessor, cycle=cycle, kind="monitoring",
                      upload=io.BytesIO(b"bin,x\n" * 1000), original_name="big.csv")
    assert refused.value.code == "size"
    assert not ImportBatch.objects.exists()


# --- the Rust reader only behind the checks --------------------------------------------------


def _spy_readers(monkeypatch) -> list[str]:
    """Which reader opened a workbook: the Rust one (python-calamine) or the streaming one."""
    import python_calamine

    from assessments.submission.imports import readers

    opened: list[str] = []
    real_open = python_calamine.CalamineWorkbook.from_path
    real_rows = readers.XlsxSource.rows

    def calamine(path, *args, **kwargs):
        opened.append("calamine")
        return real_open(path, *args, **kwargs)

    def streaming(self):
        opened.append("streaming")
        return real_rows(self)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", calamine)
    monkeypatch.setattr(readers.XlsxSource, "rows", streaming)
    return opened


def _tiny_xlsx(dimension: str, cells: list[str]) -> bytes:
    """A minimal workbook, a few hundred bytes: a sheet declaring ``dimension`` with a cell at
    each of ``cells``."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="' + dimension
             + '"/><sheetData>' + "".join(
                 f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c>'
                 "</row>" for ref in cells) + "</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd'
        '.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="data" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas'
        '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def test_the_checks_refuse_a_cell_at_xfd200000_before_any_reader_sees_it(
        clock, assigned, cycle, services_register, monkeypatch,
        django_capture_on_commit_callbacks):
    """The 1.5 KB workbook that makes a Rust reader abort the whole process (issue 16: it sizes
    the sheet from the declared dimension): refused by the checks in their capped subprocess,
    with the reason; neither reader ever opens it."""
    content = _tiny_xlsx("A1:XFD200000", ["A1", "XFD200000"])
    assert len(content) < 2048
    opened = _spy_readers(monkeypatch)
    batch = _upload(assigned.assessor, cycle, content, django_capture_on_commit_callbacks)
    assert batch.state == "failed"
    assert batch.reason == {"code": "sheet_dimension",
                            "params": {"ref": "XFD200000", "columns": 256, "rows": 1_048_576}}
    assert opened == []
    assert not ImportStagingRow.objects.exists()


def test_a_sheet_spread_over_a_large_area_is_read_by_the_streaming_reader(
        clock, assigned, cycle, services_register, monkeypatch,
        django_capture_on_commit_callbacks):
    """Within the limits, but two cells from A1 to IV1048576 (268 million cells in the area a
    whole-sheet reader would allocate), or a declared dimension of 2.4 million cells: the
    streaming reader reads them; an ordinary workbook goes to the Rust reader."""
    opened = _spy_readers(monkeypatch)
    for dimension, cells in (("A1", ["A1", "IV1048576"]), ("A1:H300000", ["A1", "H2"])):
        batch = _upload(assigned.assessor, cycle, _tiny_xlsx(dimension, cells),
                        django_capture_on_commit_callbacks)
        assert batch.state == "validated"
        assert batch.errors[0]["code"] == "header"
    assert opened == ["streaming", "streaming"]
    mf = assigned.registry.ministry.bin
    batch = _upload(assigned.assessor, cycle, xlsx_bytes(
        [MONITORING_HEADER, [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0]]),
        django_capture_on_commit_callbacks)
    assert (batch.state, batch.rows_valid, batch.rows_invalid) == ("validated", 1, 0)
    assert opened[2:] == ["calamine"]

