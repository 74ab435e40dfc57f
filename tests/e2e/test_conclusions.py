"""A conclusion from draft to issued in the browser, by the right people in the right order:
the assessor drafts and writes it, the head of the unit approves, the Agency's deputy chair signs
first and the head of the unit second (annex 4), the assessor issues, the body sees its window."""

from __future__ import annotations

import pytest

from assessments.models import AssessorAssignment, Conclusion
from reporting.signing import ca
from tests.worlds.conclusions import PASSPHRASE, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-pass-2026"


@pytest.fixture
def world(settings, clock, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ca.demo_ca(tmp_path)
    settings.SIGNING_CA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / ca.ROOT_CERT)]
    w = build_world()
    from reporting.signing.services import issue_demo_credential

    for user in (w.assessor, w.unit_head, w.deputy, w.local_head):
        user.set_password(PASSWORD)
        user.save()
    for user in (w.deputy, w.unit_head):
        issue_demo_credential(user, PASSPHRASE)
    AssessorAssignment.objects.get_or_create(cycle=w.cycle, body=w.akimat, direction="services",
                                      assessor=w.assessor, defaults={"assigned_at": clock.now()})
    return w


def login(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def open_conclusion(page, c: Conclusion) -> None:
    page.goto(f"/conclusions/{c.pk}/")
    page.wait_for_load_state()


def test_a_conclusion_from_draft_to_issued(page, world):
    w = world
    # The assessor drafts from the assignment, writes the analysis and submits.
    login(page, w.assessor)
    page.goto("/conclusions/")
    page.get_by_test_id(f"draft-{w.akimat.pk}-services").click()
    page.wait_for_load_state()
    c = Conclusion.objects.get(body=w.akimat, direction="services")
    assert page.get_by_test_id("state").get_attribute("data-state") == "draft"
    assert page.get_by_test_id("score-final").inner_text() == c.values["final"].replace(".", ",")
    # Each row labelled by the services direction (annex 4), not by openness' P1/P2.
    assert page.get_by_test_id("label-T1").inner_text() == (
        "T1 Соблюдение сроков оказания государственных услуг")
    assert "Открытые данные" not in page.get_by_test_id("scores").inner_text()
    page.get_by_label("Удовлетворенность услугополучателей качеством оказания "
                      "государственных услуг").fill("Удовлетворённость высокая.")
    page.get_by_label("Обеспечение качества оказания государственных услуг").fill(
        "Есть нарушения сроков.")
    page.get_by_label("Выводы и рекомендации").fill("Сократить сроки оказания услуг.")
    page.get_by_test_id("save-submit").click()
    page.wait_for_load_state()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "in_review"
    assert page.get_by_test_id("editor").count() == 0

    # The head of the unit finds it in the review queue and approves.
    login(page, w.unit_head)
    page.goto("/conclusions/review/")
    page.get_by_test_id("queue").get_by_role("link").first.click()
    page.wait_for_load_state()
    page.get_by_test_id("action-approve").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "approved"
    # The head of the unit signs second: no signing action before the deputy chair signed.
    assert page.get_by_test_id("action-sign").count() == 0

    # The deputy chair signs first, from the signing queue.
    login(page, w.deputy)
    page.goto("/conclusions/signing/")
    page.get_by_test_id(f"sign-{c.pk}").click()
    page.wait_for_load_state()
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("verification").get_attribute("data-status") == "valid_trusted"

    # Then the head of the unit.
    login(page, w.unit_head)
    open_conclusion(page, c)
    page.get_by_test_id("action-sign").click()
    page.wait_for_load_state()
    page.get_by_label("Пароль к ключу подписи").fill(PASSPHRASE)
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "signed"

    # The assessor issues it to the body.
    login(page, w.assessor)
    open_conclusion(page, c)
    page.get_by_test_id("action-issue").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("state").get_attribute("data-state") == "issued"

    c = Conclusion.objects.get(pk=c.pk)
    signers = [s.signer for s in c.signed_document.signatures.order_by("order")]
    assert signers == [w.deputy, w.unit_head]

    # The body sees the conclusion, its window's last day and the time left, and downloads it.
    login(page, w.local_head)
    page.goto("/conclusions/")
    page.get_by_test_id("conclusions").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("deadline").inner_text() == "31.03.2026"
    assert page.get_by_test_id("time-left").is_visible()
    assert page.get_by_test_id("verification").get_attribute("data-status") == "valid_trusted"
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename.endswith(".pdf")
