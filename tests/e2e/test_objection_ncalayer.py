"""Filing objections through NCALayer in Chromium (issue 14): the ministry's head fills the
disagreement table, the server draws up annex 14 version 1 (the objection awaiting signature),
and on its sign page the head signs it through the vendored ``ncalayer-js-client`` and the
NCALayer simulator (tests/worlds/ncalayer.py); the verified completion files the objection within
the window. No key or passphrase reaches the server; the stored table is stamped, intact and
trusted, and passes poppler's ``pdfsig``."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from appeals.models import Objection
from assessments.kernel.validators import make_iin
from assessments.models import Conclusion
from reporting.models import SigningCredential
from reporting.signing import ca
from reporting.signing.services import signed_document_verify
from tests.e2e.test_ncalayer_signing import _nothing_secret_was_sent
from tests.worlds.appeal_pages import build_pages_world
from tests.worlds.ncalayer import kazakh_certificate
from tests.worlds.pdfcheck import pdfsig_report

pytestmark = [pytest.mark.browser, pytest.mark.pdfsig, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-pass-2026"
HEAD_IIN = make_iin("72050350061")


def test_the_head_files_an_objection_through_ncalayer(signer_page, simulator, settings, clock,
                                                      tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    authority = ca.demo_ca(tmp_path / "ca")
    settings.SIGNING_CA_DIR = tmp_path / "ca"
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "ca" / ca.ROOT_CERT)]
    settings.SIGNING_METHOD = "ncalayer"
    world = build_pages_world()
    head, c = world.head, world.conclusion
    head.set_password(PASSWORD)
    head.iin = HEAD_IIN
    head.save()
    simulator.key = kazakh_certificate(authority, iin=HEAD_IIN, surname="Әбенов",
                                       given="Нұрлан", bin_=world.ministry.bin or "",
                                       organisation="МИНИСТЕРСТВО")
    page = signer_page
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(head.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()

    # The table: one row; no passphrase on the page — the signature comes from NCALayer.
    page.goto(f"/appeals/conclusions/{c.pk}/object/")
    assert page.locator("input[name=passphrase]").count() == 0
    page.select_option('[name="rows-0-subject"]', "K1")
    page.fill('[name="rows-0-objection_text"]', "Опрос проведён по устаревшей выборке.")
    page.get_by_test_id("file").click()
    page.wait_for_url("**/sign-filed/")
    objection = Objection.objects.get(conclusion=c)
    assert objection.state == "awaiting_signature"
    assert Conclusion.objects.get(pk=c.pk).state == "issued"  # not filed before the signature

    # The sign page: NCALayer signs the prepared table; the completion files the objection.
    page.get_by_test_id("signing-start").click()
    page.wait_for_url(f"**/appeals/objections/{objection.pk}/")
    assert page.get_by_test_id("state").get_attribute("data-state") == "filed"
    assert page.get_by_test_id("filed-verification").get_attribute("data-status") == (
        "valid_trusted")
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.filed_on == clock.today()
    assert Conclusion.objects.get(pk=c.pk).state == "under_appeal"
    [signature] = objection.filed_signed_document.signatures.all()
    assert signature.signer == head
    assert signature.credential.source == SigningCredential.Source.NCALAYER
    assert len(simulator.requests) == 1 and simulator.documents_signed == 1
    document = objection.filed_signed_document
    assert signed_document_verify(document).is_valid_trusted
    with document.current_file.open("rb") as handle:
        data = handle.read()
    reader = PdfFileReader(io.BytesIO(data))
    [field] = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]
               if f.get_object().get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 30 and "/AP" in field  # a visible stamp
    report = pdfsig_report(data, tmp_path)
    assert "Signature is Valid." in report and "Total document signed" in report, report
    _nothing_secret_was_sent(page, simulator.key)
