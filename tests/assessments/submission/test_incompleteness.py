"""Incomplete information is a penalty, not a wall (p.17–20): a report submitted with elements
missing after the body confirms them, incompleteness facts per element, a report closed as not
submitted and reopened, the numbers no source holds entered with their source, and the facts
entering ``penalties.<direction>`` under the engine's cap."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from assessments.kernel.errors import DomainError
from assessments.models import (
    IncompletenessFact,
    Notification,
    Report,
    ReportSection,
    ScoreSheet,
)
from assessments.scores.services.assembly import penalty_facts, scoring_values
from assessments.scores.services.entered import entered_input_set, missing_inputs
from assessments.scores.services.scoring_inputs import scoring_input_current
from assessments.submission.report_schema import element_sections
from assessments.submission.services.incompleteness import counted_facts, facts_record
from assessments.submission.services.reports import (
    ReportIncomplete,
    report_accept,
    report_close_not_submitted,
    report_elements,
    report_get_or_create,
    report_reopen_submission,
    report_section_save,
    report_start_review,
    report_submit,
)
from demo.submission import sample_sections
from tests.worlds.factories import member

pytestmark = pytest.mark.django_db

T4 = "t4_open_npa"


def fill(report, actor, kind, leave_out=()):
    for key, data in sample_sections(report.direction, kind).items():
        if key in leave_out:
            continue
        row = ReportSection.objects.filter(report=report, key=key).first()
        report_section_save(actor=actor, report=report, key=key, data=data,
                            expected_version=row.version if row else 0)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``with run(): …`` — the step's tasks (assembly, recompute) run when it commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def unit_head(assigned):
    """The Committee's unit head on complaints (closes and reopens complaints reports)."""
    return member(assigned.registry.committee, "assessor_unit_head", "committee_unit_head",
                  direction="complaints")


@pytest.fixture
def akimat(assigned, cycle, schedule, services_register):
    return assigned.registry.akimat


def report(cycle, body, direction):
    return report_get_or_create(cycle=cycle, body=body, direction=direction)


def texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_a_missing_table_is_submitted_only_after_confirmation_and_becomes_one_fact(
        clock, assigned, akimat, cycle, run):
    openness = report(cycle, akimat, "openness")
    fill(openness, assigned.local_submitter, "local", leave_out=(T4,))
    states = {e.key: e.status for e in report_elements(openness)}
    assert states[T4] == "missing" and list(states.values()).count("missing") == 1
    with pytest.raises(ReportIncomplete) as refused:
        report_submit(actor=assigned.local_head, report=openness)
    assert refused.value.code == "confirm_missing"
    assert refused.value.missing == ["Таблица 4. Открытые нормативные правовые акты"]
    assert Report.objects.get(pk=openness.pk).state == "draft"
    assert not IncompletenessFact.objects.exists()

    openness = report_submit(actor=assigned.local_head, report=openness, confirm_missing=True)
    assert (openness.state, openness.version) == ("submitted", 1)
    (fact,) = IncompletenessFact.objects.all()
    assert (fact.element, fact.report_version, fact.direction, fact.origin) == (
        T4, 1, "openness", "submission")
    assert fact.title == "Таблица 4. Открытые нормативные правовые акты"
    log = StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Report),
                                  object_id=openness.pk).latest("pk")
    assert log.by == assigned.local_head and "Таблица 4" in log.description
    # shown to the body and to the assessor
    for user in (assigned.local_head, assigned.assessor_other_direction):
        assert any("неполной информации" in t and "Таблица 4" in t for t in texts(user))
    # the same element of the same version is never recorded twice
    section = next(s for s in element_sections("openness", "local") if s.key == T4)
    assert facts_record(report=openness, sections=[section], actor=None,
                        origin="submission") == []
    assert IncompletenessFact.objects.count() == 1
    # the fact is the openness deduction's, 2 points, before and after acceptance
    report_start_review(actor=assigned.assessor_other_direction, report=openness)
    with run():
        report_accept(actor=assigned.assessor_other_direction, report=openness)
    assert penalty_facts(cycle=cycle, body=akimat)["openness"]["incomplete"] == 1
    si = scoring_input_current(cycle=cycle, body=akimat)
    assert si.case["penalties"]["openness"] == {"unreliable_facts": 0, "incomplete_facts": 1}
    sheet = ScoreSheet.objects.get(body=akimat, direction="openness", is_current=True)
    assert sheet.values["penalty"] == "2.00"


