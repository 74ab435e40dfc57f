"""An appeal in the browser (p.109–115): the ministry's head files a disagreement table with two
rows (one with a supporting document and a proposed input value), the Agency's commission
secretary convenes a sitting of five eligible members (the assessor who assessed the ministry is
shown as ineligible, with the reason), records their attendance, rules one row accepted and one
rejected with each member's vote, the chair signs the completed table with a passphrase."""

from __future__ import annotations

import pytest

from appeals.models import Objection
from assessments.models import AssessorAssignment, Conclusion
from reporting.signing import ca
from tests.worlds.appeal_pages import PASSPHRASE, build_pages_world
from tests.worlds.samples import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-pass-2026"


@pytest.fixture
def pw(settings, clock, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ca.demo_ca(tmp_path)
    settings.SIGNING_CA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / ca.ROOT_CERT)]
    world = build_pages_world()
    from appeals import services as svc
    from reporting.signing.services import issue_demo_credential

    for user in (world.head, world.secretary, world.chair):
        user.set_password(PASSWORD)
        user.save()
    issue_demo_credential(world.chair, PASSPHRASE)
    issue_demo_credential(world.head, PASSPHRASE)  # the head signs the table filed
    AssessorAssignment.objects.get_or_create(cycle=world.cycle, body=world.ministry,
                                      direction="services", assessor=world.assessor,
                                      defaults={"assigned_at": clock.now()})
    svc.commission_get_or_create(cycle=world.cycle, evaluator=world.agency, chair=world.chair,
                                 secretary=world.secretary, actor=world.coordinator)
    return world


def login(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def test_an_objection_from_filing_to_the_chairs_signature(page, pw, tmp_path, tasks_in_process):
    c = pw.conclusion
    # The ministry's head sees the window on the "Обжалование" page and starts the table.
    login(page, pw.head)
    page.get_by_test_id("nav-appeals").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("window-last-day").first.inner_text() == (
        c.objection_deadline.strftime("%d.%m.%Y"))
    page.get_by_test_id(f"object-{c.pk}").click()
    page.wait_for_load_state()

    # Row 1: the criterion chosen, the evaluator's conclusion appears (htmx), the objection.
    page.select_option('[name="rows-0-subject"]', "K1")
    page.get_by_test_id("row-1").get_by_test_id("evaluator-conclusion").filter(
        has_text="Удовлетворённость высокая.").wait_for()
    page.fill('[name="rows-0-objection_text"]', "Опрос проведён по устаревшей выборке.")
    # Row 2, added without losing row 1: the input, the value claimed, a document.
    page.get_by_test_id("add-row").click()
    page.wait_for_load_state()
    assert page.input_value('[name="rows-0-objection_text"]') == (
        "Опрос проведён по устаревшей выборке.")
    page.select_option('[name="rows-1-subject"]', "K2")
    page.fill('[name="rows-1-objection_text"]', "Сроки не нарушены: справка прилагается.")
    page.select_option('[name="rows-1-input_path"]', "services.late")
    page.fill('[name="rows-1-proposed_value"]', "0")
    document = tmp_path / "spravka.pdf"
    document.write_bytes(pdf_bytes("Справка о соблюдении сроков"))
    page.set_input_files('[name="rows-1-documents"]', str(document))
    page.select_option('[name="rows-1-classification"]', "open")
    # The head signs the table as filed with the key's passphrase (issue item 2).
    assert page.get_by_test_id("credential").is_visible()
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_test_id("file").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "filed"
    assert page.get_by_test_id("filed-verification").get_attribute("data-status") == (
        "valid_trusted")
    assert page.get_by_test_id("row").count() == 2
    assert page.get_by_test_id("document").inner_text() == "spravka.pdf"
    objection = Objection.objects.get(conclusion=c)
    assert Conclusion.objects.get(pk=c.pk).state == "under_appeal"

    # The commission's secretary convenes five members; the assessor may not sit (p.113).
    login(page, pw.secretary)
    page.goto(f"/appeals/objections/{objection.pk}/")
    page.get_by_test_id("action-convene").click()
    page.wait_for_load_state()
    assessor = page.locator('[data-testid="candidate"][data-user="assessor"]')
    assert "принимал(а) участие в оценке органа" in assessor.get_by_test_id("reason").inner_text()
    assert page.get_by_test_id("member-assessor").is_disabled()
    five = [pw.chair, pw.secretary, pw.member, pw.head, pw.working_body]
    for user in five:
        page.get_by_test_id(f"member-{user.username}").check()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "under_consideration"
    assert page.get_by_test_id("member").count() == 5

    # Attendance: all five present.
    page.get_by_test_id("action-attendance").click()
    page.wait_for_load_state()
    for user in five:
        page.get_by_test_id(f"present-{user.username}").check()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()

    # The ruling: row 1 rejected, row 2 accepted (four for, the chair against), reasoning each.
    page.get_by_test_id("action-decide").click()
    page.wait_for_load_state()
    for user in five:
        page.get_by_test_id(f"vote-1-{user.username}-reject").check()
        choice = "reject" if user == pw.chair else "accept"
        page.get_by_test_id(f"vote-2-{user.username}-{choice}").check()
    page.get_by_test_id("ruling-1").get_by_label("Обоснование решения").fill(
        "Выборка соответствует методике.")
    page.get_by_test_id("ruling-2").get_by_label("Обоснование решения").fill(
        "Справка подтверждает соблюдение сроков.")
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "decided"
    decisions = [row.get_attribute("data-decision")
                 for row in page.get_by_test_id("row").all()]
    assert decisions == ["rejected", "accepted"]
    assert page.get_by_test_id("outcome").get_attribute("data-outcome") == "corrected"

    # The chair signs the completed table with the key's passphrase.
    login(page, pw.chair)
    page.goto(f"/appeals/objections/{objection.pk}/")
    page.get_by_test_id("action-sign").click()
    page.wait_for_load_state()
    page.get_by_label("Пароль к ключу подписи").fill("wrong-passphrase")
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("error-passphrase").is_visible()
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "signed_by_chair"
    assert page.get_by_test_id("verification").get_attribute("data-status") == "valid_trusted"
    with page.expect_download() as download:
        page.get_by_test_id("annex14").click()
    assert download.value.suggested_filename.endswith(".pdf")
