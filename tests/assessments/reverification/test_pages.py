"""The pages: selection, the assessor's workspace, the body's page, the act and its PDF, the list
(query count pinned at two sizes) and the home page's to-dos."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import (
    ConfirmingDocument,
    DocumentRequest,
    Finding,
    Reverification,
    RiskMethod,
)
from assessments.reverification.services import (
    document_request_create,
    findings_complete,
    reconciliation_act_issue,
    reverification_select,
)
from tests.worlds.factories import LocalBodyFactory
from tests.worlds.reverification import PASSPHRASE, confirming_upload_checked, record, upload

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(name, args=args)


# --- selection -----------------------------------------------------------------------------------

def test_the_selection_page_shows_the_method_the_ranking_and_picks(personas, cycle2025, client):
    client.force_login(personas.assessor)
    url = _url("reverification:reverification_selection", "2025", "services")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "не входит в исходные материалы" in html  # the official method is not in the seed
    assert "Штрафные баллы прошлого цикла" in html and 'data-testid="weight-score_jump"' in html
    assert len(page.context["ranking"]) == 5
    assert "Изменить веса" not in html  # the assessor does not edit the weights
    ministry = personas.registry.ministry
    response = client.post(url, {"form": "pick", "body": ministry.pk, "reason": ""})
    assert response.status_code == 302
    rv = Reverification.objects.get(body=ministry)
    assert rv.basis == "risk" and rv.selected_by == personas.assessor
    # a seed sent with the form is ignored: the server makes it (issue 16)
    response = client.post(url, {"form": "sample", "size": 1, "seed": "abc", "reason": ""})
    assert response.status_code == 302
    assert Reverification.objects.filter(basis="sample").count() == 1
    sample = Reverification.objects.get(basis="sample").sample
    assert sample.seed != "abc" and len(sample.seed) == 32
    assert sample.seed in client.get(url).content.decode()
    assert client.post(url, {"form": "weights", "sample_size": 1, "revision": 0}).status_code == 403


def test_weights_are_edited_by_the_unit_head_and_errors_keep_the_input(personas, cycle2025,
                                                                        client):
    client.force_login(personas.unit_head)
    url = _url("reverification:reverification_selection", "2025", "services")
    data = {"form": "weights", "w_previous_penalties": "0,5", "w_report_discipline": "x",
            "w_score_jump": "0.2", "w_unconfirmed_share": "0.3", "sample_size": 2,
            "revision": 0, "reason": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["weights_form"]
    assert form.errors["w_report_discipline"] == ["Введите число, например 0.25."]
    assert 'value="0,5"' in response.content.decode()  # nothing typed is lost
    assert not RiskMethod.objects.exists()
    response = client.post(url, data | {"w_report_discipline": "0.1"})
    assert response.status_code == 302
    assert RiskMethod.objects.get().weights["previous_penalties"] == "0.5"
    stale = client.post(url, data | {"w_report_discipline": "0.4"})  # revision 0 again
    assert "другой пользователь" in stale.content.decode()


@pytest.mark.parametrize("who, status", [
    ("submitter", 404), ("assessor_other_direction", 404), ("outsider", 404),
    ("coordinator", 200), ("signatory", 200),
])
def test_who_opens_the_selection_page(personas, cycle2025, client, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(_url("reverification:reverification_selection", "2025",
                           "services")).status_code == status
    assert client.get(_url("reverification:reverification_selection", "2025",
                           "automation")).status_code == 404


# --- the workspace -------------------------------------------------------------------------------

def test_a_dsp_request_is_refused_on_the_page_and_nothing_typed_is_lost(personas, selected,
                                                                          client):
    client.force_login(personas.assessor)
    url = _url("reverification:reverification_detail", selected.pk)
    response = client.post(url, {"form": "request", "document_kind": "protocol",
                                 "title": "Протоколы", "classification": "dsp",
                                 "working_days": 5})
    assert response.status_code == 200
    assert "не запрашиваются (п.16)" in response.content.decode()
    assert 'value="Протоколы"' in response.content.decode()
    # the form offers no restricted classification at all
    options = dict(response.context["request_form"].fields["classification"].choices)
    assert set(options) == {"open", "internal"}
    response = client.post(url, {"form": "request", "document_kind": "protocol",
                                 "title": "Протоколы ДСП", "classification": "open",
                                 "working_days": 5})
    assert "«ДСП»" in response.content.decode()
    assert not DocumentRequest.objects.exists()


def test_the_assessor_records_a_finding_and_sees_the_running_deduction(personas, selected,
                                                                        client):
    client.force_login(personas.assessor)
    url = _url("reverification:reverification_detail", selected.pk)
    response = client.post(url, {"form": "finding", "kind": "incomplete",
                                 "description": "Нет таблицы 3", "report_section": "",
                                 "origin": "submitted"})
    assert response.status_code == 200 and not Finding.objects.exists()
    assert response.context["finding_form"].errors["report_section"]
    assert "Нет таблицы 3" in response.content.decode()
    for _ in range(3):
        response = client.post(url, {"form": "finding", "kind": "incomplete",
                                     "description": "Нет таблицы 3",
                                     "report_section": "Таблица 3", "origin": "submitted"})
        assert response.status_code == 302
    page = client.get(url)
    assert page.context["deduction"].value == 5 and page.context["deduction"].capped
    assert 'data-testid="deduction-value">5,00<' in page.content.decode()


def test_the_body_cannot_post_the_evaluators_forms(personas, selected, client):
    client.force_login(personas.head)
    url = _url("reverification:reverification_detail", selected.pk)
    assert client.post(url, {"form": "finding", "kind": "unreliable", "description": "x",
                             "report_section": "y", "origin": "submitted"}).status_code == 403
    assert not Finding.objects.exists()


# --- the body's page -----------------------------------------------------------------------------

def test_the_body_uploads_on_its_page_and_a_stamped_file_is_refused(
    personas, selected, client, clean_pdf, stamped_pdf, django_capture_on_commit_callbacks
):
    """The body's uploads wait in quarantine (issue 16): the uploader sees "Проверяется", the
    assessor only that a document is being checked; a stamped one is refused by the check and
    shown to the uploader with the reason; a clean one reaches the assessor."""
    request = document_request_create(
        actor=personas.assessor, reverification=selected, document_kind="letter",
        title="Письма в адрес услугополучателей", classification="open")
    client.force_login(personas.submitter)
    url = _url("reverification:reverification_detail", selected.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Письма в адрес услугополучателей" in page.content.decode()
    assert "Выявленные факты" not in page.content.decode()  # the evaluator's working papers
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"form": "upload", "request": request.pk,
                                     "classification": "open", "file": upload(stamped_pdf)})
    assert response.status_code == 302
    assert not ConfirmingDocument.objects.exists()  # refused by its check, deleted
    page = client.get(url).content.decode()
    assert 'data-testid="refused-upload"' in page and "Для служебного пользования" in page
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"form": "upload", "request": request.pk,
                                     "classification": "open", "file": upload(clean_pdf)})
    assert response.status_code == 302
    document = ConfirmingDocument.objects.get()
    assert 'data-state="quarantine"' in client.get(url).content.decode()
    client.force_login(personas.assessor)
    assert client.get(_url("reverification:reverification_document_file",
                           document.pk)).status_code == 404  # nobody but the uploader
    assert 'data-testid="documents-checking"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    download = client.get(_url("reverification:reverification_document_file", document.pk))
    assert download.status_code == 200 and download.content == clean_pdf


def test_a_body_cannot_see_another_bodys_reverification(personas, selected, client):
    for user in (personas.other_submitter, personas.local_head, personas.outsider,
                 personas.assessor_other_direction):
        client.force_login(user)
        assert client.get(_url("reverification:reverification_detail",
                               selected.pk)).status_code == 404
    client.force_login(personas.other_submitter)
    listing = client.get(_url("reverification:reverification_list")).content.decode()
    assert selected.body.name_ru not in listing


# --- the act -------------------------------------------------------------------------------------

def test_the_act_page_signs_and_shows_each_signatures_status(personas, selected, credentials,
                                                             client):
    record(selected, personas.assessor, "unreliable", 2)
    findings_complete(actor=personas.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    url = _url("reverification:reverification_act", act.pk)
    client.force_login(personas.head)
    page = client.get(url)
    assert page.context["form"] is None and "ваша подпись — после него" in page.content.decode()
    client.force_login(personas.assessor)
    assert "remarks" not in client.get(url).context["form"].fields
    wrong = client.post(url, {"passphrase": "wrong"})
    assert wrong.status_code == 200 and "Неверный пароль" in wrong.content.decode()
    assert client.post(url, {"passphrase": PASSPHRASE}).status_code == 302
    client.force_login(personas.head)
    assert "remarks" in client.get(url).context["form"].fields
    response = client.post(url, {"passphrase": PASSPHRASE, "remarks": "Факт 2 оспариваем"})
    assert response.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert page.context["status"].report.status == "valid_trusted"
    assert html.count('data-signed="yes"') == 2 and 'data-status="valid_trusted"' in html
    assert "Факт 2 оспариваем" in html
    assert personas.head.full_name in html and personas.assessor.full_name in html
    pdf = client.get(_url("reverification:reverification_act_pdf", act.pk))
    assert pdf.status_code == 200 and pdf["X-Signature-Status"] == "valid_trusted"
    assert pdf["X-Signature-Count"] == "2" and pdf.content.startswith(b"%PDF-")
    unsigned = client.get(_url("reverification:reverification_act_pdf", act.pk) + "?order=0")
    assert unsigned["X-Signature-Status"] == "unsigned"
    assert client.get(_url("reverification:reverification_act_pdf",
                           act.pk) + "?order=7").status_code == 404
    client.force_login(personas.other_submitter)
    assert client.get(url).status_code == 404
    assert client.get(_url("reverification:reverification_act_pdf", act.pk)).status_code == 404


def test_transitions_have_a_confirmation_page(personas, selected, client):
    client.force_login(personas.assessor)
    url = _url("reverification:reverification_action", selected.pk, "complete")
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 302
    assert Reverification.objects.get(pk=selected.pk).state == "findings_recorded"
    assert client.get(_url("reverification:reverification_action", selected.pk,
                           "unknown")).status_code == 404
    client.force_login(personas.head)
    assert client.get(_url("reverification:reverification_action", selected.pk,
                           "issue")).status_code == 403


# --- the list and the to-dos ---------------------------------------------------------------------

def _many(personas, cycle, n):
    from assessments.registry.services.evaluators import evaluator_rules_seed

    bodies = [LocalBodyFactory() for _ in range(n)]
    evaluator_rules_seed()
    for body in bodies:
        reverification_select(actor=personas.assessor, cycle=cycle, body=body,
                              direction="services", evaluator=personas.registry.agency)


def test_the_list_keeps_its_query_count_flat(personas, cycle2025, client,
                                             django_assert_num_queries):
    client.force_login(personas.assessor)
    url = _url("reverification:reverification_list")
    _many(personas, cycle2025, 2)
    client.get(url)  # warm the caches (sessions, content types)
    with django_assert_num_queries(9) as small:
        assert len(client.get(url).context["page"].object_list) == 2
    _many(personas, cycle2025, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"].object_list) == 10


def _fresh_act(act):
    from assessments.models import ReconciliationAct

    return ReconciliationAct.objects.get(pk=act.pk)


def test_home_page_to_dos_follow_the_reverification(personas, selected, credentials, client,
                                                    clean_pdf):
    def todos(user):
        client.force_login(user)
        return {t.title: t for t in client.get(reverse("portal:home")).context["todos"]}

    request = document_request_create(actor=personas.assessor, reverification=selected,
                                      document_kind="letter", title="Письма",
                                      classification="open")
    item = todos(personas.submitter)["Представить документы по запросам перепроверки"]
    assert (item.count, item.due_on) == (1, request.due_on)
    assert "Представить документы по запросам перепроверки" not in todos(personas.other_submitter)

    confirming_upload_checked(actor=personas.submitter, request=request,
                              upload=upload(clean_pdf), original_name="p.pdf",
                              classification="open")
    received = todos(personas.assessor)["Рассмотреть документы, представленные на перепроверку"]
    assert received.count == 1
    findings_complete(actor=personas.assessor, reverification=selected)
    act = reconciliation_act_issue(actor=personas.assessor, reverification=selected)
    assert todos(personas.assessor)["Подписать акт сверки"].count == 1
    assert "Подписать акт сверки" not in todos(personas.head)
    from assessments.reverification.services import reconciliation_act_sign

    reconciliation_act_sign(actor=personas.assessor, act=act, passphrase=PASSPHRASE)
    assert "Подписать акт сверки" not in todos(personas.assessor)
    head_item = todos(personas.head)["Подписать акт сверки или внести замечания"]
    assert (head_item.count, head_item.due_on) == (1, _fresh_act(act).body_sign_due_on)
    assert head_item.due_on is not None
    assert "Подписать акт сверки или внести замечания" not in todos(personas.submitter)


def test_the_selection_page_keeps_its_query_count_flat(personas, cycle2025, client,
                                                       django_assert_num_queries):
    from assessments.registry.services.evaluators import evaluator_rules_seed

    client.force_login(personas.assessor)
    url = _url("reverification:reverification_selection", "2025", "services")
    client.get(url)
    with django_assert_num_queries(17) as small:
        assert len(client.get(url).context["ranking"]) == 5
    for _ in range(12):
        LocalBodyFactory()
    evaluator_rules_seed()
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["ranking"]) == 17
