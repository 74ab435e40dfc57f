"""Reports: sections, completeness, the state machine with its permissions, deadline and log."""

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from assessments.kernel import clock as app_clock
from assessments.kernel.errors import DomainError
from assessments.models import Notification, Report, ReportSection, SubmissionPolicy
from assessments.submission.services.reports import (
    EditConflict,
    SectionInvalid,
    report_accept,
    report_get_or_create,
    report_missing,
    report_return,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections

pytestmark = pytest.mark.django_db


def fill(report, actor, kind):
    for key, data in sample_sections(report.direction, kind).items():
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=actor, report=report, key=key, data=data,
                            expected_version=row.version if row else 0)


@pytest.fixture
def complaints(assigned, cycle, schedule, services_register):
    return report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                direction="complaints")


def test_submit_lists_what_is_missing_and_changes_nothing(clock, assigned, complaints):
    assert report_missing(complaints) == [
        "Раздел «Жалобы и заявления: ИС «Единый учёт обращений» и форма 1-ОЛ» не заполнен."]
    with pytest.raises(DomainError) as refused:  # not confirmed: nothing happens
        report_submit(actor=assigned.head, report=complaints)
    assert refused.value.code == "confirm_missing"
    assert "Жалобы и заявления" in refused.value.message and "2 балла" in refused.value.message
    assert Report.objects.get(pk=complaints.pk).state == "draft"


def test_partial_section_is_saved_but_blocks_submission(clock, assigned, complaints):
    report_section_save(actor=assigned.submitter, report=complaints, key="complaints",
                        data={"fields": {"received": 10}}, expected_version=0)
    missing = report_missing(complaints)
    assert any("«Рассмотрено»" in item for item in missing)
    assert ReportSection.objects.get(report=complaints).data == {"fields": {"received": 10}}


def test_invalid_values_are_refused_with_the_field_and_nothing_saved(clock, assigned, complaints):
    data = sample_sections("complaints", "central")["complaints"]
    data["fields"].update(handled=10, handled_late=11)
    with pytest.raises(SectionInvalid) as invalid:
        report_section_save(actor=assigned.submitter, report=complaints, key="complaints",
                            data=data, expected_version=0)
    assert invalid.value.errors == {
        "fields.handled_late": "Не может быть больше, чем «Рассмотрено» (10)."}
    assert not ReportSection.objects.filter(report=complaints).exists()


def test_concurrent_edit_is_detected_not_overwritten(clock, assigned, complaints):
    data = sample_sections("complaints", "central")["complaints"]
    report_section_save(actor=assigned.submitter, report=complaints, key="complaints",
                        data=data, expected_version=0)
    other = {"fields": {**data["fields"], "received": 9999}}
    with pytest.raises(EditConflict) as conflict:  # the head read version 0 too
        report_section_save(actor=assigned.head, report=complaints, key="complaints",
                            data=other, expected_version=0)
    assert str(assigned.submitter) in conflict.value.message and "10:00" in conflict.value.message
    row = ReportSection.objects.get(report=complaints)
    assert row.data == data and row.version == 1


def test_submitter_may_submit_only_where_the_body_allows(clock, assigned, complaints):
    fill(complaints, assigned.submitter, "central")
    with pytest.raises(PermissionDenied):
        report_submit(actor=assigned.submitter, report=complaints)
    SubmissionPolicy.objects.create(body=complaints.body, submitters_may_submit=True)
    report = report_submit(actor=assigned.submitter, report=complaints)
    assert report.state == "submitted"


def test_late_submission_is_accepted_and_marked_with_the_date(clock, assigned, complaints):
    fill(complaints, assigned.head, "central")
    report = report_submit(actor=assigned.head, report=complaints)
    # deadline 20.01.2026, today 19.03.2026
    assert (report.state, report.late, report.late_days) == ("submitted", True, 58)
    assert report.submitted_on.isoformat() == "2026-03-19"
    log = StateLog.objects.get(object_id=report.pk, transition="submit")
    assert log.by == assigned.head and "20.01.2026" in log.description
    texts = set(Notification.objects.values_list("user__username", flat=True))
    assert {"submitter", "head", "committee_assessor"} <= texts


def test_submission_on_time_is_not_late(assigned, complaints):
    with app_clock.frozen("2026-01-20T18:00:00"):
        fill(complaints, assigned.head, "central")
        report = report_submit(actor=assigned.head, report=complaints)
    assert (report.late, report.late_days) == (False, 0)


