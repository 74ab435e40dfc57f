"""Imports: preview with row errors, atomic apply, idempotence by hash and row keys."""

import io

import pytest
from django.core.exceptions import PermissionDenied

from assessments.kernel.errors import DomainError
from assessments.models import ImportBatch, ImportRecord
from assessments.submission.imports.pipeline import import_apply, import_upload
from assessments.submission.imports.reasons import error_text
from tests.worlds.samples import MONITORING_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def upload(actor, cycle, content, kind="monitoring", name="file.csv"):
    with _capture(execute=True) as callbacks:
        batch = import_upload(actor=actor, cycle=cycle, kind=kind, upload=io.BytesIO(content),
                              original_name=name)
    assert len(callbacks) == 1  # the validation task, queued after the upload commits
    return ImportBatch.objects.get(pk=batch.pk)


@pytest.fixture
def bins(assigned):
    r = assigned.registry
    return r.ministry.bin, r.akimat.bin


def test_good_and_bad_rows_are_previewed_with_row_column_and_reason(
        clock, assigned, cycle, services_register, bins):
    mf, akimat = bins
    rows = [MONITORING_HEADER,
            [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
            [mf, "99999999", "2025-03-14", 100, 0, 0, 0, 0],
            ["123", "00101001", "2025-03-14", 100, 0, 0, 0, 0],
            [akimat, "00101001", "2024-12-31", 100, 0, 0, 0, 0],
            [akimat, "00101001", "2025-04-01", 10, 11, 0, 0, 0],
            [akimat, "00101001", "2025-04-02", "x", 0, 0, 0, 0]]
    batch = upload(assigned.assessor, cycle, csv_bytes(rows))
    assert (batch.state, batch.rows_total, batch.rows_valid, batch.rows_invalid) == (
        "validated", 6, 1, 5)
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, "service_code"), (4, "bin"), (5, "date"), (6, "late"), (7, "rendered")]
    # stored as codes and parameters, put into words when shown
    assert batch.errors[1] == {"row": 4, "column": "bin", "code": "bin_format", "params": None}
    assert batch.errors[2]["params"] == {"year": 2025}
    assert error_text(batch.errors[1]) == "БИН должен состоять из 12 цифр"
    with pytest.raises(DomainError) as refused:  # all or nothing
        import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert refused.value.code == "invalid"
    assert not ImportRecord.objects.exists()


def test_apply_then_overlapping_file_updates_and_same_file_is_refused(
        clock, assigned, cycle, services_register, bins):
    mf, akimat = bins
    first = [MONITORING_HEADER,
             [mf, "00101001", "2025-03-14", 100, 2, 0, 1, 0],
             [mf, "00101001", "2025-03-15", 100, 0, 0, 0, 0]]
    batch = upload(assigned.assessor, cycle, csv_bytes(first))
    batch = import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert (batch.state, batch.rows_created, batch.rows_updated) == ("applied", 2, 0)
    assert batch.applied_by == assigned.assessor
    with pytest.raises(DomainError) as duplicate:
        upload(assigned.assessor, cycle, csv_bytes(first))
    assert duplicate.value.code == "duplicate"
    overlap = [MONITORING_HEADER,
               [mf, "00101001", "2025-03-15", 100, 5, 0, 0, 0],
               [akimat, "00101001", "2025-03-15", 50, 1, 0, 0, 0]]
    batch = import_apply(batch_id=upload(assigned.assessor, cycle, csv_bytes(overlap)).pk,
                         actor=assigned.assessor)
    assert (batch.rows_created, batch.rows_updated) == (1, 1)
    assert ImportRecord.objects.count() == 3
    record = ImportRecord.objects.get(row_key=f"{mf}|00101001|2025-03-15")
    assert record.data["late"] == 5 and record.batch == batch


def test_xlsx_with_semicolon_free_layout_and_numbers(clock, assigned, cycle, services_register,
                                                     bins):
    mf, _akimat = bins
    rows = [MONITORING_HEADER, [mf, "00101001", "2025-05-01", 10, 1, 0, 0, 0],
            [mf, "00201002", "2025-05-01", 20, 0, 0, 0, 0]]
    batch = upload(assigned.assessor, cycle, xlsx_bytes(rows), name="file.xlsx")
    assert (batch.file_format, batch.rows_valid, batch.rows_invalid) == ("xlsx", 2, 0)
    import_apply(batch_id=batch.pk, actor=assigned.assessor)
    assert ImportRecord.objects.filter(kind="monitoring").count() == 2


def test_csv_with_semicolons_and_bom(clock, assigned, cycle, services_register, bins):
    mf, _akimat = bins
    text = ";".join(MONITORING_HEADER) + "\n" + f"{mf};00101001;14.03.2025;10;0;0;0;0\n"
    batch = upload(assigned.assessor, cycle, b"\xef\xbb\xbf" + text.encode())
    assert (batch.rows_valid, batch.rows_invalid) == (1, 0)


def test_header_must_match_the_template(clock, assigned, cycle, services_register):
    batch = upload(assigned.assessor, cycle, csv_bytes([["a", "b"], [1, 2]]))
    assert batch.rows_invalid == 1 and batch.errors[0]["code"] == "header"
    assert "Заголовок" in error_text(batch.errors[0])


def test_a_non_tabular_file_is_refused(clock, assigned, cycle):
    with pytest.raises(DomainError):
        upload(assigned.assessor, cycle, b"\x00\x01\x02binary")


def test_only_the_receiving_evaluator_imports(clock, assigned, cycle):
    with pytest.raises(PermissionDenied):  # MIOD does not receive "Мониторинг"
        upload(assigned.assessor_other_direction, cycle, csv_bytes([MONITORING_HEADER]))
    with pytest.raises(PermissionDenied):
        upload(assigned.submitter, cycle, csv_bytes([MONITORING_HEADER]))


def test_incidents_unanswered_count_as_confirmed(clock, assigned, cycle, bins):
    mf, _akimat = bins
    rows = [["incident_id", "bin", "date", "hours", "body_response"],
            ["INC-1", mf, "2025-05-02", "2.5", "none"],
            ["INC-2", mf, "2025-05-03", "4", "disputed"],
            ["INC-3", mf, "2025-05-04", "1", "maybe"]]
    batch = upload(assigned.digital_assessor, cycle, csv_bytes(rows), kind="egov_incidents")
    assert batch.rows_invalid == 1 and batch.errors[0]["column"] == "body_response"
