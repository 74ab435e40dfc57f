"""Signing through NCALayer in Chromium: the real sign pages, the vendored ``ncalayer-js-client``
and an NCALayer simulator (tests/worlds/ncalayer.py: TLS websocket on 127.0.0.1:13579, a key in
the national CA's subject layout). The Agency's deputy chair signs one conclusion on its sign
page, then five at once from the signing queue (one NCALayer session, one PIN prompt); the key
and any passphrase never reach the server (every request the page sends is checked); NCALayer
not running, a cancelled dialog and another person's key are shown as such and store nothing.
Each stored PDF verifies intact and trusted, shows its stamp, and passes poppler's ``pdfsig``.
"""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from assessments.kernel.validators import make_iin
from assessments.models import AssessorAssignment, Conclusion
from reporting.models import Signature, SigningCredential
from reporting.signing import ca
from reporting.signing.services import signed_document_verify
from tests.worlds.conclusion_steps import approved, draft
from tests.worlds.conclusions import build_world, org, reports_accepted
from tests.worlds.ncalayer import kazakh_certificate
from tests.worlds.pdfcheck import pdfsig_report

pytestmark = [pytest.mark.browser, pytest.mark.pdfsig, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-pass-2026"
DEPUTY_IIN = make_iin("80042545011")
OTHER_IIN = make_iin("91121035022")


@pytest.fixture
def world(settings, clock, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    authority = ca.demo_ca(tmp_path / "ca")
    settings.SIGNING_CA_DIR = tmp_path / "ca"
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "ca" / ca.ROOT_CERT)]
    settings.SIGNING_METHOD = "ncalayer"
    w = build_world()
    w.deputy.set_password(PASSWORD)
    w.deputy.iin = DEPUTY_IIN
    w.deputy.save()
    w.authority = authority
    return w


@pytest.fixture
def conclusions(world, clock):
    """Six approved services conclusions (annex 4) of six akimats, the deputy chair's turn."""
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body
    from assessments.scoring.samples import perfect_case

    w = world
    bodies = [w.akimat]
    for n in range(5):
        body = org(f"Акимат области № {n + 1}", kind="local", central_type="", level="oblast")
        case = perfect_case("local")
        case["body"] = {"kind": "local", "special": []}
        scoring_input_load_case(cycle=w.cycle, body=body, case=case, actor=None, reason="test")
        score_body(cycle=w.cycle, body=body)
        reports_accepted(w.cycle, body)
        bodies.append(body)
    for body in bodies:
        AssessorAssignment.objects.get_or_create(
            cycle=w.cycle, body=body, direction="services", assessor=w.assessor,
            defaults={"assigned_at": clock.now()})
    # the assessor's access (cached on the user object) is read again with the new assignments
    w.assessor.__dict__.pop("_access_principal", None)
    result = [approved(w, draft(w, body, "services")) for body in bodies]
    return result


def login(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()


def _nothing_secret_was_sent(page, key) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = key.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    body = pem.splitlines()[1]
    for _method, url, data in page.sent:
        assert "passphrase" not in data and "PRIVATE KEY" not in data and body not in data, url


def _stored_pdf_is_stamped_and_valid(c: Conclusion, tmp_path) -> None:
    c = Conclusion.objects.get(pk=c.pk)
    assert signed_document_verify(c.signed_document).is_valid_trusted
    with c.signed_document.current_file.open("rb") as handle:
        data = handle.read()
    reader = PdfFileReader(io.BytesIO(data))
    [field] = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]
               if f.get_object().get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 30 and "/AP" in field
    report = pdfsig_report(data, tmp_path)
    assert "Signature is Valid." in report and "Total document signed" in report, report


def test_one_conclusion_on_its_sign_page(signer_page, world, conclusions, simulator, settings,
                                         tmp_path):
    page, w, c = signer_page, world, conclusions[0]
    simulator.key = kazakh_certificate(w.authority, iin=DEPUTY_IIN, surname="Нұрғалиева",
                                       given="Гүлнара", bin_=w.agency.bin,
                                       organisation="АГЕНТСТВО")
    login(page, w.deputy)

    # NCALayer is not running: said so, nothing stored.
    settings.SIGNING_NCALAYER_URL = "wss://127.0.0.1:13578"
    page.goto(f"/conclusions/{c.pk}/sign/")
    assert page.locator("input[name=passphrase]").count() == 0
    page.get_by_test_id("signing-start").click()
    error = page.get_by_test_id("signing-error")
    error.wait_for(state="visible")
    assert "NCALayer не отвечает" in error.inner_text()
    settings.SIGNING_NCALAYER_URL = "wss://127.0.0.1:13579"

    # The person closes NCALayer's dialog.
    simulator.mode = "cancel"
    page.goto(f"/conclusions/{c.pk}/sign/")
    page.get_by_test_id("signing-start").click()
    error.wait_for(state="visible")
    assert "отменено" in error.inner_text()

    # Another person's key (another IIN): the server refuses it with the reason.
    simulator.mode = "sign"
    right_key = simulator.key
    simulator.key = kazakh_certificate(w.authority, iin=OTHER_IIN, surname="Петров",
                                       given="Пётр")
    page.get_by_test_id("signing-start").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=signing-error]').textContent.includes('ИИН')")
    assert f"другому лицу (ИИН {OTHER_IIN})" in error.inner_text()
    assert not Signature.objects.filter(signed_document__isnull=False).exists()

    # Her own key: signed, verified, and the page goes back to the conclusion.
    simulator.key = right_key
    page.get_by_test_id("signing-start").click()
    page.wait_for_url(f"**/conclusions/{c.pk}/")
    signature = Signature.objects.get(signer=w.deputy)
    assert signature.credential.source == SigningCredential.Source.NCALAYER
    assert signature.credential.iin == DEPUTY_IIN and signature.credential.pkcs12 is None
    _stored_pdf_is_stamped_and_valid(c, tmp_path)
    _nothing_secret_was_sent(page, right_key)


def test_a_batch_of_five_in_one_ncalayer_session(signer_page, world, conclusions, simulator,
                                                 tmp_path):
    page, w = signer_page, world
    simulator.key = kazakh_certificate(w.authority, iin=DEPUTY_IIN, surname="Нұрғалиева",
                                       given="Гүлнара")
    login(page, w.deputy)
    page.goto("/conclusions/signing/")
    batch = conclusions[1:]
    page.get_by_test_id(f"pick-{conclusions[0].pk}").uncheck()
    page.get_by_test_id("signing-start").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=signing-status]').textContent.includes('5 из 5')",
        timeout=120_000)
    for c in batch:
        assert page.get_by_test_id(f"row-{c.pk}").get_attribute("data-state") == "signed"
        assert page.get_by_test_id(f"result-{c.pk}").inner_text() == "подписан"
    assert page.get_by_test_id(f"row-{conclusions[0].pk}").get_attribute("data-state") is None
    # one NCALayer request (one key choice, one PIN) for the five documents
    assert len(simulator.requests) == 1 and len(simulator.requests[0]["data"]) == 5
    assert simulator.documents_signed == 5
    assert Signature.objects.filter(signer=w.deputy).count() == 5
    for c in batch:
        _stored_pdf_is_stamped_and_valid(c, tmp_path)
    assert Conclusion.objects.get(pk=conclusions[0].pk).signed_document_id is None
    _nothing_secret_was_sent(page, simulator.key)
