"""Every write of the signing service: freezing a document, signing it, credentials.

Shape of each write: ``transaction.atomic()`` → load with ``select_for_update()`` → check the
actor and the clock → change → save → log (the fsm transition's ``StateLog`` row and the
``Signature`` row itself). Refusals raise ``SigningRefused`` / ``CredentialRefused`` with a
translated message that views show as it is.

A signed version is never changed or deleted: freezing stores the source bytes; each signature
appends one incremental update and stores the resulting bytes as a new file, referenced by its
``Signature`` row; ``SignedDocument.current_*`` moves to it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from assessments.kernel import clock
from assessments.kernel.transitions import lock
from reporting.models import (
    RenderedDocument,
    SignatorySlot,
    Signature,
    SignedDocument,
    SigningCredential,
)
from reporting.rendering import sha256_hex
from reporting.signing import ca as demo_ca_module
from reporting.signing import hooks, roles, trust
from reporting.signing._loop import outside_event_loop
from reporting.signing.base import SignatoryInfo, Signer, signature_field_name
from reporting.signing.errors import CredentialRefused, SigningRefused
from reporting.signing.pkcs12 import (
    Pkcs12Signer,
    certificate_fingerprint,
    existing_signature_fields,
    open_pkcs12,
)
from reporting.signing.roles import Signatory
from reporting.signing.verify import VerificationReport, status_text, verify_pdf

DEFAULT_REASON = "Подписание документа"
logger = logging.getLogger(__name__)


# --- Freezing ----------------------------------------------------------------------------------

def _slot_specs(signatories: Sequence) -> list[Signatory]:
    specs = [Signatory.of(s) for s in signatories]
    if not specs:
        raise SigningRefused(_("Не указан ни один подписант."))
    for spec in specs:
        if spec.user is None and not spec.role:
            raise SigningRefused(_("Для каждого подписанта нужен пользователь или роль."))
        if spec.user is None and not roles.is_registered(spec.role):
            raise SigningRefused(
                _("Для роли подписанта «%(role)s» не определено, кто может подписывать.")
                % {"role": spec.role}
            )
    users = [spec.user.pk for spec in specs if spec.user is not None]
    if len(users) != len(set(users)):
        raise SigningRefused(_("Один и тот же человек указан подписантом дважды."))
    return specs


def _same_slots(document: SignedDocument, specs: list[Signatory]) -> bool:
    stored = [(s.user_id, s.role, s.position) for s in document.slots.order_by("order")]
    wanted = [(s.user.pk if s.user else None, s.role, s.position) for s in specs]
    return stored == wanted


def _stored_name(data: bytes) -> str:
    return f"{sha256_hex(data)}.pdf"


def signed_document_freeze(
    *,
    signatories: Sequence,
    rendered_document: RenderedDocument | None = None,
    pdf: bytes | None = None,
    kind: str = "",
    title: str = "",
    subject=None,
    version: int = 1,
    language: str = "ru",
    created_by=None,
) -> SignedDocument:
    """Freeze PDF bytes for signing by ``signatories`` in the given order (the seed's block).

    Either ``rendered_document`` (a rendered, non-draft ``RenderedDocument``: its kind, subject,
    version and language are taken over) or ``pdf`` bytes with ``kind`` (and optionally
    ``subject``/``version``/``language``). Idempotent: freezing the same document with the same
    signatories again returns the stored one; different content or signatories are refused.
    """
    if (rendered_document is None) == (pdf is None):
        raise ValueError("give exactly one of rendered_document or pdf")
    specs = _slot_specs(signatories)
    with transaction.atomic():
        if rendered_document is not None:
            rendered = lock(rendered_document)
            if rendered.draft:
                raise SigningRefused(
                    _("Проект документа не подписывается: сформируйте окончательную версию.")
                )
            if rendered.state != RenderedDocument.State.RENDERED or not rendered.file:
                raise SigningRefused(_("Документ ещё не сформирован."))
            with rendered.file.open("rb") as handle:
                data = handle.read()
            if sha256_hex(data) != rendered.sha256:
                raise SigningRefused(
                    _("Файл сформированного документа не совпадает с его контрольной суммой.")
                )
            kind, version, language = rendered.kind, rendered.version, rendered.language
            subject_type, subject_id = rendered.subject_type, rendered.subject_id
            existing = SignedDocument.objects.filter(rendered_document=rendered).first()
        else:
            rendered = None
            data = bytes(pdf)
            if not kind:
                raise ValueError("kind is required when freezing PDF bytes")
            subject_type = ContentType.objects.get_for_model(subject) if subject else None
            subject_id = subject.pk if subject is not None else None
            existing = (
                SignedDocument.objects.filter(
                    kind=kind, subject_type=subject_type, subject_id=subject_id,
                    version=version, language=language,
                ).first()
                if subject is not None
                else None
            )
        digest = sha256_hex(data)
        if existing is not None:
            if existing.source_sha256 != digest:
                raise SigningRefused(
                    _("Эта версия документа уже заморожена с другим содержимым.")
                )
            if not _same_slots(existing, specs):
                raise SigningRefused(
                    _("Документ уже заморожен с другим составом подписантов.")
                )
            return existing
        if not data.startswith(b"%PDF-"):
            raise SigningRefused(_("Файл не является документом PDF."))
        try:
            already = existing_signature_fields(data)
        except Exception:
            raise SigningRefused(_("Файл не является документом PDF."))
        if already:
            raise SigningRefused(_("Документ уже содержит поля подписи и не может быть заморожен."))
        document = SignedDocument(
            kind=kind,
            title=title[:300],
            rendered_document=rendered,
            subject_type=subject_type,
            subject_id=subject_id,
            version=version,
            language=language,
            source_sha256=digest,
            source_size=len(data),
            current_sha256=digest,
            current_size=len(data),
            created_at=clock.now(),
            created_by=created_by,
        )
        document.source_file.save(_stored_name(data), ContentFile(data), save=False)
        document.current_file.name = document.source_file.name
        document.save()
        for order, spec in enumerate(specs, start=1):
            SignatorySlot.objects.create(
                signed_document=document, order=order, user=spec.user, role=spec.role,
                position=spec.position,
            )
        return document


# --- Who signs now -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SigningTurn:
    """Where a document stands for one user: may they sign now, and if not, why."""

    may_sign: bool
    slot: SignatorySlot | None
    reason: str = ""


def _printed_name(user) -> str:
    return (getattr(user, "full_name", "") or user.get_full_name() or user.get_username()).strip()


def _slot_label(slot: SignatorySlot) -> str:
    if slot.user is not None:
        name = _printed_name(slot.user)
        return f"{name}, {slot.position}" if slot.position else name
    return slot.position or slot.role


def signing_turn(*, signed_document: SignedDocument, user) -> SigningTurn:
    """Whether ``user`` may sign ``signed_document`` now (the next unsigned slot is theirs)."""
    slots = list(
        signed_document.slots.select_related("user", "signature").order_by("order")
    )
    signed = [s for s in slots if hasattr(s, "signature")]
    pending = [s for s in slots if not hasattr(s, "signature")]
    if not pending:
        return SigningTurn(False, None, _("Документ уже подписан всеми подписантами."))
    if any(s.signature.signer_id == user.pk for s in signed):
        return SigningTurn(False, None, _("Вы уже подписали этот документ."))
    mine = [s for s in pending if roles.may_sign_slot(user, s)]
    if not mine:
        return SigningTurn(False, None, _("Вы не указаны среди подписантов этого документа."))
    following = pending[0]
    if following not in mine:
        return SigningTurn(
            False, mine[0],
            _("Сейчас документ подписывает %(next)s; ваша подпись — после него.")
            % {"next": _slot_label(following)},
        )
    return SigningTurn(True, following)


def _date(value: datetime) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def active_credential(user) -> SigningCredential | None:
    return SigningCredential.objects.filter(user=user, active=True).first()


def _check_credential_dates(credential: SigningCredential, moment: datetime) -> None:
    if moment < credential.not_before:
        raise CredentialRefused(
            _("Сертификат ещё не действует: он действителен с %(date)s.")
            % {"date": _date(credential.not_before)}
        )
    if moment > credential.not_after:
        raise CredentialRefused(
            _("Срок действия сертификата истёк %(date)s.") % {"date": _date(credential.not_after)}
        )


# --- Signing -----------------------------------------------------------------------------------

def signed_document_sign(
    *,
    signed_document: SignedDocument,
    user,
    passphrase: str,
    reason: str = "",
    location: str = "",
    signer: Signer | None = None,
) -> Signature:
    """Add ``user``'s signature in the next slot, with their active credential.

    Refused: a user who is not a signatory, or whose turn has not come (the seed's order), a
    second signature in a slot or by the same person, a missing/expired credential, a wrong
    passphrase. After signing, the whole file is verified against the trust roots; anything but
    "valid and trusted" refuses the signature and nothing is stored. ``signer`` replaces the
    PKCS#12 signer (another ``Signer`` implementation). The handlers registered for the
    document's kind (``reporting.signing.hooks``) run last, in the same transaction.
    """
    now = clock.now()
    with transaction.atomic():
        document = lock(signed_document)
        turn = signing_turn(signed_document=document, user=user)
        if not turn.may_sign:
            raise SigningRefused(turn.reason)
        slot = turn.slot
        credential = (
            SigningCredential.objects.select_for_update().filter(user=user, active=True).first()
        )
        if credential is None:
            raise CredentialRefused(
                _("У вас нет действующего сертификата подписи: загрузите свой PKCS#12 "
                  "или обратитесь к администратору.")
            )
        _check_credential_dates(credential, now)
        if signer is None:
            signer = Pkcs12Signer(bytes(credential.pkcs12), passphrase)
        if certificate_fingerprint(signer.certificate) != credential.fingerprint:
            raise CredentialRefused(_("Ключ подписи не соответствует вашему сертификату."))

        with document.current_file.open("rb") as handle:
            current = handle.read()
        if sha256_hex(current) != document.current_sha256:
            raise SigningRefused(
                _("Файл документа изменён в хранилище: подписание невозможно.")
            )
        full_name = _printed_name(user)
        position = (getattr(user, "position", "") or slot.position).strip()
        field_name = signature_field_name(slot.order)
        data = signer.sign(
            current,
            field_name=field_name,
            signatory=SignatoryInfo(full_name=full_name, position=position),
            reason=reason or DEFAULT_REASON,
            location=location,
            signing_time=now,
        )
        if not data.startswith(current):
            raise SigningRefused(_("Подпись должна дополнять документ, не меняя его."))
        report = verify_pdf(data)
        last = report.signatures[-1] if report.signatures else None
        if (
            not report.is_valid_trusted
            or len(report.signatures) != slot.order
            or last.field_name != field_name
            or last.certificate_fingerprint != credential.fingerprint
        ):
            raise SigningRefused(
                _("Подпись не прошла проверку (%(status)s): документ не изменён.")
                % {"status": report.status_text}
            )
        digest = sha256_hex(data)
        signature = Signature(
            signed_document=document,
            slot=slot,
            order=slot.order,
            field_name=field_name,
            signer=user,
            credential=credential,
            full_name=full_name,
            position=position,
            signed_at=now,
            sha256=digest,
            size=len(data),
        )
        signature.file.save(_stored_name(data), ContentFile(data), save=False)
        signature.save()
        document.current_file.name = signature.file.name
        document.current_sha256 = digest
        document.current_size = len(data)
        complete = not document.slots.filter(signature__isnull=True).exists()
        if complete:
            document.record_last_signature(by=user)
        else:
            document.record_signature(by=user)
        document.save()
        hooks.notify(document, signature, complete=complete)
        return signature


# --- Verification ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentVersion:
    """One stored version of a signed document, as downloaded: its bytes and their verification
    at the moment of download."""

    order: int  # signatures it carries (0: the frozen source)
    data: bytes
    report: VerificationReport
    filename: str


def _read(field_file) -> bytes | None:
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return None


def _version(document: SignedDocument, order: int | None):
    """(file, recorded SHA-256, recorded signatures, order) of one version."""
    rows = list(document.signatures.select_related("credential").order_by("order"))
    if order is None:
        return document.current_file, document.current_sha256, rows, len(rows)
    if order == 0:
        return document.source_file, document.source_sha256, [], 0
    for row in rows:
        if row.order == order:
            return row.file, row.sha256, rows[:order], order
    raise LookupError(f"{document} has no signature {order}")


def _verify_version(document, data, expected_sha, recorded) -> VerificationReport:
    report = verify_pdf(data)
    problems = []
    if sha256_hex(data) != expected_sha:
        problems.append(_("Файл не совпадает с записанной контрольной суммой."))
    if hashlib.sha256(data[: document.source_size]).hexdigest() != document.source_sha256:
        problems.append(_("Замороженное содержание документа изменено."))
    if len(report.signatures) != len(recorded):
        problems.append(_("Число подписей в файле не совпадает с журналом подписей."))
    for check, row in zip(report.signatures, recorded, strict=False):
        if check.field_name != row.field_name or (
            check.certificate_fingerprint != row.credential.fingerprint
        ):
            problems.append(
                _("Подпись %(field)s не совпадает с записью журнала подписей.")
                % {"field": row.field_name}
            )
    return report.with_problems(*problems)


def signed_document_verify(
    signed_document: SignedDocument, *, order: int | None = None
) -> VerificationReport:
    """Verify the stored current version (or the version after signature ``order``) against the
    trust roots and against what the database recorded: its SHA-256, the frozen source as an exact
    prefix, one embedded signature per recorded signature, each with the recorded field name and
    certificate. Any mismatch makes the report ``altered``."""
    field_file, expected_sha, recorded, _order = _version(signed_document, order)
    data = _read(field_file)
    if data is None:
        return VerificationReport(signatures=(), problems=(_("Файл документа не найден."),))
    return _verify_version(signed_document, data, expected_sha, recorded)


def signed_document_download(
    *, signed_document: SignedDocument, order: int | None = None
) -> DocumentVersion:
    """The bytes of the current version (or of the version after signature ``order``; 0 is the
    frozen source), verified now. Raises ``LookupError`` for a version that does not exist."""
    field_file, expected_sha, recorded, order = _version(signed_document, order)
    data = _read(field_file)
    if data is None:
        raise LookupError(f"the file of {signed_document} version {order} is missing")
    report = _verify_version(signed_document, data, expected_sha, recorded)
    filename = (
        f"{signed_document.kind}-v{signed_document.version}-{signed_document.language}"
        f"-signatures-{order}.pdf"
    )
    return DocumentVersion(order=order, data=data, report=report, filename=filename)


# --- Credentials -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CredentialInfo:
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    fingerprint: str
    subject: str
    issuer: str
    serial_number: str
    not_before: datetime
    not_after: datetime

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _validate_chain(certificate: x509.Certificate, chain: Sequence[x509.Certificate]) -> None:
    from pyhanko_certvalidator import CertificateValidator

    validator = CertificateValidator(
        trust.as_asn1(certificate),
        intermediate_certs=[trust.as_asn1(c) for c in chain],
        validation_context=trust.validation_context(),
    )
    try:
        outside_event_loop(asyncio.run, validator.async_validate_usage(key_usage=set()))
    except Exception as exc:  # no path to a root, or a path whose signatures do not hold
        logger.info("credential refused, certificate path: %s", exc)
        raise CredentialRefused(
            _("Сертификат выдан удостоверяющим центром, которому система не доверяет.")
        )


def credential_inspect(*, data: bytes, passphrase: str) -> CredentialInfo:
    """Open and check a PKCS#12 before it becomes a credential: the passphrase opens it, it holds
    a key matching its certificate, the certificate is a person's signing certificate (not a CA;
    key usage digitalSignature or nonRepudiation), valid today, issued under the trust roots."""
    contents = open_pkcs12(data, passphrase)
    certificate = contents.certificate
    now = clock.now()
    not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    if now < not_before:
        raise CredentialRefused(
            _("Сертификат ещё не действует: он действителен с %(date)s.")
            % {"date": _date(not_before)}
        )
    if now > not_after:
        raise CredentialRefused(
            _("Срок действия сертификата истёк %(date)s.") % {"date": _date(not_after)}
        )
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        if constraints.value.ca:
            raise CredentialRefused(
                _("Это сертификат удостоверяющего центра, а не сертификат подписанта.")
            )
    except x509.ExtensionNotFound:
        pass
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        signs = usage.digital_signature or usage.content_commitment
    except x509.ExtensionNotFound:
        signs = False
    if not signs:
        raise CredentialRefused(
            _("Сертификат не предназначен для подписи: в нём нет назначения "
              "«цифровая подпись» или «неотрекаемость».")
        )
    _validate_chain(certificate, contents.chain)
    return CredentialInfo(
        certificate=certificate,
        chain=contents.chain,
        fingerprint=certificate_fingerprint(certificate),
        subject=certificate.subject.rfc4514_string()[:500],
        issuer=certificate.issuer.rfc4514_string()[:500],
        serial_number=f"{certificate.serial_number:x}",
        not_before=not_before,
        not_after=not_after,
    )


def _credential_store(*, user, data: bytes, info: CredentialInfo, source: str, created_by):
    User = get_user_model()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # one credential change at a time
        if SigningCredential.objects.filter(user=user, fingerprint=info.fingerprint).exists():
            raise CredentialRefused(_("Этот сертификат уже загружен."))
        now = clock.now()
        SigningCredential.objects.filter(user=user, active=True).update(
            active=False, deactivated_at=now
        )
        return SigningCredential.objects.create(
            user=user,
            source=source,
            pkcs12=bytes(data),
            certificate_pem=info.certificate_pem,
            fingerprint=info.fingerprint,
            subject=info.subject,
            issuer=info.issuer,
            serial_number=info.serial_number,
            not_before=info.not_before,
            not_after=info.not_after,
            active=True,
            created_at=now,
            created_by=created_by,
        )


def signing_credential_upload(*, user, data: bytes, passphrase: str) -> SigningCredential:
    """A person's own PKCS#12 becomes their active credential (the previous one is deactivated).
    The passphrase only opens it for the checks and is not stored."""
    info = credential_inspect(data=data, passphrase=passphrase)
    return _credential_store(
        user=user, data=data, info=info, source=SigningCredential.Source.UPLOADED,
        created_by=user,
    )


def signing_credential_issue(*, user, passphrase: str, issued_by=None) -> SigningCredential:
    """Issue a credential for ``user`` from the configured CA (CN = full name, title = position)
    and make it their active one; the PKCS#12 is protected by ``passphrase`` (not stored) and a
    copy is kept under ``SIGNING_CA_DIR/issued/``."""
    if not passphrase:
        raise CredentialRefused(_("Задайте пароль для ключа подписи."))
    issued = demo_ca_module.issue_pkcs12(
        common_name=_printed_name(user),
        title=(getattr(user, "position", "") or "").strip(),
        uid=user.get_username(),
        passphrase=passphrase,
        store_as=user.get_username(),
    )
    info = credential_inspect(data=issued.pkcs12, passphrase=passphrase)
    return _credential_store(
        user=user, data=issued.pkcs12, info=info, source=SigningCredential.Source.ISSUED,
        created_by=issued_by,
    )


def issue_demo_credential(user, passphrase: str) -> SigningCredential:
    """The demo data's and tests' way to give ``user`` a credential from the demo CA."""
    return signing_credential_issue(user=user, passphrase=passphrase)


def signing_credential_deactivate(*, credential: SigningCredential, by) -> SigningCredential:
    with transaction.atomic():
        credential = lock(credential)
        if credential.active:
            credential.active = False
            credential.deactivated_at = clock.now()
            credential.save(update_fields=["active", "deactivated_at"])
        return credential


__all__ = [
    "CredentialInfo",
    "DocumentVersion",
    "Signatory",
    "SigningTurn",
    "active_credential",
    "credential_inspect",
    "issue_demo_credential",
    "signed_document_download",
    "signed_document_freeze",
    "signed_document_sign",
    "signed_document_verify",
    "signing_credential_deactivate",
    "signing_credential_issue",
    "signing_credential_upload",
    "signing_turn",
    "status_text",
]
