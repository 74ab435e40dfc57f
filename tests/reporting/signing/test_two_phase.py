"""Two-phase signing (prepare → complete), visible stamps, and NCALayer credentials bound by IIN.

The annex here is a real one (annex 15, two signatories: the deputy chair, then the head of the
unit), rendered from the engine's sample; the NCALayer side is played by a Kazakh-layout test key
from the session's demo CA (tests/worlds/ncalayer.py), whose CMS the service receives as the
browser would post it (base64). ``pdfsig`` (poppler) reads every signed file independently.
"""

from __future__ import annotations

import base64
import io
import random
from datetime import timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from assessments.kernel.validators import iin_problem, make_iin
from reporting.models import Signature, SignedDocument, SigningCredential, SigningPreparation
from reporting.signing import phases
from reporting.signing.blocks import signature_block
from reporting.signing.errors import CredentialRefused, SigningRefused
from reporting.signing.services import (
    Complete,
    Prepare,
    preparation_data,
    signed_document_freeze,
    signed_document_sign,
    signed_document_verify,
)
from tests.worlds.ncalayer import detached_cms, kazakh_certificate
from tests.worlds.pdfcheck import pdfsig_report

from .conftest import PASSPHRASE

IIN_DEPUTY = make_iin("78031230012")
IIN_OTHER = make_iin("85110540021")


@pytest.fixture(scope="module")
def annex15_pdf():
    from assessments.scoring.samples import random_case
    from reporting.annexes.inputs import Body
    from reporting.annexes.samples import conclusion_contexts
    from reporting.rendering import render_pdf

    case = random_case(random.Random(15), kind="local")
    body = Body("Акимат Жамбылской области", "local", "Жамбыл облысының әкімдігі")
    return render_pdf("pdf/annex_15.html", conclusion_contexts(body, case)["annex15"])


AGENCY_BIN = "000740000728"


@pytest.fixture
def deputy(evaluator_rep):
    """The Agency's deputy chair: an IIN, and a signatory's membership in the Agency (its BIN
    is in an employee's certificate)."""
    from assessments.models import Membership, Organisation

    evaluator_rep.iin = IIN_DEPUTY
    evaluator_rep.save(update_fields=["iin"])
    agency = Organisation.objects.create(name_ru="Агентство", name_kk="Агенттік", bin=AGENCY_BIN,
                                         kind="central", central_type="agency")
    Membership.objects.create(user=evaluator_rep, organisation=agency, role="signatory")
    return evaluator_rep


@pytest.fixture
def block(annex15_pdf, deputy, body_rep):
    return signed_document_freeze(
        pdf=annex15_pdf, kind="annex15", title="Заключение по блоку",
        signatories=signature_block(15, [deputy, body_rep]),
    )


@pytest.fixture(scope="module")
def session_ca(demo_ca_dir):
    from reporting.signing import ca

    return ca.demo_ca(demo_ca_dir)


