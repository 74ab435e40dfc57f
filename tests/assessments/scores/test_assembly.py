"""Assembly into the scoring input: source precedence (p.37, p.40), failures, p.8, p.53, the
assessors' openness scores, and the engine accepting what is assembled."""


import pytest
from django.core.exceptions import PermissionDenied

from assessments.kernel.errors import DomainError
from assessments.scores.services.assembly import case_from_values, scoring_values
from assessments.scoring import score_case_dict
from assessments.submission.services.openness import openness_assessment_update, openness_score_set
from tests.worlds.samples import MONITORING_HEADER
from tests.worlds.submission_steps import accept, load

# As in tests/assessments/submission/: queued tasks run in this process, the default language
# active again after each test.
pytestmark = [pytest.mark.django_db,
              pytest.mark.usefixtures("tasks_in_process", "default_language_after")]


def test_services_source_precedence_failures_and_internal_control(
        clock, assigned, cycle, schedule, services_register, django_capture_on_commit_callbacks):
    p, r = assigned, assigned.registry
    cap = django_capture_on_commit_callbacks
    rows = [
        {"service": "00101001", "basis": "own_records", "rendered": 900, "late": 900,
         "unjustified_refusals": 900, "incomplete_package": 0, "extra_documents": 0,
         "justified_complaints": 2},   # monitored: the body's counts are not used
        {"service": "00201002", "basis": "own_records", "rendered": 1000, "late": 500,
         "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
         "justified_complaints": 0},   # monitored and inspected: the inspection wins
        {"service": "00601006", "basis": "internal_control", "rendered": 300, "late": 30,
         "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
         "justified_complaints": 1},   # not connected, internal control: not a source (p.8)
    ]
    with cap(execute=True):
        accept(p, cycle, r.ministry, "automation", p.head, p.digital_assessor)
        accept(p, cycle, r.ministry, "services", p.head, p.assessor,
               override={"services": {"rows": rows}})
    mf = r.ministry.bin
    load(p.assessor, cycle, "monitoring", [
        MONITORING_HEADER,
        [mf, "00101001", "2025-02-01", 5000, 4, 1, 0, 0],
        [mf, "00101001", "2025-07-01", 5000, 7, 0, 0, 0],   # within the confirmed failure
        [mf, "00201002", "2025-02-01", 800, 9, 0, 0, 0],
    ], cap)
    load(p.assessor, cycle, "is_failures", [
        ["failure_id", "date_from", "date_to", "service_code", "confirmed_by"],
        ["F-1", "2025-06-30", "2025-07-02", "", "Письмо МЦРИАП № 1"]], cap)
    load(p.assessor, cycle, "inspections", [
        ["inspection_id", "bin", "service_code", "date", "late", "unjustified_refusals",
         "incomplete_package", "extra_documents"],
        ["П-1", mf, "00201002", "2025-09-30", 3, 0, 1, 0]], cap)
    load(p.assessor, cycle, "satisfaction", [["bin", "service_code", "level"],
                                             [mf, "00101001", "4.85"], [mf, "00201002", "4.1"]],
         cap)
    load(p.digital_assessor, cycle, "egov_incidents", [
        ["incident_id", "bin", "date", "hours", "body_response"],
        ["I-1", mf, "2025-05-01", "2.5", "none"], ["I-2", mf, "2025-05-02", "4", "disputed"],
        ["I-3", mf, "2025-05-03", "1", "confirmed"]], cap)
    out = scoring_values(cycle=cycle, body=r.ministry)
    v = out.values
    assert v["services.late"] == 4 + 3          # Мониторинг less the failure day + inspection
    assert v["services.unjustified_refusals"] == 1
    assert v["services.incomplete_package"] == 1
    assert v["services.rendered"] == 10000 + 800 + 300
    assert v["services.justified_complaints"] == 3
    assert v["services.satisfaction_levels"] == ["4.85", "4.1"]
    assert v["services.automation.unavailability_hours"] == "3.5"
    assert "внутренний контроль" in out.sources["services.late"]["label"]
    assert "проверки" in out.sources["services.late"]["label"]
    assert out.sources["services.automation.unavailability_hours"]["kind"] == "import"
    result = score_case_dict(case_from_values(v, body=r.ministry, edition=cycle.edition))
    assert result["services"]["T1"] == "5.69"  # 12 − 7 / 11100 × 10000
    assert result["services"]["P"] == "0.70"    # 3.5 h × 0.2