def test_a_partly_filled_section_needs_confirmation_but_is_no_fact(
        clock, assigned, akimat, cycle):
    complaints = report(cycle, akimat, "complaints")
    report_section_save(actor=assigned.local_submitter, report=complaints, key="complaints",
                        data={"fields": {"received": 10}}, expected_version=0)
    (state,) = report_elements(complaints)
    assert state.status == "partial" and any("«Рассмотрено»" in i for i in state.items)
    with pytest.raises(ReportIncomplete) as refused:
        report_submit(actor=assigned.local_head, report=complaints)
    assert refused.value.missing == [] and refused.value.partial
    report_submit(actor=assigned.local_head, report=complaints, confirm_missing=True)
    assert not IncompletenessFact.objects.exists()


def test_closing_a_report_never_submitted(clock, assigned, akimat, cycle, unit_head):
    complaints = report(cycle, akimat, "complaints")
    clock.set_now("2026-01-20T17:00:00")  # the deadline's day: not yet
    with pytest.raises(DomainError) as early:
        report_close_not_submitted(actor=unit_head, report=complaints, reason="Не представлен")
    assert early.value.code == "deadline" and "20.01.2026" in early.value.message
    clock.set_now("2026-01-21T10:00:00")
    with pytest.raises(PermissionDenied):  # an assessor does not close, nor the body
        report_close_not_submitted(actor=assigned.committee_assessor, report=complaints,
                                   reason="x")
    with pytest.raises(PermissionDenied):
        report_close_not_submitted(actor=assigned.local_head, report=complaints, reason="x")
    with pytest.raises(DomainError) as no_reason:
        report_close_not_submitted(actor=unit_head, report=complaints, reason="  ")
    assert no_reason.value.code == "reason"
    closed = report_close_not_submitted(
        actor=unit_head, report=complaints,
        reason="Отчёт не поступил, напоминания оставлены без ответа")
    assert (closed.state, closed.version, closed.closed_by) == ("not_submitted", 1, unit_head)
    log = StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Report),
                                  object_id=closed.pk).latest("pk")
    assert (log.by, log.state) == (unit_head, "not_submitted")
    assert "напоминания" in log.description
    (fact,) = counted_facts(cycle=cycle, body=akimat, direction="complaints")
    assert (fact.element, fact.origin) == ("complaints", "closure")
    for user in (assigned.local_head, assigned.committee_assessor):
        assert any("закрыт как не представленный" in t for t in texts(user))
        assert any("неполной информации" in t for t in texts(user))
    # a submitted report is not "not submitted"
    services = report(cycle, akimat, "services")
    fill(services, assigned.local_submitter, "local")
    report_submit(actor=assigned.local_head, report=services)
    admin = assigned.admin
    with pytest.raises(DomainError) as submitted:
        report_close_not_submitted(actor=admin, report=services, reason="x")
    assert submitted.value.code == "state"


