"""A conclusion redrafted from changed scores and approved again is rendered anew from its
current content: the PDF the signatories sign shows the new values (a new file, another SHA-256),
while the file rendered before — and the signed document and signature that refer to it — stay
as they were, beside the new one (issue 13: the stored file was reused for the same version)."""

from __future__ import annotations

import re

import pytest

from assessments.conclusions import services as svc
from assessments.scoring.samples import perfect_case
from reporting.models import RenderedDocument, SignedDocument
from reporting.signing.services import signed_document_download
from tests.worlds.conclusion_steps import approved, draft, fresh
from tests.worlds.conclusions import PASSPHRASE
from tests.worlds.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def flat(data: bytes) -> str:
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " ")).strip()


def read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def rescore(w, body, *, late: int | None = None, published: dict | None = None) -> None:
    from assessments.scores.services.scoring_inputs import scoring_input_load_case
    from assessments.scores.services.sheets import score_body

    case = perfect_case(body.kind)
    case["body"] = {"kind": body.kind, "special": []}
    if late is not None:
        case["services"]["late"] = late
    if published is not None:
        case["openness"]["open_data"]["scores"]["published"] = published
    scoring_input_load_case(cycle=w.cycle, body=body, case=case, actor=None,
                            reason="Баллы изменились после согласования заключения")
    score_body(cycle=w.cycle, body=body)


def test_a_redrafted_annex_8_is_rendered_anew_from_its_new_values(
    signing_world, django_capture_on_commit_callbacks
):
    w = signing_world
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, draft(w, w.akimat, "openness")))
    before = c.rendered_document
    assert before.state == "rendered" and c.annex == 8
    old_bytes, old_sha, old_values = read(before), before.sha256, dict(c.values)

    rescore(w, w.akimat, published={"kk": "0.5", "ru": "0.25"})
    c = svc.conclusion_redraft(conclusion=c, actor=w.miod_unit_head)
    assert c.values != old_values and c.version == 1
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, c))
    after = c.rendered_document
    assert after.pk != before.pk and after.state == "rendered"
    assert after.version == before.version == c.version
    assert after.sha256 != old_sha and after.file.name != before.file.name
    changed = [code for code in c.values if c.values[code] != old_values.get(code)]
    assert changed
    new_text = flat(read(after))
    for code in changed:
        assert c.values[code].replace(".", ",") in new_text, code
    # the earlier file is kept as it was, beside the new one
    before = RenderedDocument.objects.get(pk=before.pk)
    assert (before.sha256, read(before)) == (old_sha, old_bytes)

    # what is signed is the new text
    c = svc.conclusion_sign(conclusion=c, user=w.miod_head, passphrase=PASSPHRASE)
    assert c.state == "signed"
    assert c.signed_document.source_sha256 == after.sha256
    assert c.signed_document.rendered_document_id == after.pk


def test_a_partly_signed_conclusion_redrafted_keeps_its_signed_document_beside_the_new(
    signing_world, django_capture_on_commit_callbacks
):
    w = signing_world
    c = approved(w, draft(w, w.akimat, "services"))  # annex 4: the deputy, then the unit head
    c = svc.conclusion_sign(conclusion=c, user=w.deputy, passphrase=PASSPHRASE)
    old_signed = SignedDocument.objects.get(pk=c.signed_document_id)
    old_rendered = old_signed.rendered_document
    old_rendered_bytes = read(old_rendered)
    old_signed_bytes = signed_document_download(signed_document=old_signed).data
    old_signatures = list(old_signed.signatures.values_list("pk", "signer_id", "order"))
    assert len(old_signatures) == 1
    old_t1 = c.values["T1"]

    rescore(w, w.akimat, late=0)  # T1 changes
    c = svc.conclusion_redraft(conclusion=c, actor=w.unit_head)
    assert c.values["T1"] != old_t1
    with django_capture_on_commit_callbacks(execute=True):
        c = fresh(approved(w, c))
    for user in (w.deputy, w.unit_head):
        c = svc.conclusion_sign(conclusion=c, user=user, passphrase=PASSPHRASE)
    assert c.state == "signed"
    new_signed = c.signed_document
    assert new_signed.pk != old_signed.pk and new_signed.version == old_signed.version
    assert new_signed.rendered_document_id != old_rendered.pk
    assert new_signed.source_sha256 != old_signed.source_sha256
    new_text = flat(read(new_signed.rendered_document))
    assert "оказано с нарушением сроков: 0 из" in new_text
    assert "оказано с нарушением сроков: 0 из" not in flat(old_rendered_bytes)

    # the first signed document, its signature and its files are untouched
    kept = SignedDocument.objects.get(pk=old_signed.pk)
    assert list(kept.signatures.values_list("pk", "signer_id", "order")) == old_signatures
    assert signed_document_download(signed_document=kept).data == old_signed_bytes
    kept_rendered = RenderedDocument.objects.get(pk=old_rendered.pk)
    assert kept_rendered.sha256 == old_signed.source_sha256
    assert read(kept_rendered) == old_rendered_bytes