def test_openness_scores_flags_and_computed_data_reach_the_engine(
        clock, assigned, cycle, schedule, django_capture_on_commit_callbacks):
    p, r = assigned, assigned.registry
    with django_capture_on_commit_callbacks(execute=True):
        accept(p, cycle, r.akimat, "openness", p.local_head, p.assessor_other_direction)
    a = p.assessor_other_direction
    openness_score_set(actor=a, cycle=cycle, body=r.akimat, criterion="open_data",
                       indicator="published", column="kk", value="2.5")
    score = openness_score_set(actor=a, cycle=cycle, body=r.akimat, criterion="open_data",
                               indicator="published", column="ru", value="2")
    with pytest.raises(DomainError) as too_much:
        openness_score_set(actor=a, cycle=cycle, body=r.akimat, criterion="open_data",
                           indicator="published", column="ru", value="2.6")
    assert too_much.value.message == "Балл должен быть от 0 до 2.5."
    with pytest.raises(DomainError) as computed:
        openness_score_set(actor=a, cycle=cycle, body=r.akimat, criterion="open_dialogue",
                           indicator="blog_posts", column="ru", value="1")
    assert computed.value.code == "computed"
    with pytest.raises(DomainError):  # stale version of the same cell
        openness_score_set(actor=a, cycle=cycle, body=r.akimat, criterion="open_data",
                           indicator="published", column="ru", value="1", expected_version=0)
    assert score.version == 1
    openness_assessment_update(actor=a, cycle=cycle, body=r.akimat,
                               flags={"open_budget": ["no_state_audit"]}, not_assessed=[],
                               subordinate_penalties={})
    with pytest.raises(DomainError):  # penalties of subordinates are for central bodies only
        openness_assessment_update(actor=a, cycle=cycle, body=r.akimat, flags={},
                                   not_assessed=[],
                                   subordinate_penalties={"no_blog": {"kk": True}})
    out = scoring_values(cycle=cycle, body=r.akimat)
    assert out.values["openness.open_data.scores.published.kk"] == "2.50"
    assert out.sources["openness.open_data.scores.published.kk"]["kind"] == "assessor"
    assert out.values["openness.open_budget.flags"] == ["no_state_audit"]
    assert out.values["openness.open_dialogue.blog_posts"] == 30
    result = score_case_dict(case_from_values(out.values, body=r.akimat, edition=cycle.edition))
    # 4.5 published + 2 × 2 audit (no state audit: full) + blog posts 2 × 1 + media
    assert result["openness"]["P1"] == "4.50" and result["openness"]["P2"] == "4.00"
    with pytest.raises(PermissionDenied):  # the Agency's assessor does not score openness
        openness_score_set(actor=p.assessor, cycle=cycle, body=r.akimat, criterion="open_data",
                           indicator="published", column="kk", value="1")


def test_nothing_accepted_assembles_nothing(clock, assigned, cycle):
    assert scoring_values(cycle=cycle, body=assigned.registry.ministry).values == {}


def test_services_the_body_left_out_of_its_report_keep_their_violations(
        clock, assigned, cycle, schedule, services_register, django_capture_on_commit_callbacks):
    """p.37, p.40: the inspections and "Мониторинг" come before the body's own data, so a
    service the body did not list still brings its violations (and Мониторинг's rendered
    count); one with inspections alone counts its violations over an unknown rendered count,
    named in a note."""
    p, r = assigned, assigned.registry
    cap = django_capture_on_commit_callbacks
    rows = [{"service": "00601006", "basis": "own_records", "rendered": 300, "late": 2,
             "unjustified_refusals": 0, "incomplete_package": 0, "extra_documents": 0,
             "justified_complaints": 0}]
    with cap(execute=True):
        accept(p, cycle, r.ministry, "automation", p.head, p.digital_assessor)
        accept(p, cycle, r.ministry, "services", p.head, p.assessor,
               override={"services": {"rows": rows}})
    mf = r.ministry.bin
    load(p.assessor, cycle, "monitoring", [MONITORING_HEADER] + [
        [mf, "00101001", f"2025-03-{day:02d}", 12500, 1, 0, 0, 0] for day in range(1, 21)
    ] + [[mf, "00101001", f"2025-04-{day:02d}", 12500, 1, 1, 0, 0] for day in range(1, 21)], cap)
    load(p.assessor, cycle, "inspections", [
        ["inspection_id", "bin", "service_code", "date", "late", "unjustified_refusals",
         "incomplete_package", "extra_documents"],
        ["П-7", mf, "00201002", "2025-09-30", 3, 0, 0, 1]], cap)
    out = scoring_values(cycle=cycle, body=r.ministry)
    v = out.values
    assert v["services.late"] == 2 + 40 + 3
    assert v["services.unjustified_refusals"] == 20
    assert v["services.extra_documents"] == 1
    assert v["services.rendered"] == 300 + 40 * 12500
    label = out.sources["services.late"]["label"]
    assert "00101001: Мониторинг (услуга не указана в отчёте органа)" in label
    assert "00201002: проверки (услуга не указана в отчёте органа)" in label
    assert "00601006: отчёт органа" in label
    assert out.sources["services.late"]["kind"] == "import"
    assert any("00101001, 00201002" in n for n in out.notes)
    assert any("Нет числа оказанных услуг" in n and "00201002" in n for n in out.notes)
    result = score_case_dict(case_from_values(v, body=r.ministry, edition=cycle.edition))
    assert result["services"]["T1"] == "11.10"  # 12 − 45 / 500300 × 10000 = 11.100…


def test_stored_labels_are_russian_whoever_ran_the_assembly(
        clock, assigned, cycle, schedule, services_register, django_capture_on_commit_callbacks):
    """A Kazakh page accepting the report runs the assembly (in-process): what it stores is
    in the default language all the same."""
    from django.utils import translation

    from assessments.models import ScoringInput

    p, r = assigned, assigned.registry
    with translation.override("kk"), django_capture_on_commit_callbacks(execute=True):
        accept(p, cycle, r.ministry, "complaints", p.head, p.committee_assessor)
    with translation.override("kk"):
        kazakh = {path: s["label"] for path, s in
                  scoring_values(cycle=cycle, body=r.ministry).sources.items()}
    russian = {path: s["label"] for path, s in
               scoring_values(cycle=cycle, body=r.ministry).sources.items()}
    assert kazakh != russian  # the labels are translated: the request's language matters
    stored = ScoringInput.objects.filter(cycle=cycle, body=r.ministry).latest("version")
    assert {path: s["label"] for path, s in stored.sources.items() if path in russian} == russian
