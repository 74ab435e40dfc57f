"""Objections go to the body that set the score (p.109, p.113; issue 13 item 3).

The automation criterion (K3, annex 5) is set by the digital-government ministry: a central body
objects to it with a table of its own (annex 14, direction "automation") filed — within the
window of its services conclusion (annex 3), which prints K3 — to that ministry, whose special
commission (p.113) rules it. An accepted row gives annex 5 version 2 (version 1 final →
superseded) and then the next version of annex 3 carrying the corrected K3; where the Agency's
commission also corrects annex 3, that one next version carries both decisions.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from appeals import services as appeals
from appeals.models import Objection, ObjectionRefusal
from assessments.conclusions import services as csvc
from assessments.kernel import clock as app_clock
from assessments.kernel.errors import DomainError
from assessments.models import Conclusion, Notification
from reporting.signing.services import issue_demo_credential, signed_document_download
from tests.worlds.appeal_steps import ROW_LATE, everyone
from tests.worlds.conclusion_steps import draft, issued
from tests.worlds.conclusions import PASSPHRASE, person
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db

ROW_AUTOMATION = {
    "subject": "K3. Автоматизация государственных услуг",
    "objection_text": "Четыре вида услуг автоматизированы полностью с 1 октября 2025 года "
                      "(приказ прилагается), учтены как неавтоматизированные.",
    "input_path": "services.automation.fully_automated",
    "proposed_value": 10,
}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-\n", "")).strip()


def printed(value: str) -> str:
    return str(value).replace(".", ",")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def transitions(obj) -> list[str]:
    return list(StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
    ).order_by("timestamp", "pk").values_list("transition", flat=True))


def pdf_of(c: Conclusion) -> str:
    download = signed_document_download(signed_document=c.signed_document)
    assert download.report.status.value == "valid_trusted"
    return flat(pdf_text(download.data))


@pytest.fixture
def chain(aw):
    """The ministry (a central body) with six of ten kinds of services fully automated and no
    stimuli, so that K3 is below 25; its annex 5 issued to the Agency, then its annex 3 issued to
    it on Thursday 19 March 2026 (window to Tuesday 31 March); the digital ministry's special
    commission with its chair, secretary and a member who took no part in the assessment."""
    from assessments.scores.services.scoring_inputs import scoring_input_set
    from assessments.scores.services.sheets import score_body

    w = aw.w
    values = {"services.automation.fully_automated": 6, "services.automation.mobile_available": 6,
              "services.automation.proactive_services": 0,
              "services.automation.digital_documents": 0}
    scoring_input_set(
        cycle=w.cycle, body=w.ministry, values=values,
        sources={p: {"kind": "report", "ref": "", "label": ""} for p in values},
        actor=None, reason="test: automation below the maximum")
    score_body(cycle=w.cycle, body=w.ministry)
    annex5 = issued(w, draft(w, w.ministry, "automation"))
    annex3 = issued(w, draft(w, w.ministry, "services"))
    assert annex5.state == "final" and annex3.state == "issued"
    assert annex3.objection_deadline == date(2026, 3, 31)
    aw.digital_chair = person("digital_chair", w.digital, "commission_chair",
                              full_name="Серикова Дана", position="Вице-министр")
    aw.digital_secretary = person("digital_secretary", w.digital, "commission_secretary")
    aw.digital_member = person("digital_member", w.digital, "commission_member")
    for user in (aw.digital_chair, w.head):
        issue_demo_credential(user, PASSPHRASE)
    return aw, annex5, annex3


def ministry_sitting(aw) -> list:
    """Six members passing p.113 for the ministry's automation objection: the digital
    ministry's chair, secretary and a member (no part in assessing it), the working body's
    representative and two employees of the objecting ministry."""
    return [aw.digital_chair, aw.digital_secretary, aw.digital_member, aw.working_body,
            aw.w.head, aw.w.submitter]


def agency_sitting(aw) -> list:
    return [aw.chair, aw.secretary, aw.member, aw.working_body, aw.w.head, aw.w.submitter]


def file_automation(aw, annex5, rows=None) -> Objection:
    return appeals.objection_file(conclusion=annex5, actor=aw.w.head,
                                  rows=rows or [ROW_AUTOMATION], passphrase=PASSPHRASE)


def rule(aw, o, *, commission, people, choice: str, applied=None) -> Objection:
    """Convene on the day, record attendance, vote every row ``choice`` and decide."""
    secretary = commission.secretary
    sitting = appeals.sitting_convene(objection=o, members=[(u, "") for u in people],
                                      held_on=app_clock.today(), actor=secretary)
    appeals.sitting_attendance(sitting=sitting, present={u.pk for u in people}, actor=secretary)
    rows = list(o.rows.order_by("number"))
    votes = {r.pk: {u.pk: v for u, v in everyone(people, choice).items()} for r in rows}
    rulings = {r.pk: {"reasoning": f"Обоснование по строке {r.number}.",
                      "applied_value": (applied or {}).get(r.number)} for r in rows}
    return appeals.objection_decide(objection=o, actor=secretary, rulings=rulings, votes=votes)


def through(aw, c: Conclusion, *, until: str = "issued") -> Conclusion:
    from tests.worlds.conclusion_steps import people, signed

    c = signed(aw.w, c)
    if until == "signed":
        return c
    return csvc.conclusion_issue(conclusion=c, actor=people(aw.w, c)[0])


def test_an_automation_objection_is_a_table_of_its_own_filed_to_the_digital_ministry(chain):
    aw, annex5, annex3 = chain
    w = aw.w
    # The services table refuses an automation row, naming the ministry (p.109).
    for row in ({**ROW_AUTOMATION},
                {"subject": "K3. Автоматизация государственных услуг",
                 "objection_text": "Балл занижен."}):
        with pytest.raises(DomainError, match="Министерство цифрового развития"):
            appeals.objection_file(conclusion=annex3, actor=w.head, rows=[row],
                                   passphrase=PASSPHRASE)
    assert not Objection.objects.exists() and fresh(annex3).state == "issued"
    # Annex 3's page offers the separate table; annex 5 (the Agency's copy) takes it.
    assert "object_automation" in appeals.conclusion_appeal_actions(w.head, annex3)
    assert appeals.conclusion_appeal_actions(w.head, annex5) == {"object"}
    assert appeals.objection_window(annex5)["last_day"] == date(2026, 3, 31)
    app_clock.set_now("2026-03-27T16:30:00")
    o = file_automation(aw, annex5)
    assert (o.direction, o.evaluator, o.conclusion) == ("automation", w.digital, annex5)
    assert o.filed_on == date(2026, 3, 27) and o.decision_due == date(2026, 4, 11)
    assert o.rows.get().evaluator_conclusion.startswith("K3. Автоматизация")
    # annex 3 prints K3: it goes under appeal; annex 5 stays final until its correction.
    assert fresh(annex3).state == "under_appeal" and fresh(annex5).state == "final"
    # The ministry's automation people hear of it, not the Agency's services people.
    assert Notification.objects.filter(user=w.digital_assessor,
                                       text__contains="Поступили возражения").exists()
    assert not Notification.objects.filter(user=w.assessor,
                                           text__contains="Поступили возражения").exists()
    # The services table can still be filed to the Agency in the same window.
    assert "object" in appeals.conclusion_appeal_actions(w.head, annex3)
    s = appeals.objection_file(conclusion=annex3, actor=w.head, rows=[ROW_LATE],
                               passphrase=PASSPHRASE)
    assert s.evaluator == w.agency and fresh(annex3).state == "under_appeal"
    # One automation table per conclusion.
    with pytest.raises(DomainError, match="уже поданы"):
        file_automation(aw, annex5)


def test_after_the_window_an_automation_objection_is_refused_and_recorded(chain):
    aw, annex5, annex3 = chain
    app_clock.set_now("2026-04-01T09:00:00")
    assert appeals.conclusion_appeal_actions(aw.w.head, annex5) == {"late"}
    with pytest.raises(DomainError, match="31 марта 2026"):
        file_automation(aw, annex5)
    refusal = ObjectionRefusal.objects.get(conclusion=annex5)
    assert refusal.deadline == date(2026, 3, 31) and refusal.attempted_by == aw.w.head
    assert not Objection.objects.exists() and fresh(annex3).state == "issued"


def test_the_ministry_commission_follows_p113(chain):
    aw, annex5, annex3 = chain
    o = file_automation(aw, annex5)
    commission = appeals.commission_get_or_create(
        cycle=aw.cycle, evaluator=aw.digital, chair=aw.digital_chair,
        secretary=aw.digital_secretary, actor=aw.coordinator)
    # The Agency's chair is not the ministry's commission's: he may not convene.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        appeals.sitting_convene(objection=o, members=[(u, "") for u in ministry_sitting(aw)],
                                held_on=app_clock.today(), actor=aw.chair)
    # The ministry's assessor who drafted annex 5 took part in the assessment: refused.
    with pytest.raises(DomainError, match=str(aw.digital_assessor)):
        appeals.sitting_convene(
            objection=o, members=[(u, "") for u in [*ministry_sitting(aw),
                                                    aw.digital_assessor]],
            held_on=app_clock.today(), actor=commission.secretary)
    with pytest.raises(DomainError, match="не менее 5"):
        appeals.sitting_convene(objection=o,
                                members=[(u, "") for u in ministry_sitting(aw)[:4]],
                                held_on=app_clock.today(), actor=commission.secretary)


def test_accepted_by_the_ministry_gives_annex_5_v2_then_annex_3_v2_with_both_decisions(chain):
    aw, annex5, annex3 = chain
    w = aw.w
    k3_before, final_before = annex3.values["K3"], annex3.values["final"]
    app_clock.set_now("2026-03-27T10:00:00")
    automation = file_automation(aw, annex5)
    services = appeals.objection_file(conclusion=annex3, actor=w.head, rows=[ROW_LATE],
                                      passphrase=PASSPHRASE)
    # The commissions sit after the window (2 April): the Agency's first.
    app_clock.set_now("2026-04-02T10:00:00")
    agency = aw.form_commission()
    services = rule(aw, services, commission=agency, people=agency_sitting(aw), choice="accept")
    assert services.outcome == "corrected" and services.correction is None
    # Annex 3's next version waits for the automation objection (one chain, annex 5 first).
    assert not Conclusion.objects.filter(supersedes=annex3).exists()
    assert fresh(annex3).state == "under_appeal"
    ministry = appeals.commission_get_or_create(
        cycle=w.cycle, evaluator=w.digital, chair=aw.digital_chair,
        secretary=aw.digital_secretary, actor=aw.coordinator)
    automation = rule(aw, automation, commission=ministry, people=ministry_sitting(aw),
                      choice="accept")
    assert automation.state == "decided" and automation.outcome == "corrected"
    annex5_v2 = automation.correction
    assert (annex5_v2.direction, annex5_v2.version, annex5_v2.supersedes) == (
        "automation", 2, annex5)
    assert annex5_v2.state == "draft" and annex5_v2.evaluator == w.digital
    k3_after = annex5_v2.values["K3"]
    assert k3_after != k3_before
    assert automation.overall_after_appeal == k3_after
    assert not Conclusion.objects.filter(supersedes=annex3).exists()
    # p.115: annex 5 v2 goes with the ministry's table signed by its chair.
    annex5_v2 = through(aw, annex5_v2, until="signed")
    with pytest.raises(DomainError, match="председателем специальной комиссии"):
        csvc.conclusion_issue(conclusion=annex5_v2, actor=w.digital_assessor)
    appeals.objection_chair_sign(objection=automation, user=aw.digital_chair,
                                 passphrase=PASSPHRASE)
    annex5_v2 = csvc.conclusion_issue(conclusion=annex5_v2, actor=w.digital_assessor)
    assert annex5_v2.state == "final" and fresh(annex5).state == "superseded"
    assert transitions(annex5)[-1] == "supersede_final"
    # The corrected annex 5 reaches the objecting body (p.115) as well as the Agency.
    assert Notification.objects.filter(user=w.head, link__contains=str(annex5_v2.pk)).exists()
    assert Notification.objects.filter(user=w.assessor,
                                       link__contains=str(annex5_v2.pk)).exists()
    # Then annex 3's next version, drafted from the current scores: both decisions in it.
    annex3_v2 = Conclusion.objects.get(supersedes=annex3)
    assert (annex3_v2.version, annex3_v2.state) == (2, "draft")
    assert annex3_v2.values["K3"] == k3_after
    assert annex3_v2.values["final"] != final_before
    assert fresh(services).correction == annex3_v2
    # It is issued with the Agency's table signed by its chair (p.115), like any correction.
    annex3_v2 = through(aw, annex3_v2, until="signed")
    with pytest.raises(DomainError, match="председателем специальной комиссии"):
        csvc.conclusion_issue(conclusion=annex3_v2, actor=w.assessor)
    appeals.objection_chair_sign(objection=services, user=aw.chair, passphrase=PASSPHRASE)
    annex3_v2 = csvc.conclusion_issue(conclusion=annex3_v2, actor=w.assessor)
    assert annex3_v2.state == "final" and fresh(annex3).state == "superseded"
    # Every version kept: annex 5 v1 superseded, v2 final; annex 3 v1 superseded, v2 final.
    assert list(Conclusion.objects.filter(body=w.ministry, direction="automation")
                .order_by("version").values_list("version", "state")) == [
        (1, "superseded"), (2, "final")]
    assert list(Conclusion.objects.filter(body=w.ministry, direction="services")
                .order_by("version").values_list("version", "state")) == [
        (1, "superseded"), (2, "final")]
    # The PDFs: annex 5 v2 and annex 3 v2 print the corrected K3, the old ones the old one.
    assert printed(k3_after) in pdf_of(annex5_v2)
    text3 = pdf_of(annex3_v2)
    assert printed(k3_after) in text3 and printed(annex3_v2.values["final"]) in text3
    assert printed(k3_before) in pdf_of(fresh(annex5))
    # The completed annex 14 names the automation criterion and prints the K3 after appeal.
    appeals.objection_acknowledge(objection=fresh(automation), user=w.head,
                                  passphrase=PASSPHRASE)
    automation = fresh(automation)
    assert automation.state == "acknowledged"
    table = signed_document_download(signed_document=automation.table_document)
    assert table.report.status.value == "valid_trusted"
    table_text = flat(pdf_text(table.data))
    assert "Автоматизация государственных услуг" in table_text
    assert printed(k3_after) in table_text
    # filed by the head's completed signature, then heard, decided, signed, acknowledged
    assert transitions(automation) == ["file", "start_consideration", "decide", "sign_by_chair",
                                       "acknowledge"]


def test_a_rejected_automation_objection_lets_annex_3_become_final(chain):
    aw, annex5, annex3 = chain
    w = aw.w
    automation = file_automation(aw, annex5)
    app_clock.set_now("2026-04-02T10:00:00")
    ministry = appeals.commission_get_or_create(
        cycle=w.cycle, evaluator=w.digital, chair=aw.digital_chair,
        secretary=aw.digital_secretary, actor=aw.coordinator)
    automation = rule(aw, automation, commission=ministry, people=ministry_sitting(aw),
                      choice="reject")
    assert automation.outcome == "confirmed" and automation.correction is None
    assert automation.overall_after_appeal == annex5.values["K3"]
    assert fresh(annex5).state == "final" and fresh(annex3).state == "final"
    assert not Conclusion.objects.filter(supersedes__in=[annex3, annex5]).exists()


def test_a_decision_within_the_window_waits_for_it_to_close(chain):
    """The Agency decides while annex 3's window is still open: a table to the ministry may
    still come, so the correction waits; the hourly job drafts it once the window closed."""
    aw, annex5, annex3 = chain
    w = aw.w
    app_clock.set_now("2026-03-20T10:00:00")
    services = appeals.objection_file(conclusion=annex3, actor=w.head, rows=[ROW_LATE],
                                      passphrase=PASSPHRASE)
    services = rule(aw, services, commission=aw.form_commission(), people=agency_sitting(aw),
                    choice="accept")
    assert services.outcome == "corrected"
    assert not Conclusion.objects.filter(supersedes=annex3).exists()
    assert appeals.services_chains_job(today=date(2026, 3, 31)) == {"settled": 0}
    app_clock.set_now("2026-04-01T01:00:00")
    assert appeals.services_chains_job() == {"settled": 1}
    v2 = Conclusion.objects.get(supersedes=annex3)
    assert fresh(services).correction == v2 and v2.values["K3"] == annex3.values["K3"]
    assert appeals.services_chains_job() == {"settled": 0}  # idempotent
    assert app_clock.today() - timedelta(days=1) == annex3.objection_deadline


def test_the_body_files_the_automation_table_from_its_pages(client, chain):
    from django.urls import reverse

    aw, annex5, annex3 = chain
    w = aw.w
    client.force_login(w.head)
    page = client.get(reverse("conclusions:conclusion_detail", args=[annex3.pk])).content.decode()
    url5 = reverse("appeals:objection_file", args=[annex5.pk])
    assert 'data-testid="action-object-automation"' in page and url5 in page
    listing = client.get(reverse("appeals:appeal_list")).content.decode()
    assert f'data-conclusion="{annex5.pk}"' in listing and url5 in listing
    assert "Возражения направляются: Министерство цифрового развития" in listing
    # annex 5's table offers the automation inputs and criteria only; annex 3's none of them.
    form5 = client.get(url5).content.decode()
    assert 'value="services.automation.fully_automated"' in form5
    assert 'value="services.late"' not in form5 and 'value="K3"' in form5
    form3 = client.get(reverse("appeals:objection_file", args=[annex3.pk])).content.decode()
    assert 'value="services.late"' in form3
    assert "services.automation." not in form3 and 'value="K3"' not in form3
    data = {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "1",
            "rows-MAX_NUM_FORMS": "50", "passphrase": PASSPHRASE,
            "rows-0-subject": "K3", "rows-0-objection_text": ROW_AUTOMATION["objection_text"],
            "rows-0-input_path": "services.automation.fully_automated",
            "rows-0-proposed_value": "10"}
    response = client.post(url5, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    o = Objection.objects.get(conclusion=annex5)
    assert (o.direction, o.evaluator) == ("automation", w.digital)
    assert o.rows.get().proposed_value == 10
    page = client.get(reverse("conclusions:conclusion_detail", args=[annex3.pk])).content.decode()
    assert 'data-testid="automation-objection-link"' in page
    assert reverse("appeals:objection_detail", args=[o.pk]) in page
    # The ministry's automation assessor sees it; the Agency's services assessor does not.
    client.force_login(w.digital_assessor)
    assert client.get(reverse("appeals:objection_detail", args=[o.pk])).status_code == 200
    client.force_login(w.assessor)
    assert client.get(reverse("appeals:objection_detail", args=[o.pk])).status_code == 404
