"""The signing services: freeze → sign in the seed's order → verify, and what they refuse."""

from __future__ import annotations

import hashlib

import pytest
from django_fsm_log.models import StateLog

from reporting.models import RenderedDocument, SignatorySlot, Signature, SignedDocument
from reporting.services import document_request
from reporting.signing import roles
from reporting.signing.blocks import signature_block
from reporting.signing.errors import CredentialRefused, SigningRefused
from reporting.signing.roles import Signatory
from reporting.signing.services import (
    signed_document_download,
    signed_document_freeze,
    signed_document_sign,
    signed_document_verify,
    signing_credential_deactivate,
    signing_turn,
)
from reporting.signing.verify import Status
from tests.worlds.pdfcheck import pdf_text

from .conftest import PASSPHRASE

pytestmark = pytest.mark.django_db


def _fresh(document: SignedDocument) -> SignedDocument:
    # protected fsm field: re-fetch rather than refresh_from_db
    return SignedDocument.objects.get(pk=document.pk)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _sign(document, user, passphrase=PASSPHRASE):
    return signed_document_sign(signed_document=document, user=user, passphrase=passphrase)


# --- freezing ------------------------------------------------------------------------------------

def test_freeze_keeps_the_rendered_bytes_and_the_block_order(act, rendered, evaluator_rep,
                                                             body_rep, clock):
    document = _fresh(act)
    assert document.state == SignedDocument.State.FROZEN
    assert document.rendered_document_id == rendered.pk
    assert (document.kind, document.version, document.language) == ("sample", 1, "ru")
    assert document.source_sha256 == rendered.sha256 == document.current_sha256
    assert _read(document.source_file) == _read(rendered.file)
    slots = list(document.slots.order_by("order"))
    assert [(s.order, s.user, s.role) for s in slots] == [
        (1, evaluator_rep, "evaluator_representative"),
        (2, body_rep, "body_representative"),
    ]
    assert slots[0].position == "Представитель оценивающего органа"


def test_freeze_is_idempotent_and_refuses_another_block(act, rendered, evaluator_rep, body_rep):
    again = signed_document_freeze(
        rendered_document=rendered, signatories=signature_block(1, [evaluator_rep, body_rep]))
    assert again.pk == act.pk
    with pytest.raises(SigningRefused, match="другим составом подписантов"):
        signed_document_freeze(
            rendered_document=rendered,
            signatories=signature_block(1, [body_rep, evaluator_rep]))
    assert SignedDocument.objects.count() == 1


def test_a_draft_is_never_frozen(evaluator_rep):
    draft = document_request(kind="sample", draft=True, render_now=True)
    with pytest.raises(SigningRefused, match="Проект документа не подписывается"):
        signed_document_freeze(rendered_document=draft, signatories=[evaluator_rep])


def test_a_document_not_rendered_yet_is_refused(evaluator_rep):
    pending = RenderedDocument.objects.create(kind="sample", version=9)
    with pytest.raises(SigningRefused, match="ещё не сформирован"):
        signed_document_freeze(rendered_document=pending, signatories=[evaluator_rep])


def test_freeze_pdf_bytes_with_a_subject(sample_pdf, evaluator_rep):
    document = signed_document_freeze(
        pdf=sample_pdf, kind="annex1", subject=evaluator_rep, version=2,
        signatories=[evaluator_rep])
    assert document.subject == evaluator_rep and document.version == 2
    assert document.source_sha256 == hashlib.sha256(sample_pdf).hexdigest()
    with pytest.raises(SigningRefused, match="другим содержимым"):
        signed_document_freeze(pdf=sample_pdf + b"\n", kind="annex1", subject=evaluator_rep,
                               version=2, signatories=[evaluator_rep])