def test_a_closed_direction_waits_for_the_numbers_no_source_holds(
        clock, assigned, akimat, cycle, unit_head, run):
    """Never a silent zero: the closed complaints report's numbers are listed as missing, the
    direction is not scored until the assessor enters them with their source."""
    for direction, reviewer in (("services", assigned.assessor),
                                ("openness", assigned.assessor_other_direction)):
        r = report(cycle, akimat, direction)
        fill(r, assigned.local_submitter, "local")
        report_submit(actor=assigned.local_head, report=r)
        report_start_review(actor=reviewer, report=r)
        with run():
            report_accept(actor=reviewer, report=r)
    clock.set_now("2026-01-22T10:00:00")
    with run():
        report_close_not_submitted(actor=unit_head,
                                   report=report(cycle, akimat, "complaints"),
                                   reason="Не представлен")
    wanted = ["complaints.handled", "complaints.handled_late", "complaints.court_upheld",
              "complaints.received", "complaints.redirected_late",
              "complaints.disciplinary_actions", "complaints.excused"]
    assert [m.path for m in missing_inputs(cycle=cycle, body=akimat)] == wanted
    assert all(m.direction == "complaints" for m in missing_inputs(cycle=cycle, body=akimat))
    si = scoring_input_current(cycle=cycle, body=akimat)
    assert "complaints" not in si.case  # no zeros stand in for the report
    assert not ScoreSheet.objects.filter(body=akimat, direction="complaints",
                                         values__final__isnull=False, is_current=True).exists()
    # wrong inputs are refused with the reason, nothing saved
    with pytest.raises(DomainError) as given:  # the accepted services report gives it
        entered_input_set(actor=assigned.assessor, cycle=cycle, body=akimat,
                          path="services.rendered", value=5, source="x")
    assert given.value.code == "not_missing"
    with pytest.raises(DomainError) as no_source:
        entered_input_set(actor=assigned.committee_assessor, cycle=cycle, body=akimat,
                          path="complaints.received", value=5, source="")
    assert no_source.value.code == "source"
    with pytest.raises(DomainError) as negative:
        entered_input_set(actor=assigned.committee_assessor, cycle=cycle, body=akimat,
                          path="complaints.received", value=-1, source="ЕУО")
    assert negative.value.code == "value"
    with pytest.raises(PermissionDenied):
        entered_input_set(actor=assigned.assessor_other_direction, cycle=cycle, body=akimat,
                          path="complaints.received", value=5, source="ЕУО")
    values = {"received": 900, "handled": 850, "handled_late": 9, "redirected_late": 4,
              "court_upheld": 1, "disciplinary_actions": 5, "excused": 0}
    for name, value in values.items():
        with run():
            entered_input_set(actor=assigned.committee_assessor, cycle=cycle, body=akimat,
                              path=f"complaints.{name}", value=value,
                              source="ИС «Единый учёт обращений», выгрузка Комитета")
    assert missing_inputs(cycle=cycle, body=akimat) == []
    si = scoring_input_current(cycle=cycle, body=akimat)
    assert si.case["complaints"]["received"] == 900
    assert si.sources["complaints.received"]["kind"] == "assessor"
    assert "выгрузка Комитета" in si.sources["complaints.received"]["label"]
    assert si.case["penalties"]["complaints"] == {"unreliable_facts": 0, "incomplete_facts": 1}
    sheet = ScoreSheet.objects.get(body=akimat, direction="complaints", is_current=True)
    assert sheet.values["penalty"] == "2.00"
    assert scoring_values(cycle=cycle, body=akimat).missing == []


def test_every_missing_element_of_a_closed_report_counts_under_the_cap_of_five(
        clock, assigned, akimat, cycle, run):
    openness_head = member(assigned.registry.miod, "assessor_unit_head", "miod_unit_head",
                           direction="openness")
    clock.set_now("2026-01-21T10:00:00")
    with run():
        report_close_not_submitted(actor=openness_head,
                                   report=report(cycle, akimat, "openness"),
                                   reason="Не представлен")
    facts = counted_facts(cycle=cycle, body=akimat, direction="openness")
    assert [f.element for f in facts] == [s.key for s in element_sections("openness", "local")]
    assert len(facts) == 5  # tables 1, 3, 4, 5 and 5-1 of the local form
    assert penalty_facts(cycle=cycle, body=akimat)["openness"]["incomplete"] == 5
    si = scoring_input_current(cycle=cycle, body=akimat)
    assert si.case["penalties"]["openness"]["incomplete_facts"] == 5  # the engine caps: 5.00


def test_reopened_report_submitted_late_replaces_the_closure(
        clock, assigned, akimat, cycle, unit_head, run):
    complaints = report(cycle, akimat, "complaints")
    clock.set_now("2026-01-21T10:00:00")
    report_close_not_submitted(actor=unit_head, report=complaints, reason="Не представлен")
    with pytest.raises(PermissionDenied):
        report_reopen_submission(actor=assigned.local_head, report=complaints, reason="x")
    reopened = report_reopen_submission(actor=unit_head, report=complaints,
                                        reason="Орган представил отчёт с опозданием")
    assert reopened.state == "draft"
    assert any("снова открыт" in t for t in texts(assigned.local_head))
    # until the body submits, the closure's fact still counts
    assert len(counted_facts(cycle=cycle, body=akimat, direction="complaints")) == 1
    clock.set_now("2026-01-26T10:00:00")
    fill(reopened, assigned.local_submitter, "local")
    late = report_submit(actor=assigned.local_head, report=reopened)
    assert (late.version, late.late, late.late_days) == (2, True, 6)
    assert counted_facts(cycle=cycle, body=akimat, direction="complaints") == []
    assert IncompletenessFact.objects.filter(report=late).count() == 1  # kept, not counted
    report_start_review(actor=assigned.committee_assessor, report=late)
    with run():
        report_accept(actor=assigned.committee_assessor, report=late)
    si = scoring_input_current(cycle=cycle, body=akimat)
    assert si.case["penalties"]["complaints"] == {"unreliable_facts": 0, "incomplete_facts": 0}
    assert si.sources["complaints.received"]["kind"] == "report"