@pytest.fixture(scope="module")
def deputy_key(session_ca):
    return kazakh_certificate(
        session_ca, iin=IIN_DEPUTY, surname="Иванов", given="Иван", patronymic="Иванович",
        bin_="000740000728", organisation="АГЕНТСТВО РК ПО ДЕЛАМ ГОСУДАРСТВЕННОЙ СЛУЖБЫ",
    )


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _widgets(data: bytes) -> dict[str, tuple[int, list[float]]]:
    """Signature field name → (page index, its widget's /Rect)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    pages = [reader.find_page_for_modification(i)[0].idnum
             for i in range(int(reader.root["/Pages"]["/Count"]))]
    out = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field.get("/FT") != "/Sig":
            continue
        page = field.raw_get("/P").idnum if "/P" in field else None
        assert "/AP" in field and "/N" in field["/AP"], "a visible stamp has an appearance"
        out[str(field["/T"])] = (pages.index(page), [float(v) for v in field["/Rect"]])
    return out


def _nothing_stored(document) -> None:
    document.refresh_from_db()
    assert document.state == SignedDocument.State.FROZEN
    assert document.current_sha256 == document.source_sha256
    assert not Signature.objects.filter(signed_document=document).exists()


def test_the_iin_check_digit():
    assert iin_problem(IIN_DEPUTY) is None
    assert iin_problem(IIN_DEPUTY[:-1] + str((int(IIN_DEPUTY[-1]) + 1) % 10)) == "checksum"
    assert iin_problem("7803123001") == "length"
    assert iin_problem("781312300123") == "date"


@pytest.mark.pdfsig
def test_each_signature_is_a_visible_stamp_in_its_place_of_the_block(
    block, deputy, body_rep, credential_for, clock, tmp_path
):
    credential_for(deputy)
    credential_for(body_rep)
    source = _read(block.source_file)
    places = [phases.stamp_box(source, 1, "deputy_chair"), phases.stamp_box(source, 2, "unit_head")]
    assert all(places)  # the deputy's place comes first (higher, or on an earlier page)
    assert (places[0].page, -places[0].box[3]) < (places[1].page, -places[1].box[3])
    signed_document_sign(signed_document=block, user=deputy, passphrase=PASSPHRASE)
    clock.advance(minutes=30)
    signed_document_sign(signed_document=block, user=body_rep, passphrase=PASSPHRASE)
    block.refresh_from_db()
    data = _read(block.current_file)
    widgets = _widgets(data)
    for name, place in zip(("Signature1", "Signature2"), places, strict=True):
        page, rect = widgets[name]
        assert page == place.page and [round(v) for v in rect] == list(place.box)
        assert rect[2] - rect[0] > 150 and rect[3] - rect[1] > 40  # a stamp, not a dot
    assert signed_document_verify(block).is_valid_trusted
    report = pdfsig_report(data, tmp_path)
    assert report.count("Signature is Valid.") == 2, report
    assert "Total document signed" in report, report


def test_ncalayer_two_phases_bind_the_certificate_by_iin(block, deputy, deputy_key, clock):
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step,
                         reason="Подписание заключения")
    preparation = step.preparation
    assert preparation.state == SigningPreparation.State.PENDING
    data = preparation_data(preparation)
    assert data.startswith(_read(block.current_file)), "the next revision extends the current"
    assert len(data) < len(bytes(preparation.prepared_pdf))  # the placeholder is left out
    cms = base64.b64encode(detached_cms(deputy_key, data)).decode()   # as the page posts it
    done = Complete(preparation_id=preparation.pk, cms=cms)
    signed_document_sign(signed_document=block, user=deputy, passphrase=done)
    signature = done.signature
    credential = signature.credential
    assert credential.source == SigningCredential.Source.NCALAYER
    assert credential.pkcs12 is None and credential.iin == IIN_DEPUTY
    assert credential.bin == "000740000728"
    assert signature.signed_at == preparation.signing_time
    preparation.refresh_from_db()
    assert preparation.state == SigningPreparation.State.COMPLETED
    block.refresh_from_db()
    assert block.state == SignedDocument.State.PARTIALLY_SIGNED
    assert signed_document_verify(block).is_valid_trusted
    assert "Signature1" in _widgets(_read(block.current_file))
    with pytest.raises(SigningRefused, match="уже получена|уже подписали"):
        signed_document_sign(signed_document=block, user=deputy, passphrase=done)


def test_an_organisations_key_of_another_organisation_is_refused(block, deputy, session_ca):
    """An employee's key names its organisation's BIN: it must be one the signer works in."""
    elsewhere = kazakh_certificate(session_ca, iin=IIN_DEPUTY, surname="Иванов", given="Иван",
                                   bin_="990340001234", organisation="ДРУГОЕ ТОО")
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    data = preparation_data(step.preparation)
    with pytest.raises(CredentialRefused, match="другой организации \\(БИН 990340001234\\)"):
        signed_document_sign(signed_document=block, user=deputy, passphrase=Complete(
            step.preparation.pk, detached_cms(elsewhere, data)))
    _nothing_stored(block)


def test_another_persons_certificate_is_refused(block, deputy, session_ca):
    stranger = kazakh_certificate(session_ca, iin=IIN_OTHER, surname="Петров", given="Пётр")
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    cms = detached_cms(stranger, preparation_data(step.preparation))
    with pytest.raises(CredentialRefused, match=f"другому лицу \\(ИИН {IIN_OTHER}\\)"):
        signed_document_sign(signed_document=block, user=deputy,
                             passphrase=Complete(step.preparation.pk, cms))
    _nothing_stored(block)
    assert not SigningCredential.objects.filter(user=deputy).exists()


def test_a_cms_over_other_bytes_is_refused(block, deputy, deputy_key):
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    cms = detached_cms(deputy_key, preparation_data(step.preparation) + b" ")
    with pytest.raises(SigningRefused, match="не над этим документом"):
        signed_document_sign(signed_document=block, user=deputy,
                             passphrase=Complete(step.preparation.pk, cms))
    with pytest.raises(SigningRefused, match="не подпись CMS"):
        signed_document_sign(signed_document=block, user=deputy,
                             passphrase=Complete(step.preparation.pk, "bm90IGEgY21z"))
    _nothing_stored(block)


def test_an_expired_preparation_is_refused(block, deputy, deputy_key, clock, settings):
    settings.SIGNING_PREPARATION_MINUTES = 5
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    cms = detached_cms(deputy_key, preparation_data(step.preparation))
    clock.advance(minutes=6)
    with pytest.raises(SigningRefused, match="устарела"):
        signed_document_sign(signed_document=block, user=deputy,
                             passphrase=Complete(step.preparation.pk, cms))
    _nothing_stored(block)


def test_a_stale_preparation_wrong_document_or_signer_is_refused(
    block, annex15_pdf, deputy, body_rep, deputy_key, credential_for, sample_pdf
):
    first, second = Prepare(), Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=first)
    other = signed_document_freeze(pdf=sample_pdf, kind="sample",
                                   signatories=signature_block(15, [deputy, body_rep]))
    with pytest.raises(SigningRefused, match="другому документу"):
        signed_document_sign(signed_document=other, user=deputy,
                             passphrase=Complete(first.preparation.pk, b"0"))
    with pytest.raises(SigningRefused, match="другого подписанта"):
        from reporting.signing.services import signed_document_complete

        signed_document_complete(preparation=first.preparation, user=body_rep, cms=b"0")
    # the deputy signs with the demo key meanwhile: the NCALayer preparation is now stale
    signed_document_sign(signed_document=block, user=deputy, passphrase=second)
    credential_for(deputy)
    signed_document_sign(signed_document=block, user=deputy, passphrase=PASSPHRASE)
    cms = detached_cms(deputy_key, preparation_data(second.preparation))
    with pytest.raises(SigningRefused, match="уже подписали"):
        signed_document_sign(signed_document=block, user=deputy,
                             passphrase=Complete(second.preparation.pk, cms))


def test_an_auth_key_is_the_wrong_type(block, deputy, session_ca):
    auth = kazakh_certificate(session_ca, iin=IIN_DEPUTY, surname="Иванов", given="Иван",
                              auth=True)
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    with pytest.raises(CredentialRefused, match="не того типа"):
        signed_document_sign(
            signed_document=block, user=deputy,
            passphrase=Complete(step.preparation.pk,
                                detached_cms(auth, preparation_data(step.preparation))))
    _nothing_stored(block)


def test_an_untrusted_certificate_and_a_missing_iin_are_refused(
    block, deputy, body_rep, outside_ca
):
    outsider_key = kazakh_certificate(outside_ca, iin=IIN_DEPUTY, surname="Иванов", given="Иван")
    step = Prepare()
    signed_document_sign(signed_document=block, user=deputy, passphrase=step)
    with pytest.raises(CredentialRefused, match="не доверяет"):
        signed_document_sign(
            signed_document=block, user=deputy,
            passphrase=Complete(step.preparation.pk,
                                detached_cms(outsider_key, preparation_data(step.preparation))))
    deputy.iin = ""
    deputy.save(update_fields=["iin"])
    with pytest.raises(CredentialRefused, match="не указан ИИН"):
        signed_document_sign(
            signed_document=block, user=deputy,
            passphrase=Complete(step.preparation.pk,
                                detached_cms(outsider_key, preparation_data(step.preparation))))
    _nothing_stored(block)


def test_signers_are_warned_before_their_certificate_expires(deputy, credential_for, clock):
    from reporting.signing.services import credential_expiry_warning

    credential = credential_for(deputy)
    assert credential_expiry_warning(deputy) == ""
    clock.set_now(credential.not_after - timedelta(days=10))
    assert "истекает" in credential_expiry_warning(deputy)


# --- the sign page's two phases (JSON) -----------------------------------------------------------

def test_the_sign_page_prepares_and_completes_over_json(client, block, deputy, deputy_key,
                                                        settings, outsider):
    from django.urls import reverse

    settings.SIGNING_METHOD = "ncalayer"
    url = reverse("reporting:signed_document_sign", args=[block.pk])
    client.force_login(deputy)
    page = client.get(url).content.decode()
    assert 'data-signing="ncalayer"' in page and 'name="passphrase"' not in page
    assert "vendor/ncalayer-js-client/ncalayer-client.js" in page
    prepared = client.post(url, {"phase": "prepare"}).json()
    assert prepared["ok"] and prepared["preparation"]
    data = base64.b64decode(prepared["data"])
    # the demo passphrase is refused when the deployment signs through NCALayer
    refused = client.post(url, {"phase": "demo", "passphrase": PASSPHRASE})
    assert refused.status_code == 400 and "через NCALayer" in refused.json()["error"]
    other_bytes = base64.b64encode(detached_cms(deputy_key, data + b"x")).decode()
    wrong = client.post(url, {"phase": "complete", "preparation": prepared["preparation"],
                              "cms": other_bytes})
    assert wrong.status_code == 400 and "не над этим документом" in wrong.json()["error"]
    done = client.post(url, {"phase": "complete", "preparation": prepared["preparation"],
                             "cms": base64.b64encode(detached_cms(deputy_key, data)).decode()})
    assert done.json() == {"ok": True, "signed_by": f"{deputy.full_name}, {deputy.position}",
                           "redirect": reverse("reporting:signed_document_detail",
                                               args=[block.pk])}
    client.force_login(outsider)
    assert client.post(url, {"phase": "prepare"}).status_code == 404


def test_server_keys_are_refused_in_the_ncalayer_deployment(block, deputy, body_rep,
                                                            credential_for, settings):
    credential_for(deputy)
    settings.SIGNING_METHOD = "ncalayer"
    with pytest.raises(CredentialRefused, match="через NCALayer"):
        signed_document_sign(signed_document=block, user=deputy, passphrase=PASSPHRASE)
    _nothing_stored(block)


def test_the_demo_batch_signs_with_the_passphrase_over_json(client, block, deputy,
                                                            credential_for):
    from django.urls import reverse

    credential_for(deputy)
    url = reverse("reporting:signed_document_sign", args=[block.pk])
    client.force_login(deputy)
    wrong = client.post(url, {"phase": "demo", "passphrase": "not-it"})
    assert wrong.status_code == 400 and "Неверный пароль" in wrong.json()["error"]
    _nothing_stored(block)
    assert client.post(url, {"phase": "demo", "passphrase": PASSPHRASE}).json()["ok"]
    block.refresh_from_db()
    assert block.state == SignedDocument.State.PARTIALLY_SIGNED


def test_every_signing_page_may_reach_ncalayer_under_the_production_policy(settings):
    """The Content-Security-Policy (config/security.py) opens ``connect-src`` to
    ``SIGNING_NCALAYER_URL`` on every signing page, and only there."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve, reverse

    from config.security import SecurityHeadersMiddleware

    settings.SECURITY_HEADERS = True
    settings.SIGNING_NCALAYER_URL = "wss://127.0.0.1:13579"
    pages = [reverse("reporting:signed_document_sign", args=[1]),
             reverse("conclusions:conclusion_sign", args=[1]),
             reverse("conclusions:conclusion_signing_queue"),
             reverse("reverification:reverification_act", args=[1]),
             reverse("appeals:objection_sign", args=[1]),
             reverse("appeals:objection_acknowledge", args=[1]),
             reverse("appeals:objection_file_sign", args=[1])]

    def policy(path):
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path)
        return SecurityHeadersMiddleware(lambda r: HttpResponse())(request)[
            "Content-Security-Policy"]

    for path in pages:
        assert "connect-src 'self' wss://127.0.0.1:13579" in policy(path), path
    assert "127.0.0.1:13579" not in policy(reverse("conclusions:conclusion_list"))