def test_freeze_refuses_bad_signatory_lists(sample_pdf, evaluator_rep):
    with pytest.raises(SigningRefused, match="Не указан ни один подписант"):
        signed_document_freeze(pdf=sample_pdf, kind="x", signatories=[])
    with pytest.raises(SigningRefused, match="дважды"):
        signed_document_freeze(pdf=sample_pdf, kind="x",
                               signatories=[evaluator_rep, evaluator_rep])
    with pytest.raises(SigningRefused, match="не определено, кто может подписывать"):
        signed_document_freeze(pdf=sample_pdf, kind="x",
                               signatories=[Signatory(role="nobody_knows")])
    with pytest.raises(SigningRefused, match="не является документом PDF"):
        signed_document_freeze(pdf=b"plain text", kind="x", signatories=[evaluator_rep])


# --- signing --------------------------------------------------------------------------------------

def test_two_signatories_sign_in_order_and_both_verify(act, evaluator_rep, body_rep, clock):
    first = _sign(act, evaluator_rep)
    document = _fresh(act)
    assert document.state == SignedDocument.State.PARTIALLY_SIGNED
    assert (first.order, first.field_name) == (1, "Signature1")
    assert first.full_name == "Иванов Иван Иванович"
    assert first.position == "Главный эксперт Агентства"
    assert first.signed_at == clock.now()

    clock.advance(hours=2)
    second = _sign(document, body_rep)
    document = _fresh(act)
    assert document.state == SignedDocument.State.SIGNED
    assert second.field_name == "Signature2" and second.signed_at == clock.now()

    # every version is stored, each the previous one plus an incremental update
    source, v1, v2 = _read(document.source_file), _read(first.file), _read(second.file)
    assert v1.startswith(source) and v2.startswith(v1)
    assert hashlib.sha256(v1).hexdigest() == first.sha256
    assert hashlib.sha256(v2).hexdigest() == second.sha256 == document.current_sha256
    assert _read(document.current_file) == v2

    report = signed_document_verify(document)
    assert report.status == Status.VALID_TRUSTED
    assert [(c.intact, c.valid, c.trusted) for c in report.signatures] == [(True, True, True)] * 2
    assert [c.signer_common_name for c in report.signatures] == [
        "Иванов Иван Иванович", "Сейтқали Әйгерім Нұрланқызы"]
    assert [c.signing_time for c in report.signatures] == [first.signed_at, second.signed_at]
    assert report.signatures[1].label == (
        "подписано Сейтқали Әйгерім Нұрланқызы, Руководитель аппарата акимата — "
        "действительна и доверенная")
    # the earlier version still verifies on its own
    assert signed_document_verify(document, order=1).status == Status.VALID_TRUSTED
    assert "Образец документа / Құжат үлгісі" in pdf_text(v2)

    # each transition is logged with who did it
    logs = list(StateLog.objects.for_(document).order_by("timestamp", "pk"))
    assert [(log.transition, log.state, log.by) for log in logs] == [
        ("record_signature", "partially_signed", evaluator_rep),
        ("record_last_signature", "signed", body_rep),
    ]


def test_out_of_order_signer_is_refused(act, body_rep):
    with pytest.raises(SigningRefused, match="Сейчас документ подписывает Иванов Иван Иванович"):
        _sign(act, body_rep)
    assert not Signature.objects.exists()
    assert _fresh(act).state == SignedDocument.State.FROZEN


def test_a_person_not_listed_is_refused(act, outsider, credential_for):
    credential_for(outsider)
    with pytest.raises(SigningRefused, match="не указаны среди подписантов"):
        _sign(act, outsider)


def test_the_same_slot_is_never_signed_twice(act, evaluator_rep, body_rep):
    _sign(act, evaluator_rep)
    with pytest.raises(SigningRefused, match="уже подписали"):
        _sign(act, evaluator_rep)
    _sign(act, body_rep)
    with pytest.raises(SigningRefused, match="подписан всеми подписантами"):
        _sign(act, body_rep)
    assert Signature.objects.count() == 2