def test_no_reopening_once_a_conclusion_is_drafted(clock, assigned, akimat, cycle, unit_head):
    from django.utils import timezone

    from assessments.models import Conclusion

    complaints = report(cycle, akimat, "complaints")
    clock.set_now("2026-01-21T10:00:00")
    report_close_not_submitted(actor=unit_head, report=complaints, reason="Не представлен")
    Conclusion.objects.create(cycle=cycle, body=akimat, direction="complaints", version=1,
                              annex=12, evaluator=assigned.registry.committee, values={},
                              analysis={}, created_by=assigned.committee_assessor,
                              created_at=timezone.now(), updated_at=timezone.now())
    with pytest.raises(DomainError) as refused:
        report_reopen_submission(actor=unit_head, report=complaints, reason="Поздно")
    assert refused.value.code == "conclusion_drafted"
    assert Report.objects.get(pk=complaints.pk).state == "not_submitted"


def test_the_pages_confirm_close_and_ask_for_what_no_source_holds(
        clock, assigned, akimat, cycle, unit_head, run, client):
    from django.urls import reverse

    openness = report(cycle, akimat, "openness")
    fill(openness, assigned.local_submitter, "local", leave_out=(T4,))
    client.force_login(assigned.local_head)
    url = reverse("submission:report_submit", args=[openness.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="missing-elements"' in page and "Таблица 4" in page
    page = client.post(url, {}).content.decode()  # not confirmed: nothing happens
    assert "Подтвердите представление неполного отчёта." in page
    assert Report.objects.get(pk=openness.pk).state == "draft"
    response = client.post(url, {"confirm_missing": "on"})
    assert response.status_code == 302
    assert Report.objects.get(pk=openness.pk).state == "submitted"
    page = client.get(reverse("submission:report_detail", args=[openness.pk])).content.decode()
    assert 'data-testid="incompleteness-facts"' in page and "Таблица 4" in page

    complaints = report(cycle, akimat, "complaints")
    close = reverse("submission:report_close", args=[complaints.pk])
    assert client.get(close).status_code == 403  # the body's head
    clock.set_now("2026-01-21T10:00:00")
    client.force_login(unit_head)
    assert "Жалобы и заявления" in client.get(close).content.decode()
    page = client.post(close, {"reason": ""}).content.decode()
    assert Report.objects.get(pk=complaints.pk).state == "draft" and "errorlist" in page
    with run():
        assert client.post(close, {"reason": "Не представлен"}).status_code == 302
    assert Report.objects.get(pk=complaints.pk).state == "not_submitted"
    assert client.get(close).status_code == 403  # closed: no second closure
    assert client.get(reverse("submission:report_reopen", args=[complaints.pk])
                      ).status_code == 200

    # services accepted so the body has a scoring input; the complaints numbers are asked for
    services = report(cycle, akimat, "services")
    fill(services, assigned.local_submitter, "local")
    report_submit(actor=assigned.local_head, report=services)
    report_start_review(actor=assigned.assessor, report=services)
    with run():
        report_accept(actor=assigned.assessor, report=services)
    client.force_login(assigned.committee_assessor)
    page_url = reverse("scores:scoring_input_page", args=[cycle.code, akimat.pk])
    page = client.get(page_url).content.decode()
    assert 'data-testid="missing-inputs"' in page
    assert 'data-testid="missing-complaints.received"' in page
    with run():
        response = client.post(page_url, {"path": "complaints.received", "value": "900",
                                          "source": "ИС ЕУО, данные Комитета"})
    assert response.status_code == 302
    page = client.get(page_url).content.decode()
    assert 'data-testid="missing-complaints.received"' not in page
    assert 'data-testid="missing-complaints.handled"' in page
    response = client.post(page_url, {"path": "complaints.handled", "value": "5", "source": ""},
                           follow=True)
    assert "Обязательное поле" in response.content.decode() or \
        "Укажите источник" in response.content.decode()
