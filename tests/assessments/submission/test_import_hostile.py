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