def test_wrong_passphrase_is_refused_with_a_clear_message_and_nothing_changes(act, evaluator_rep):
    with pytest.raises(CredentialRefused, match="Неверный пароль к ключу подписи"):
        _sign(act, evaluator_rep, passphrase="not-my-passphrase")
    document = _fresh(act)
    assert document.state == SignedDocument.State.FROZEN
    assert document.current_sha256 == document.source_sha256
    assert not Signature.objects.exists()


def test_a_signer_without_an_active_credential_is_refused(act, evaluator_rep):
    credential = evaluator_rep.signing_credentials.get(active=True)
    signing_credential_deactivate(credential=credential, by=evaluator_rep)
    with pytest.raises(CredentialRefused, match="нет действующего сертификата"):
        _sign(act, evaluator_rep)


def test_an_expired_credential_is_refused(act, evaluator_rep, clock):
    credential = evaluator_rep.signing_credentials.get(active=True)
    clock.set_now(credential.not_after.replace(year=credential.not_after.year + 1))
    with pytest.raises(CredentialRefused, match="Срок действия сертификата истёк"):
        _sign(act, evaluator_rep)


def test_signing_over_a_file_changed_in_storage_is_refused(act, evaluator_rep):
    path = act.current_file.path
    data = bytearray(open(path, "rb").read())
    data[100] ^= 1
    open(path, "wb").write(bytes(data))
    with pytest.raises(SigningRefused, match="изменён в хранилище"):
        _sign(act, evaluator_rep)


def test_signing_turn_tells_each_person_where_they_stand(act, evaluator_rep, body_rep, outsider):
    assert signing_turn(signed_document=act, user=evaluator_rep).may_sign
    waiting = signing_turn(signed_document=act, user=body_rep)
    assert not waiting.may_sign and waiting.slot.order == 2
    assert not signing_turn(signed_document=act, user=outsider).may_sign


def test_a_role_slot_is_signed_by_whoever_the_resolver_admits(sample_pdf, evaluator_rep,
                                                              body_rep, outsider, credential_for):
    credential_for(body_rep)
    credential_for(outsider)
    roles.register_signatory_role("test_body_head")(
        lambda user, document, slot: user.username == "body_head")
    try:
        document = signed_document_freeze(
            pdf=sample_pdf, kind="annex14",
            signatories=[Signatory(role="test_body_head", position="Руководитель органа")])
        with pytest.raises(SigningRefused, match="не указаны среди подписантов"):
            _sign(document, outsider)
        signature = _sign(document, body_rep)
        assert signature.position == "Руководитель аппарата акимата"
        assert _fresh(document).state == SignedDocument.State.SIGNED
    finally:
        roles.unregister_signatory_role("test_body_head")


# --- verification and downloads ------------------------------------------------------------------

