"""The appeal pages: each renders for the right people and is refused to the others,
forms show their errors next to the fields and keep what was typed, the late filing is refused
with the closing date, and the commission's pages drive the real services."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appeals import services as svc
from appeals.forms import StagedDocument
from appeals.models import NoObjectionNotice, Objection, ObjectionRefusal, RowDocument
from assessments.models import AssessorAssignment, Conclusion
from tests.worlds.appeal_pages import PASSPHRASE, build_pages_world
from tests.worlds.samples import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(clock):
    from reporting.signing.services import issue_demo_credential

    world = build_pages_world()
    issue_demo_credential(world.head, PASSPHRASE)  # the head signs the table they file
    return world


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def _rows(*rows, total=None) -> dict:
    data = {"rows-TOTAL_FORMS": str(total or len(rows)), "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "1", "rows-MAX_NUM_FORMS": "50", "passphrase": PASSPHRASE}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


ROW_K1 = {"subject": "K1", "objection_text": "Опрос проведён по устаревшей выборке."}
ROW_K2 = {"subject": "K2", "objection_text": "Сроки не нарушены: справка прилагается.",
          "input_path": "services.late", "proposed_value": "0"}


def _file(pw, rows=(ROW_K1, ROW_K2)) -> Objection:
    return svc.objection_file(
        conclusion=pw.conclusion, actor=pw.head, passphrase=PASSPHRASE,
        rows=[{"subject": r["subject"], "objection_text": r["objection_text"],
               "input_path": r.get("input_path", ""),
               "proposed_value": int(r["proposed_value"]) if r.get("proposed_value") else None}
              for r in rows],
    )


def _commission(pw):
    return svc.commission_get_or_create(cycle=pw.cycle, evaluator=pw.agency, chair=pw.chair,
                                        secretary=pw.secretary, actor=pw.coordinator)


def _five(pw) -> list:
    return [(pw.chair, "evaluator"), (pw.secretary, "evaluator"), (pw.member, "evaluator"),
            (pw.head, "body"), (pw.working_body, "working_body")]


# --- The body: list, conclusion page, filing ----------------------------------------------------


def test_the_body_sees_its_window_and_what_it_may_do(client, pw):
    c = pw.conclusion
    last_day = c.objection_deadline.strftime("%d.%m.%Y")
    page = _get(client, pw.head, reverse("appeals:appeal_list")).content.decode()
    assert last_day in page
    assert reverse("appeals:objection_file", args=[c.pk]) in page
    assert reverse("appeals:no_objection", args=[c.pk]) in page
    assert "осталось рабочих дней после сегодняшнего: 5" in page

    # the submitter sees the window, but filing and notifying are the head's (p.109, p.112)
    page = _get(client, pw.submitter, reverse("appeals:appeal_list")).content.decode()
    assert last_day in page
    assert reverse("appeals:objection_file", args=[c.pk]) not in page

    # the conclusion's own page offers the same entry points to the head
    page = _get(client, pw.head, reverse("conclusions:conclusion_detail",
                                         args=[c.pk])).content.decode()
    assert 'data-testid="action-object"' in page
    assert 'data-testid="action-no-objection"' in page


def test_the_objection_form_is_the_heads(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    response = _get(client, pw.head, url)
    assert response.status_code == 200
    page = response.content.decode()
    # the subjects are the conclusion's criteria, the inputs the ministry's services inputs
    assert '<option value="K2"' in page and '<option value="services.late"' in page
    assert _get(client, pw.submitter, url).status_code == 403
    assert _get(client, pw.assessor, url).status_code == 403  # sees the conclusion
    assert _get(client, pw.miod_assessor, url).status_code == 404
    assert _get(client, pw.outsider, url).status_code == 404


def test_the_evaluators_conclusion_is_prefilled_read_only(client, pw):
    url = reverse("appeals:evaluator_conclusion", args=[pw.conclusion.pk])
    client.force_login(pw.head)
    response = client.get(url, {"rows-0-subject": "K2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert svc.evaluator_conclusion_for(pw.conclusion, "K2") in response.content.decode()
    assert "Есть нарушения сроков." in response.content.decode()


def test_errors_are_shown_next_to_the_fields_and_nothing_typed_is_lost(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    data = _rows(
        {"subject": "K2", "objection_text": "Первая строка: сроки соблюдены.",
         "input_path": "services.late", "proposed_value": ""},
        {"subject": "", "objection_text": "Вторая строка без критерия."},
    )
    response = _post(client, pw.head, url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'data-testid="error-rows-0-proposed_value">Укажите новое значение для '
                     r"«services.late»", page)
    assert re.search(r'data-testid="error-rows-1-subject">Выберите оспариваемый критерий', page)
    assert "Первая строка: сроки соблюдены." in page
    assert "Вторая строка без критерия." in page
    assert '<option value="services.late" selected' in page
    assert not Objection.objects.exists()

    # the first row is required; a table whose every row was removed is refused as a whole
    response = _post(client, pw.head, url, _rows({"subject": "", "objection_text": ""}))
    assert response.status_code == 400
    assert 'data-testid="error-rows-0-objection_text">Изложите возражение по строке.' in (
        response.content.decode())
    response = _post(client, pw.head, url, _rows({**ROW_K1, "DELETE": "on"}))
    assert response.status_code == 400
    assert "Добавьте в таблицу разногласий хотя бы одну строку." in response.content.decode()


def test_adding_a_row_keeps_the_rows_typed(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    data = _rows(ROW_K1)
    data["add_row"] = "1"
    response = _post(client, pw.head, url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="rows-TOTAL_FORMS" value="2"' in page
    assert ROW_K1["objection_text"] in page
    assert 'data-testid="row-2"' in page
    assert not Objection.objects.exists()


def test_documents_are_checked_and_kept_across_a_failed_submit(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    data = _rows({**ROW_K2, "objection_text": "", "classification": "open"})
    data["rows-0-documents"] = [
        SimpleUploadedFile("spravka.pdf", pdf_bytes("Справка о сроках"), "application/pdf"),
        SimpleUploadedFile("secret.pdf", pdf_bytes("Для служебного пользования"),
                           "application/pdf"),
    ]
    response = _post(client, pw.head, url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "secret.pdf: В тексте документа есть пометка «Для служебного пользования»" in page
    assert "Изложите возражение по строке." in page
    # the accepted document is kept: its token comes back with the form
    tokens = re.findall(r'name="rows-0-staged" value="([^"]+)"', page)
    assert len(tokens) == 1 and "spravka.pdf" in page
    # a token is its person's only (signed with the user's id), and cannot be forged
    assert StagedDocument.from_token(tokens[0], pw.head.pk).name == "spravka.pdf"
    assert StagedDocument.from_token(tokens[0], pw.submitter.pk) is None
    assert StagedDocument.from_token(tokens[0][:-2] + "xx", pw.head.pk) is None

    data = _rows(ROW_K2)
    data["rows-0-staged"] = tokens
    response = _post(client, pw.head, url, data)
    assert response.status_code == 302
    objection = Objection.objects.get(conclusion=pw.conclusion)
    stored = list(RowDocument.objects.filter(row__objection=objection))
    assert [d.original_name for d in stored] == ["spravka.pdf"]
    # the staged copy is gone once the document is stored with its row
    assert not default_storage.exists(f"appeals/staging/{stored[0].sha256}")



def test_filing_puts_the_conclusion_under_appeal(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    response = _post(client, pw.head, url, _rows(ROW_K1, ROW_K2))
    objection = Objection.objects.get(conclusion=pw.conclusion)
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:objection_detail", args=[objection.pk])
    assert Conclusion.objects.get(pk=pw.conclusion.pk).state == "under_appeal"
    rows = list(objection.rows.order_by("number"))
    assert [r.subject.split(".")[0] for r in rows] == ["K1", "K2"]
    assert rows[1].input_path == "services.late" and rows[1].proposed_value == 0
    assert rows[1].evaluator_conclusion  # prefilled from the conclusion
    # the form now leads to the objection
    assert _get(client, pw.head, url)["Location"] == response["Location"]
    # the table as filed is signed by the head: verified on the objection's page
    assert objection.filed_signed_document.signatures.get().signer == pw.head
    page = _get(client, pw.head, response["Location"]).content.decode()
    assert 'data-testid="filed-verification" data-status="valid_trusted"' in page


def test_the_objection_form_asks_for_the_heads_signature(client, pw):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    page = _get(client, pw.head, url).content.decode()
    assert 'name="passphrase"' in page and 'data-testid="credential"' in page
    # a wrong passphrase: refused next to the field, the rows typed kept, nothing filed
    response = _post(client, pw.head, url, {**_rows(ROW_K1, ROW_K2), "passphrase": "wrong"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-passphrase"' in page and ROW_K1["objection_text"] in page
    assert not Objection.objects.exists()
    # no passphrase at all: the field's error
    data = _rows(ROW_K1)
    del data["passphrase"]
    response = _post(client, pw.head, url, data)
    assert response.status_code == 400 and 'data-testid="error-passphrase"' in (
        response.content.decode())
    assert not Objection.objects.exists()


def test_a_late_filing_is_refused_with_the_closing_date(client, pw, clock):
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    last_day = pw.conclusion.objection_deadline
    clock.set_now(f"{(last_day + timedelta(days=1)).isoformat()}T09:00:00")
    response = _get(client, pw.head, url)
    assert response.status_code == 403
    assert f"Срок подачи возражений истёк {last_day:%d.%m.%Y}" in response.content.decode()
    page = _get(client, pw.head, reverse("conclusions:conclusion_detail", args=[pw.conclusion.pk]))
    assert 'data-testid="late-refusal"' in page.content.decode()

    # a table posted after the window reaches the service, which refuses and records it
    response = _post(client, pw.head, url, _rows(ROW_K1))
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="refusal"' in page and f"{last_day:%d.%m.%Y}" in page
    assert ObjectionRefusal.objects.filter(conclusion=pw.conclusion,
                                           attempted_by=pw.head).exists()
    assert not Objection.objects.exists()
    # an incomplete table after the window: the refusal too, not the form's errors — and
    # recorded like any filing attempted after the window (issue item 8), "Добавить строку" too
    refusals = ObjectionRefusal.objects.filter(conclusion=pw.conclusion, attempted_by=pw.head)
    assert refusals.count() == 1
    response = _post(client, pw.head, url, _rows({"subject": "K1", "objection_text": ""}))
    assert response.status_code == 403
    assert 'data-testid="refusal"' in response.content.decode()
    assert refusals.count() == 2
    response = _post(client, pw.head, url, {**_rows(ROW_K1), "add_row": "1"})
    assert response.status_code == 403 and refusals.count() == 3
    assert f"{last_day:%d.%m.%Y}" in response.content.decode()


def test_no_objections_is_confirmed_then_sent(client, pw):
    url = reverse("appeals:no_objection", args=[pw.conclusion.pk])
    response = _get(client, pw.head, url)
    assert response.status_code == 200
    assert "Возражений к результатам операционной оценки не имеем (п.112)." in (
        response.content.decode())
    assert _get(client, pw.submitter, url).status_code == 403
    assert _get(client, pw.outsider, url).status_code == 404
    response = _post(client, pw.head, url, {})
    assert response.status_code == 302
    assert NoObjectionNotice.objects.filter(conclusion=pw.conclusion).exists()
    assert Conclusion.objects.get(pk=pw.conclusion.pk).state == "final"
    # nothing more to do on it
    assert _get(client, pw.head, url).status_code == 403


# --- The objection's page ------------------------------------------------------------------------


def test_the_objection_page_shows_the_table_to_every_party(client, pw):
    objection = _file(pw)
    _commission(pw)
    url = reverse("appeals:objection_detail", args=[objection.pk])
    for user in (pw.head, pw.submitter, pw.assessor, pw.chair, pw.secretary, pw.coordinator,
                 pw.working_body):
        response = _get(client, user, url)
        assert response.status_code == 200, user
        page = response.content.decode()
        assert ROW_K2["objection_text"] in page
        assert objection.decision_due.strftime("%d.%m.%Y") in page
    assert 'data-testid="action-convene"' in _get(client, pw.secretary, url).content.decode()
    assert 'data-testid="action-convene"' not in _get(client, pw.head, url).content.decode()
    for user in (pw.outsider, pw.miod_assessor, pw.local_head):
        assert _get(client, user, url).status_code == 404, user
    pdf = _get(client, pw.head, reverse("appeals:annex14_pdf", args=[objection.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- The commission ------------------------------------------------------------------------------


def test_convening_shows_who_may_not_sit_and_why(client, pw, clock):
    AssessorAssignment.objects.get_or_create(  # the world may have assigned him (issue 16)
        cycle=pw.cycle, body=pw.ministry, direction="services", assessor=pw.assessor,
        defaults={"assigned_at": clock.now()})
    objection = _file(pw)
    _commission(pw)
    url = reverse("appeals:sitting_convene", args=[objection.pk])
    assert _get(client, pw.head, url).status_code == 403
    assert _get(client, pw.outsider, url).status_code == 404
    response = _get(client, pw.secretary, url)
    assert response.status_code == 200
    page = response.content.decode()
    row = re.search(r'data-user="assessor" data-eligible="0".*?</tr>', page, re.S).group(0)
    assert "принимал(а) участие в оценке органа (п.113)" in row
    assert "disabled" in row

    day = clock.today().isoformat()
    few = {"held_on": day, "members": [pw.chair.pk, pw.secretary.pk, pw.head.pk]}
    response = _post(client, pw.secretary, url, few)
    assert response.status_code == 400
    assert "не менее 5" in response.content.decode()

    # the ineligible assessor posted anyway: refused, the reason next to the name
    members = [u.pk for u, _c in _five(pw)] + [pw.assessor.pk]
    response = _post(client, pw.secretary, url, {"held_on": day, "members": members})
    assert response.status_code == 400
    assert "принимал(а) участие в оценке органа" in response.content.decode()

    response = _post(client, pw.secretary, url,
                     {"held_on": day, "members": [u.pk for u, _c in _five(pw)]})
    assert response.status_code == 302
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.state == "under_consideration"
    assert objection.sitting.members.count() == 5
    # while the sitting is planned it may be re-convened: the page starts from its members
    page = _get(client, pw.secretary, url).content.decode()
    assert 'data-testid="reconvene"' in page
    assert len(re.findall(r'name="members" value="\d+" checked', page)) == 5


def test_attendance_votes_and_the_decision(client, pw, clock):
    objection = _file(pw)
    _commission(pw)
    svc.sitting_convene(objection=objection, members=_five(pw), held_on=clock.today(),
                        actor=pw.secretary)
    present = [u.pk for u, _c in _five(pw)]
    response = _post(client, pw.secretary,
                     reverse("appeals:sitting_attendance", args=[objection.pk]),
                     {"present": present})
    assert response.status_code == 302
    url = reverse("appeals:objection_decide", args=[objection.pk])
    assert _get(client, pw.head, url).status_code == 403
    response = _get(client, pw.secretary, url)
    assert response.status_code == 200
    rows = list(objection.rows.order_by("number"))
    assert f'name="row-{rows[0].pk}-no_number_change"' in response.content.decode()

    # row 1 (no input path) accepted without saying it changes no number: refused, kept
    data = {f"row-{r.pk}-reasoning": "Обоснование." for r in rows}
    for pk in present:
        data[f"row-{rows[0].pk}-vote_{pk}"] = "accept"
        data[f"row-{rows[1].pk}-vote_{pk}"] = "reject"
    response = _post(client, pw.secretary, url, data)
    assert response.status_code == 400
    assert "Строка 1 принята, но в ней не указаны исходные данные" in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).state == "under_consideration"

    # a missing vote and a missing reasoning: next to their fields, the rest kept
    data = {f"row-{rows[0].pk}-reasoning": "Выборка соответствует методике."}
    for pk in present:
        data[f"row-{rows[0].pk}-vote_{pk}"] = "reject"
        data[f"row-{rows[1].pk}-vote_{pk}"] = "accept"
    del data[f"row-{rows[1].pk}-vote_{pw.member.pk}"]
    response = _post(client, pw.secretary, url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Отметьте голос члена заседания." in page
    assert "укажите обоснование решения" in page
    assert "Выборка соответствует методике." in page

    data[f"row-{rows[1].pk}-vote_{pw.member.pk}"] = "accept"
    data[f"row-{rows[1].pk}-reasoning"] = "Справка подтверждает соблюдение сроков."
    data[f"row-{rows[1].pk}-applied_value"] = "0"
    response = _post(client, pw.secretary, url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.state == "decided"
    assert [r.decision for r in objection.rows.order_by("number")] == ["rejected", "accepted"]
    page = _get(client, pw.chair, reverse("appeals:objection_detail", args=[objection.pk]))
    assert 'data-testid="action-sign"' in page.content.decode()
    sign = reverse("appeals:objection_sign", args=[objection.pk])
    assert _get(client, pw.chair, sign).status_code == 200
    assert _get(client, pw.secretary, sign).status_code == 403
    response = _post(client, pw.chair, sign, {"passphrase": ""})
    assert response.status_code == 400


def test_forming_the_commission(client, pw):
    url = reverse("appeals:commission_list")
    response = _get(client, pw.coordinator, url)
    assert response.status_code == 200
    assert 'data-testid="commission-form"' in response.content.decode()
    assert 'data-testid="commission-form"' not in _get(client, pw.head, url).content.decode()
    response = _post(client, pw.coordinator, url, {"evaluator": pw.agency.pk,
                                                   "chair": pw.chair.pk,
                                                   "secretary": pw.chair.pk})
    assert response.status_code == 400
    assert "Председатель и секретарь комиссии — разные люди." in response.content.decode()
    response = _post(client, pw.coordinator, url, {"evaluator": pw.agency.pk,
                                                   "chair": pw.chair.pk,
                                                   "secretary": pw.secretary.pk})
    assert response.status_code == 302
    page = _get(client, pw.chair, response["Location"]).content.decode()
    assert str(pw.secretary) in page


# --- The coordinator -----------------------------------------------------------------------------


def test_the_overview_highlights_overdue_decisions(client, pw, clock):
    objection = _file(pw)
    url = reverse("appeals:overview")
    assert _get(client, pw.head, url).status_code == 403
    assert _get(client, pw.chair, url).status_code == 403
    page = _get(client, pw.coordinator, url).content.decode()
    assert objection.decision_due.strftime("%d.%m.%Y") in page
    assert 'data-overdue="1"' not in page
    clock.set_now(f"{(objection.decision_due + timedelta(days=1)).isoformat()}T10:00:00")
    page = _get(client, pw.coordinator, url).content.decode()
    assert 'data-overdue="1"' in page
    assert "Просроченные решения специальных комиссий" in page


def test_home_page_links_the_appeal(client, pw, clock):
    page = _get(client, pw.head, reverse("portal:home")).content.decode()
    assert reverse("appeals:appeal_list") in page
    assert "Направить возражения или уведомление об их отсутствии по заключениям" in page
    assert 'data-testid="nav-appeals"' in page

    objection = _file(pw)
    _commission(pw)
    page = _get(client, pw.secretary, reverse("portal:home")).content.decode()
    assert "Назначить заседание специальной комиссии" in page
    assert "Назначить заседание специальной комиссии" not in _get(
        client, pw.member, reverse("portal:home")).content.decode()
    clock.set_now(f"{(objection.decision_due + timedelta(days=1)).isoformat()}T10:00:00")
    page = _get(client, pw.coordinator, reverse("portal:home")).content.decode()
    assert "Просроченные решения специальных комиссий" in page
    assert reverse("appeals:overview") in page


def test_result_checks_are_opened_and_closed_by_the_working_body(client, pw):
    overview = reverse("appeals:overview")
    assert 'data-testid="check-form"' in _get(client, pw.working_body, overview).content.decode()
    assert 'data-testid="check-form"' not in _get(client, pw.coordinator, overview).content.decode()
    url = reverse("appeals:result_check_open")
    data = {"body": pw.ministry.pk, "direction": "services", "text": "Прошу проверить K1."}
    assert _post(client, pw.coordinator, url, data).status_code == 403

    # while the ministry's services conclusion awaits objections, the check is refused
    response = _post(client, pw.working_body, url, data)
    assert response.status_code == 400
    assert "Процедуры обжалования по органу ещё не завершены" in response.content.decode()
    assert "Прошу проверить K1." in response.content.decode()

    svc.no_objection_notify(conclusion=pw.conclusion, actor=pw.head)
    response = _post(client, pw.working_body, url, data)
    assert response.status_code == 302
    check_url = response["Location"]
    assert _get(client, pw.head, check_url).status_code == 200
    assert _get(client, pw.local_head, check_url).status_code == 404
    response = _post(client, pw.working_body, check_url, {"outcome": ""})
    assert response.status_code == 400
    assert "Изложите результаты проверки." in response.content.decode()
    assert _post(client, pw.head, check_url, {"outcome": "Нарушений нет."}).status_code == 403
    response = _post(client, pw.working_body, check_url, {"outcome": "Результаты подтверждены."})
    assert response.status_code == 302
    page = _get(client, pw.head, check_url).content.decode()
    assert 'data-state="closed"' in page and "Результаты подтверждены." in page


def test_a_final_conclusion_is_handed_over_to_the_agency(client, pw):
    from appeals.models import Handover
    from tests.worlds.appeal_pages import issued_conclusion

    c = issued_conclusion(pw.w, pw.ministry, "openness")
    svc.no_objection_notify(conclusion=c, actor=pw.head)
    handover = Handover.objects.get(conclusion=c)
    page = _get(client, pw.coordinator, reverse("appeals:overview")).content.decode()
    assert handover.due_on.strftime("%d.%m.%Y") in page
    url = reverse("appeals:handover_record", args=[handover.pk])
    assert url in page
    assert _get(client, pw.head, url).status_code == 403
    assert _get(client, pw.outsider, url).status_code == 404
    assert _get(client, pw.miod_assessor, url).status_code == 200
    assert _post(client, pw.miod_assessor, url, {}).status_code == 302
    assert Handover.objects.get(pk=handover.pk).handed_at is not None
    assert _get(client, pw.miod_assessor, url).status_code == 403


def test_the_body_acknowledges_the_signed_table(client, pw, clock):
    from reporting.signing.services import issue_demo_credential

    issue_demo_credential(pw.chair, PASSPHRASE)  # the head has one (the fixture)
    objection = _file(pw, rows=(ROW_K1,))
    _commission(pw)
    sitting = svc.sitting_convene(objection=objection, members=_five(pw),
                                  held_on=clock.today(), actor=pw.secretary)
    present = {u.pk for u, _c in _five(pw)}
    svc.sitting_attendance(sitting=sitting, present=present, actor=pw.secretary)
    row = objection.rows.get()
    svc.objection_decide(objection=Objection.objects.get(pk=objection.pk), actor=pw.secretary,
                         rulings={row.pk: {"reasoning": "Не подтверждено.",
                                           "applied_value": None}},
                         votes={row.pk: {pk: "reject" for pk in present}})
    url = reverse("appeals:objection_acknowledge", args=[objection.pk])
    assert _get(client, pw.head, url).status_code == 403  # nothing to acknowledge yet
    svc.objection_chair_sign(objection=Objection.objects.get(pk=objection.pk), user=pw.chair,
                             passphrase=PASSPHRASE)

    page = _get(client, pw.head, reverse("appeals:objection_detail", args=[objection.pk]))
    assert 'data-testid="action-acknowledge"' in page.content.decode()
    assert _get(client, pw.submitter, url).status_code == 403
    assert _get(client, pw.head, url).status_code == 200
    response = _post(client, pw.head, url, {"passphrase": "wrong-passphrase"})
    assert response.status_code == 400
    assert 'data-testid="error-passphrase"' in response.content.decode()
    response = _post(client, pw.head, url, {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.state == "acknowledged"
    pdf = _get(client, pw.head, reverse("appeals:annex14_pdf", args=[objection.pk]))
    assert pdf.status_code == 200 and pdf["X-Signature-Status"] == "valid_trusted"


def test_a_proposed_value_the_scoring_input_refuses_is_shown_next_to_it(client, pw):
    """Issue item 3: checked at filing against the scoring input, translated, next to the
    field; nothing typed is lost and nothing is filed."""
    url = reverse("appeals:objection_file", args=[pw.conclusion.pk])
    response = _post(client, pw.head, url, _rows(ROW_K1, {**ROW_K2, "proposed_value": "много"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'data-testid="error-rows-1-proposed_value">Значение «много» не подходит '
                     r"для «services.late»", page)
    assert ROW_K1["objection_text"] in page and ROW_K2["objection_text"] in page
    assert 'value="много"' in page
    assert not Objection.objects.exists()
