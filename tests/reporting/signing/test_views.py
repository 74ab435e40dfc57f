"""The signing pages: the document page with every signature's status, downloads re-verified,
the sign form, the credential upload; who may see them."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import Signature, SignedDocument, SigningCredential
from reporting.signing import ca
from reporting.signing.blocks import signature_block
from reporting.signing.services import signed_document_freeze, signed_document_sign

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"reporting:{name}", args=args)


def _client(client, user):
    client.force_login(user)
    return client


def _sign(document, user):
    return signed_document_sign(signed_document=document, user=user, passphrase=PASSPHRASE)


def test_anonymous_visitors_are_sent_to_the_login_page(client, act):
    for url in (_url("signed_document_list"), _url("signed_document_detail", act.pk),
                _url("signed_document_file", act.pk), _url("signed_document_sign", act.pk),
                _url("signing_credentials")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_outsider_learns_nothing_about_the_document(client, act, outsider):
    _client(client, outsider)
    for url in (_url("signed_document_detail", act.pk), _url("signed_document_file", act.pk),
                _url("signed_document_file_version", act.pk, 0),
                _url("signed_document_sign", act.pk)):
        assert client.get(url).status_code == 404
    assert client.post(_url("signed_document_sign", act.pk),
                       {"passphrase": PASSPHRASE}).status_code == 404
    assert act.title not in client.get(_url("signed_document_list")).content.decode()


def test_the_page_shows_every_signature_as_valid_and_trusted(client, act, evaluator_rep,
                                                              body_rep, staff):
    _sign(act, evaluator_rep)
    _sign(act, body_rep)
    for viewer in (evaluator_rep, body_rep, staff):
        page = _client(client, viewer).get(_url("signed_document_detail", act.pk))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-status="valid_trusted"' in html
        assert ("подписано Иванов Иван Иванович, Главный эксперт Агентства — "
                "действительна и доверенная") in html
        assert ("подписано Сейтқали Әйгерім Нұрланқызы, Руководитель аппарата акимата — "
                "действительна и доверенная") in html
        assert "Все подписи действительны и доверенные" in html


def test_each_download_is_verified_and_says_so(client, act, evaluator_rep, body_rep):
    _sign(act, evaluator_rep)
    _sign(act, body_rep)
    document = SignedDocument.objects.get(pk=act.pk)
    _client(client, body_rep)
    response = client.get(_url("signed_document_file", act.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Signature-Status"] == "valid_trusted"
    assert response["X-Signature-Count"] == "2"
    assert hashlib.sha256(response.content).hexdigest() == document.current_sha256
    assert response["X-Content-SHA256"] == document.current_sha256
    assert 'filename="sample-v1-ru-signatures-2.pdf"' in response["Content-Disposition"]
    first = client.get(_url("signed_document_file_version", act.pk, 1))
    assert first["X-Signature-Status"] == "valid_trusted" and first["X-Signature-Count"] == "1"
    source = client.get(_url("signed_document_file_version", act.pk, 0))
    assert source["X-Signature-Status"] == "unsigned"
    assert client.get(_url("signed_document_file_version", act.pk, 7)).status_code == 404

    # someone changes one byte of the stored file: the next download and the page say "altered"
    path = document.current_file.path
    data = bytearray(open(path, "rb").read())
    data[200] ^= 1
    open(path, "wb").write(bytes(data))
    assert client.get(_url("signed_document_file", act.pk))["X-Signature-Status"] == "altered"
    html = client.get(_url("signed_document_detail", act.pk)).content.decode()
    assert 'data-status="altered"' in html
    assert "Документ изменён после подписания" in html


def test_signing_through_the_form(client, act, evaluator_rep, clock):
    _client(client, evaluator_rep)
    page = client.get(_url("signed_document_sign", act.pk))
    assert page.status_code == 200 and 'name="passphrase"' in page.content.decode()
    response = client.post(_url("signed_document_sign", act.pk), {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert response["Location"] == _url("signed_document_detail", act.pk)
    signature = Signature.objects.get()
    assert (signature.signer, signature.order) == (evaluator_rep, 1)
    assert SignedDocument.objects.get(pk=act.pk).state == "partially_signed"


def test_a_wrong_passphrase_is_shown_on_the_form(client, act, evaluator_rep):
    _client(client, evaluator_rep)
    response = client.post(_url("signed_document_sign", act.pk), {"passphrase": "nope"})
    assert response.status_code == 200
    assert "Неверный пароль к ключу подписи (PKCS#12)." in response.content.decode()
    assert not Signature.objects.exists()


def test_out_of_order_is_explained_and_refused(client, act, body_rep):
    _client(client, body_rep)
    page = client.get(_url("signed_document_sign", act.pk)).content.decode()
    assert "Сейчас документ подписывает Иванов Иван Иванович" in page
    assert 'name="passphrase"' not in page
    response = client.post(_url("signed_document_sign", act.pk), {"passphrase": PASSPHRASE})
    assert response.status_code == 200
    assert "Сейчас документ подписывает" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_sign_link_is_offered_only_to_the_signatory_whose_turn_it_is(client, act,
                                                                         evaluator_rep, body_rep):
    assert 'data-testid="sign-link"' in _client(client, evaluator_rep).get(
        _url("signed_document_detail", act.pk)).content.decode()
    assert 'data-testid="sign-link"' not in _client(client, body_rep).get(
        _url("signed_document_detail", act.pk)).content.decode()


def test_uploading_a_credential(client, outsider, demo_ca_dir):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _client(client, outsider)
    assert client.get(_url("signing_credentials")).status_code == 200
    data = ca.issue_pkcs12(common_name="Посторонний Пётр", passphrase=PASSPHRASE,
                           ca=ca.demo_ca(demo_ca_dir)).pkcs12
    response = client.post(_url("signing_credentials"), {
        "pkcs12": SimpleUploadedFile("me.p12", data), "passphrase": PASSPHRASE})
    assert response.status_code == 302
    credential = SigningCredential.objects.get(user=outsider)
    assert credential.source == "uploaded" and bytes(credential.pkcs12) == data
    assert "Посторонний Пётр" in client.get(_url("signing_credentials")).content.decode()

    bad = client.post(_url("signing_credentials"), {
        "pkcs12": SimpleUploadedFile("bad.p12", b"not a key"), "passphrase": PASSPHRASE})
    assert bad.status_code == 200
    assert "Файл не является контейнером PKCS#12" in bad.content.decode()
    assert SigningCredential.objects.filter(user=outsider).count() == 1


def test_the_trust_root_is_published(client, demo_ca_dir):
    response = client.get(_url("trust_root"))
    assert response.status_code == 200
    assert response.content == ca.demo_ca(demo_ca_dir).certificate_pem


def test_the_list_shows_my_documents_in_a_flat_number_of_queries(client, rendered, sample_pdf,
                                                                 evaluator_rep, body_rep,
                                                                 outsider):
    def freeze(n):
        return signed_document_freeze(
            pdf=sample_pdf, kind="annex1", subject=outsider, version=n, title=f"Акт №{n}",
            signatories=signature_block(1, [evaluator_rep, body_rep]))

    _client(client, body_rep)
    freeze(1)
    with CaptureQueriesContext(connection) as one:
        page = client.get(_url("signed_document_list"))
    assert "Акт №1" in page.content.decode()
    for n in range(2, 6):
        freeze(n)
    with CaptureQueriesContext(connection) as five:
        page = client.get(_url("signed_document_list"))
    html = page.content.decode()
    assert all(f"Акт №{n}" in html for n in range(1, 6))
    assert len(five) == len(one)