def test_a_byte_changed_in_the_stored_file_shows_as_altered(act, evaluator_rep, body_rep):
    _sign(act, evaluator_rep)
    _sign(act, body_rep)
    document = _fresh(act)
    path = document.current_file.path
    data = bytearray(open(path, "rb").read())
    data[len(data) // 2] ^= 1
    open(path, "wb").write(bytes(data))
    report = signed_document_verify(document)
    assert report.status == Status.ALTERED
    assert "Файл не совпадает с записанной контрольной суммой." in report.problems
    download = signed_document_download(signed_document=document)
    assert download.report.status == Status.ALTERED
    assert download.data == bytes(data)


def test_a_byte_changed_outside_the_signed_ranges_is_caught_by_the_record(act, evaluator_rep):
    """The /Contents gap is not hashed by the signature; the recorded SHA-256 still catches it."""
    _sign(act, evaluator_rep)
    document = _fresh(act)
    path = document.current_file.path
    data = open(path, "rb").read()
    gap = data.rindex(b"0000000000/") if b"0000000000/" in data else data.rindex(b"00000>")
    changed = data[:gap] + b"1" + data[gap + 1:]
    open(path, "wb").write(changed)
    assert signed_document_verify(document).status == Status.ALTERED


def test_download_of_each_version(act, evaluator_rep, body_rep):
    _sign(act, evaluator_rep)
    _sign(act, body_rep)
    document = _fresh(act)
    source = signed_document_download(signed_document=document, order=0)
    assert source.report.status == Status.UNSIGNED
    assert hashlib.sha256(source.data).hexdigest() == document.source_sha256
    first = signed_document_download(signed_document=document, order=1)
    assert first.report.status == Status.VALID_TRUSTED and len(first.report.signatures) == 1
    current = signed_document_download(signed_document=document)
    assert current.order == 2 and current.filename == "sample-v1-ru-signatures-2.pdf"
    with pytest.raises(LookupError):
        signed_document_download(signed_document=document, order=3)


# --- immutability --------------------------------------------------------------------------------

def test_signed_bytes_cannot_be_changed_or_deleted_through_the_models(act, evaluator_rep):
    from reporting.signing.errors import ImmutableRecordError

    signature = _sign(act, evaluator_rep)
    document = _fresh(act)

    document.source_sha256 = "0" * 64
    with pytest.raises(ImmutableRecordError, match="source_sha256"):
        document.save()
    document = _fresh(act)
    document.source_file.name = "signed/elsewhere.pdf"
    with pytest.raises(ImmutableRecordError, match="source_file"):
        document.save()
    with pytest.raises(ImmutableRecordError):
        SignedDocument.objects.filter(pk=act.pk).update(source_sha256="0" * 64)
    with pytest.raises(ImmutableRecordError):
        _fresh(act).delete()
    with pytest.raises(ImmutableRecordError):
        SignedDocument.objects.all().delete()

    signature = Signature.objects.get(pk=signature.pk)
    signature.sha256 = "0" * 64
    with pytest.raises(ImmutableRecordError):
        signature.save()
    unloaded = Signature(**{f.attname: getattr(signature, f.attname)
                            for f in Signature._meta.concrete_fields})
    unloaded._state.adding = False
    unloaded.full_name = "Подменённый"
    with pytest.raises(ImmutableRecordError, match="full_name"):
        unloaded.save()
    with pytest.raises(ImmutableRecordError):
        Signature.objects.filter(pk=signature.pk).update(full_name="Подменённый")
    with pytest.raises(ImmutableRecordError):
        Signature.objects.get(pk=signature.pk).delete()
    with pytest.raises(ImmutableRecordError):
        SignatorySlot.objects.filter(signed_document=act).update(position="Другая")

    stored = Signature.objects.get(pk=signature.pk)
    assert stored.sha256 == hashlib.sha256(_read(stored.file)).hexdigest()
    assert stored.full_name == "Иванов Иван Иванович"
    assert _fresh(act).source_sha256 == act.source_sha256


def test_the_state_and_current_version_move_only_through_the_service(act, evaluator_rep):
    document = _fresh(act)
    with pytest.raises(AttributeError):
        document.state = SignedDocument.State.SIGNED  # protected fsm field


# --- hooks ----------------------------------------------------------------------------------------

def test_the_module_that_froze_a_document_hears_of_each_signature(act, evaluator_rep, body_rep):
    from reporting.signing import hooks

    heard = []

    def handler(signed_document, signature, *, complete):
        heard.append((signed_document.pk, signature.order, complete, signed_document.state))

    hooks.on_signature("sample")(handler)
    try:
        _sign(act, evaluator_rep)
        _sign(act, body_rep)
    finally:
        hooks.remove_handler("sample", handler)
    assert heard == [(act.pk, 1, False, "partially_signed"), (act.pk, 2, True, "signed")]


def test_a_handler_that_refuses_undoes_the_signature(act, evaluator_rep):
    from reporting.signing import hooks

    def refuse(signed_document, signature, *, complete):
        raise SigningRefused("the act cannot be marked signed now")

    hooks.on_signature("sample")(refuse)
    try:
        with pytest.raises(SigningRefused, match="cannot be marked signed"):
            _sign(act, evaluator_rep)
    finally:
        hooks.remove_handler("sample", refuse)
    assert not Signature.objects.exists()
    assert _fresh(act).state == SignedDocument.State.FROZEN