def test_review_return_rework_and_accept_cycle(clock, assigned, complaints):
    fill(complaints, assigned.head, "central")
    report_submit(actor=assigned.head, report=complaints)
    with pytest.raises(PermissionDenied):  # an assessor of another direction
        report_start_review(actor=assigned.assessor, report=complaints)
    report_start_review(actor=assigned.committee_assessor, report=complaints)
    with pytest.raises(DomainError) as no_comments:
        report_return(actor=assigned.committee_assessor, report=complaints, comments={"x": ""})
    assert no_comments.value.code == "comments"
    report = report_return(actor=assigned.committee_assessor, report=complaints,
                           comments={"complaints": "Сверьте с формой 1-ОЛ."})
    assert (report.state, report.returned_times) == ("returned", 1)
    assert ReportSection.objects.get(report=report).return_comment == "Сверьте с формой 1-ОЛ."
    # the body edits: the report goes back to draft
    row = ReportSection.objects.get(report=report)
    data = {"fields": {**row.data["fields"], "received": 5001}}
    report_section_save(actor=assigned.submitter, report=report, key="complaints", data=data,
                        expected_version=row.version)
    assert Report.objects.get(pk=report.pk).state == "draft"
    report_submit(actor=assigned.head, report=report)
    report = Report.objects.get(pk=report.pk)
    assert report.late_days == 58  # lateness of the first submission is kept
    report_start_review(actor=assigned.committee_assessor, report=report)
    report = report_accept(actor=assigned.committee_assessor, report=report)
    assert report.state == "accepted" and report.accepted_by == assigned.committee_assessor
    transitions = list(StateLog.objects.filter(object_id=report.pk).order_by("timestamp", "pk")
                       .values_list("transition", flat=True))
    assert transitions == ["submit", "start_review", "return_for_rework", "reopen", "submit",
                           "start_review", "accept"]
    # accepted data are locked
    with pytest.raises(PermissionDenied):
        report_section_save(actor=assigned.head, report=report, key="complaints", data=data,
                            expected_version=None)


def test_wrong_state_transitions_are_refused(clock, assigned, complaints):
    with pytest.raises(DomainError):
        report_accept(actor=assigned.committee_assessor, report=complaints)
    with pytest.raises(DomainError):
        report_start_review(actor=assigned.committee_assessor, report=complaints)


def test_automation_report_is_completed_by_the_ministry_during_review(clock, assigned, cycle,
                                                                       schedule):
    report = report_get_or_create(cycle=cycle, body=assigned.registry.ministry,
                                  direction="automation")
    fill(report, assigned.head, "central")
    report_submit(actor=assigned.head, report=report)
    report_start_review(actor=assigned.digital_assessor, report=report)
    row = ReportSection.objects.get(report=report, key="automation")
    data = {"fields": {**row.data["fields"], "mobile_available": 30}}
    report_section_save(actor=assigned.digital_assessor, report=report, key="automation",
                        data=data, expected_version=row.version)
    assert ReportSection.objects.get(pk=row.pk).data["fields"]["mobile_available"] == 30
    with pytest.raises(PermissionDenied):  # the body cannot edit while it is reviewed
        report_section_save(actor=assigned.head, report=report, key="automation", data=data,
                            expected_version=None)


def test_local_body_has_no_automation_sections():
    from assessments.submission.report_schema import report_directions, sections_for

    assert "automation" not in report_directions("local")
    assert [s.key for s in sections_for("openness", "local")] == [
        "t1_open_data", "t3_open_budget", "t4_open_npa", "t5_open_dialogue", "t5_1_media"]


def test_services_rows_name_register_services_checked_in_one_query(
        clock, assigned, cycle, schedule, services_register, django_assert_num_queries):
    from assessments.models import PublicService
    from assessments.submission.report_schema import SECTIONS_BY_KEY
    from assessments.submission.services.reports import section_errors

    PublicService.objects.filter(code="00201002").update(active=False)
    row = {"basis": "own_records", "rendered": 1, "late": 0, "unjustified_refusals": 0,
           "incomplete_package": 0, "extra_documents": 0, "justified_complaints": 0}
    data = {"rows": [{**row, "service": "00101001"}, {**row, "service": "99999999"},
                     {**row, "service": "00201002"}, {**row, "service": "00601006"}]}
    with django_assert_num_queries(1):
        invalid, _missing = section_errors(SECTIONS_BY_KEY["services"], "central", data)
    assert invalid == {"rows.1.service": "Услуги с кодом «99999999» нет в реестре.",
                       "rows.2.service": "Услуги с кодом «00201002» нет в реестре."}
