"""Steps of submission that other tests play: a report accepted with the demo's sample sections
(or overrides), an import uploaded, validated and applied."""

import io

from assessments.models import ImportBatch
from assessments.submission.imports.pipeline import import_apply, import_upload
from assessments.submission.services.reports import (
    SectionInvalid,
    report_accept,
    report_get_or_create,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections
from tests.worlds.samples import csv_bytes

INSPECTIONS_HEADER = ["inspection_id", "bin", "service_code", "date", "late",
                      "unjustified_refusals", "incomplete_package", "extra_documents"]


def accept(personas, cycle, body, direction, head, reviewer, override=None):
    report = report_get_or_create(cycle=cycle, body=body, direction=direction)
    for key, data in sample_sections(direction, "central" if body.kind == "central"
                                     else "local").items():
        if override and key in override:
            data = override[key]
        try:
            report_section_save(actor=head, report=report, key=key, data=data,
                                expected_version=0)
        except SectionInvalid as error:
            raise AssertionError(error.errors) from error
    report_submit(actor=head, report=report)
    report_start_review(actor=reviewer, report=report)
    return report_accept(actor=reviewer, report=report)


def load(actor, cycle, kind, rows, capture):
    with capture(execute=True):
        batch = import_upload(actor=actor, cycle=cycle, kind=kind,
                              upload=io.BytesIO(csv_bytes(rows)), original_name=f"{kind}.csv")
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert batch.rows_invalid == 0, batch.errors
    with capture(execute=True):
        return import_apply(batch_id=batch.pk, actor=actor)
