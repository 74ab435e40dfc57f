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
import functools
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
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
    SigningPreparation,
)
from reporting.rendering import sha256_hex
from reporting.signing import ca as demo_ca_module
from reporting.signing import hooks, phases, roles, trust
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


def credential_expiry_warning(user) -> str:
    """A warning for the sign pages when the person's active certificate expires within
    ``SIGNING_EXPIRY_WARNING_DAYS`` (or has expired), else an empty string."""
    credential = active_credential(user)
    if credential is None:
        return ""
    now = clock.now()
    days = int(getattr(settings, "SIGNING_EXPIRY_WARNING_DAYS", 30))
    if now > credential.not_after:
        return _("Срок действия вашего сертификата подписи истёк %(date)s: получите новый.") % {
            "date": _date(credential.not_after)}
    if credential.not_after - now <= timedelta(days=days):
        return _("Срок действия вашего сертификата подписи истекает %(date)s: получите новый "
                 "заранее, чтобы не прерывать подписание.") % {"date": _date(credential.not_after)}
    return ""


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


# --- Signing: two phases ----------------------------------------------------------------------

@dataclass
class Prepare:
    """Ask a signing service for phase one only (NCALayer): ``signed_document_sign`` stores a
    preparation and puts it in ``.preparation``; the feature's own checks run as for a
    signature. The browser then asks NCALayer for a CMS over its data and sends ``Complete``."""

    preparation: SigningPreparation | None = None


@dataclass
class Complete:
    """Phase two: the CMS the browser got from NCALayer for preparation ``preparation_id``
    (base64, PEM or DER); ``.signature`` holds the stored signature afterwards."""

    preparation_id: int
    cms: str | bytes
    signature: Signature | None = None


SigningStep = str | Prepare | Complete

METHOD_DEMO = "demo"
METHOD_NCALAYER = "ncalayer"
# The text at the head of a visible stamp, in the document's language.
STAMP_HEADINGS = {"ru": "Подписано ЭЦП", "kk": "ЭЦҚ-мен қол қойылды", "en": "Digitally signed"}


def signing_method() -> str:
    return getattr(settings, "SIGNING_METHOD", METHOD_DEMO)


def _expiry_minutes() -> int:
    return int(getattr(settings, "SIGNING_PREPARATION_MINUTES", 5))


def _turn_or_refuse(document: SignedDocument, user) -> SignatorySlot:
    turn = signing_turn(signed_document=document, user=user)
    if not turn.may_sign:
        raise SigningRefused(turn.reason)
    return turn.slot


def _current_bytes(document: SignedDocument) -> bytes:
    with document.current_file.open("rb") as handle:
        current = handle.read()
    if sha256_hex(current) != document.current_sha256:
        raise SigningRefused(_("Файл документа изменён в хранилище: подписание невозможно."))
    return current


def _source_bytes(document: SignedDocument) -> bytes:
    with document.source_file.open("rb") as handle:
        return handle.read()


def signed_document_prepare(
    *,
    signed_document: SignedDocument,
    user,
    reason: str = "",
    location: str = "",
    method: str | None = None,
) -> SigningPreparation:
    """Phase one: check that it is ``user``'s turn, then freeze the next revision — a new field
    ``SignatureN`` with a visible stamp (name, position, signing time) in the signatory's place of
    the signature block, the signature dictionary and an empty placeholder — and store it as a
    preparation that expires in ``SIGNING_PREPARATION_MINUTES``. What the signature must cover
    is ``preparation_data(preparation)``: every byte but the placeholder."""
    now = clock.now()
    with transaction.atomic():
        document = lock(signed_document)
        slot = _turn_or_refuse(document, user)
        if method is None:
            method = signing_method()
        current = _current_bytes(document)
        full_name = _printed_name(user)
        position = (getattr(user, "position", "") or slot.position).strip()
        field_name = signature_field_name(slot.order)
        prepared = phases.prepare_pdf(
            current,
            field_name=field_name,
            signatory=SignatoryInfo(full_name=full_name, position=position),
            signing_time=now,
            reason=reason or DEFAULT_REASON,
            location=location,
            box=phases.stamp_box(_source_bytes(document), slot.order, slot.role),
            heading=STAMP_HEADINGS.get(document.language, STAMP_HEADINGS["ru"]),
        )
        if not prepared.pdf.startswith(current):
            raise SigningRefused(_("Подпись должна дополнять документ, не меняя его."))
        return SigningPreparation.objects.create(
            signed_document=document,
            slot=slot,
            user=user,
            method=method,
            field_name=field_name,
            base_sha256=document.current_sha256,
            prepared_pdf=prepared.pdf,
            reserved_start=prepared.reserved_start,
            reserved_end=prepared.reserved_end,
            data_sha256=hashlib.sha256(prepared.signed_data).hexdigest(),
            signing_time=now,
            reason=(reason or DEFAULT_REASON)[:1000],
            created_at=now,
            expires_at=now + timedelta(minutes=_expiry_minutes()),
        )


def _prepared(preparation: SigningPreparation) -> phases.PreparedPdf:
    return phases.PreparedPdf(
        pdf=bytes(preparation.prepared_pdf),
        reserved_start=preparation.reserved_start,
        reserved_end=preparation.reserved_end,
    )


def preparation_data(preparation: SigningPreparation) -> bytes:
    """The bytes the signature must cover (the ``/ByteRange`` data of the prepared revision)."""
    return _prepared(preparation).signed_data


def _certificate_iin_bin(certificate: x509.Certificate) -> tuple[str, str]:
    """The IIN and BIN of a Kazakh certificate: SERIALNUMBER ``IIN…`` and OU ``BIN…``."""
    from cryptography.x509.oid import NameOID

    iin = bin_ = ""
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER):
        value = str(attribute.value).upper()
        if value.startswith("IIN") and value[3:].isdigit():
            iin = value[3:]
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME):
        value = str(attribute.value).upper()
        if value.startswith("BIN") and value[3:].isdigit():
            bin_ = value[3:]
    return iin, bin_


def _check_signing_certificate(certificate: x509.Certificate, moment: datetime) -> None:
    """A certificate that may sign documents: valid now, not a CA, with digitalSignature or
    nonRepudiation (a key for authentication only is of the wrong type)."""
    if moment < certificate.not_valid_before_utc:
        raise CredentialRefused(
            _("Сертификат ещё не действует: он действителен с %(date)s.")
            % {"date": _date(certificate.not_valid_before_utc)}
        )
    if moment > certificate.not_valid_after_utc:
        raise CredentialRefused(
            _("Срок действия сертификата истёк %(date)s.")
            % {"date": _date(certificate.not_valid_after_utc)}
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        signs = usage.digital_signature or usage.content_commitment
        if not usage.content_commitment and usage.key_encipherment:
            signs = False  # NCALayer's AUTH key: digitalSignature + keyEncipherment
    except x509.ExtensionNotFound:
        signs = False
    if not signs:
        raise CredentialRefused(
            _("Выбран ключ не того типа: это ключ для входа (аутентификации), а не для "
              "подписи. Выберите в NCALayer ключ подписи (RSA… или GOST…, не AUTH…).")
        )


def _organisation_bins(user) -> set[str]:
    """The BINs of the organisations ``user`` works in today (active memberships) and of the
    organisations directly above them."""
    from assessments.kernel.people import memberships_active

    rows = memberships_active().filter(user_id=user.pk).values_list(
        "organisation__bin", "organisation__parent__bin")
    return {value for row in rows for value in row if value}


def _ncalayer_credential(user, certificate: x509.Certificate, moment: datetime):
    """The person's NCALayer credential for ``certificate``: the certificate alone, bound to the
    account by the IIN in its subject (a certificate with another IIN is refused) and, for an
    organisation's key, by the BIN in it (it must be the BIN of an organisation the person works
    in: ``_organisation_bins``), chaining to the trust roots; the first signature with a new
    certificate records it (and makes it active)."""
    user_iin = (getattr(user, "iin", "") or "").strip()
    if not user_iin:
        raise CredentialRefused(
            _("В вашей учётной записи не указан ИИН: администратор должен внести его, "
              "чтобы подпись через NCALayer была принята.")
        )
    cert_iin, cert_bin = _certificate_iin_bin(certificate)
    if cert_iin != user_iin:
        raise CredentialRefused(
            _("Сертификат выдан другому лицу (ИИН %(iin)s), а не вам: подпись не принята.")
            % {"iin": cert_iin or "—"}
        )
    if cert_bin and cert_bin not in _organisation_bins(user):
        raise CredentialRefused(
            _("Сертификат выдан сотруднику другой организации (БИН %(bin)s), а не организации, "
              "в которой вы работаете: подпись не принята.") % {"bin": cert_bin}
        )
    _check_signing_certificate(certificate, moment)
    fingerprint = certificate_fingerprint(certificate)
    existing = (
        SigningCredential.objects.select_for_update()
        .filter(user=user, fingerprint=fingerprint).first()
    )
    if existing is not None:
        if not existing.active:
            raise CredentialRefused(_("Этот сертификат отозван в системе: подпись не принята."))
        return existing
    _validate_chain(certificate, ())
    SigningCredential.objects.filter(user=user, active=True).update(
        active=False, deactivated_at=moment
    )
    return SigningCredential.objects.create(
        user=user,
        source=SigningCredential.Source.NCALAYER,
        pkcs12=None,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        fingerprint=fingerprint,
        subject=certificate.subject.rfc4514_string()[:500],
        issuer=certificate.issuer.rfc4514_string()[:500],
        serial_number=f"{certificate.serial_number:x}",
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        iin=cert_iin,
        bin=cert_bin,
        active=True,
        created_at=moment,
        created_by=user,
    )


def signed_document_complete(*, preparation: SigningPreparation, user, cms) -> Signature:
    """Phase two: embed the detached CMS and store the signature — under the document's lock,
    after every check of phase one again and these: the preparation is ``user``'s, pending, not
    expired, and still extends the document's current version (else it is stale); the CMS is
    over the prepared bytes; its certificate is the signatory's (NCALayer: the IIN in its
    subject; the demo: the active credential); the signed file verifies as valid and trusted.
    Any refusal raises with a translated reason and stores nothing. The hooks of the document's
    kind run last, in the same transaction."""
    now = clock.now()
    with transaction.atomic():
        document = lock(SignedDocument.objects.get(pk=preparation.signed_document_id))
        preparation = SigningPreparation.objects.select_for_update().get(pk=preparation.pk)
        if preparation.user_id != user.pk:
            raise SigningRefused(_("Эта подготовка подписи сделана для другого подписанта."))
        if preparation.state != SigningPreparation.State.PENDING:
            raise SigningRefused(_("Эта подпись уже получена: подготовьте подпись заново."))
        if now > preparation.expires_at:
            raise SigningRefused(
                _("Подготовка подписи устарела (действует %(minutes)s мин.): подпишите ещё раз.")
                % {"minutes": _expiry_minutes()}
            )
        slot = _turn_or_refuse(document, user)
        if slot.pk != preparation.slot_id or document.current_sha256 != preparation.base_sha256:
            raise SigningRefused(
                _("Документ изменился после подготовки подписи: подпишите ещё раз.")
            )
        prepared = _prepared(preparation)
        data = prepared.signed_data
        if hashlib.sha256(data).hexdigest() != preparation.data_sha256:
            raise SigningRefused(_("Подготовленные данные повреждены: подпишите ещё раз."))
        try:
            cms_der = phases.decode_cms(cms)
            facts = phases.inspect_cms(cms_der, data)
        except Exception:
            raise SigningRefused(_("Получена не подпись CMS: документ не изменён."))
        if not facts.covers_data:
            raise SigningRefused(
                _("Подпись сделана не над этим документом (другие данные): документ не изменён.")
            )
        if preparation.method == METHOD_NCALAYER:
            credential = _ncalayer_credential(user, facts.certificate, now)
        else:
            credential = (
                SigningCredential.objects.select_for_update()
                .filter(user=user, active=True).first()
            )
            if credential is None:
                raise CredentialRefused(_no_credential_message())
            _check_credential_dates(credential, now)
        if certificate_fingerprint(facts.certificate) != credential.fingerprint:
            raise CredentialRefused(_("Ключ подписи не соответствует вашему сертификату."))
        try:
            signed = phases.complete_pdf(prepared, cms_der)
        except ValueError:
            raise SigningRefused(_("Подпись слишком велика для подготовленного места."))
        report = verify_pdf(signed)
        last = report.signatures[-1] if report.signatures else None
        if (
            not report.is_valid_trusted
            or len(report.signatures) != slot.order
            or last.field_name != preparation.field_name
            or last.certificate_fingerprint != credential.fingerprint
        ):
            raise SigningRefused(
                _("Подпись не прошла проверку (%(status)s): документ не изменён.")
                % {"status": report.status_text}
            )
        digest = sha256_hex(signed)
        signature = Signature(
            signed_document=document,
            slot=slot,
            order=slot.order,
            field_name=preparation.field_name,
            signer=user,
            credential=credential,
            full_name=_printed_name(user),
            position=(getattr(user, "position", "") or slot.position).strip(),
            signed_at=preparation.signing_time,
            sha256=digest,
            size=len(signed),
        )
        signature.file.save(_stored_name(signed), ContentFile(signed), save=False)
        signature.save()
        preparation.complete(by=user)
        preparation.completed_at = now
        preparation.save()
        document.current_file.name = signature.file.name
        document.current_sha256 = digest
        document.current_size = len(signed)
        complete = not document.slots.filter(signature__isnull=True).exists()
        if complete:
            document.record_last_signature(by=user)
        else:
            document.record_signature(by=user)
        document.save()
        hooks.notify(document, signature, complete=complete)
        return signature


def _server_keys_refused() -> str:
    return _("В этой системе подписывают ЭЦП через NCALayer: ключи на сервер не передаются.")


def _no_credential_message() -> str:
    return _("У вас нет действующего сертификата подписи: загрузите свой PKCS#12 "
             "или обратитесь к администратору.")


def signed_document_sign(
    *,
    signed_document: SignedDocument,
    user,
    passphrase: SigningStep,
    reason: str = "",
    location: str = "",
    signer: Signer | None = None,
):
    """Add ``user``'s signature in the next slot. ``passphrase`` says how:

    * a string — the demo signer: the person's active PKCS#12 opened with it makes the CMS on
      the server, both phases in one transaction (``signer`` replaces the PKCS#12 signer);
    * ``Prepare()`` — phase one only (NCALayer): returns the ``SigningPreparation``;
    * ``Complete(preparation_id, cms)`` — phase two: returns the ``Signature``.

    Refused: a user who is not a signatory, or whose turn has not come (the seed's order), a
    second signature in a slot or by the same person, a missing/expired credential, a wrong
    passphrase, and every refusal of ``signed_document_complete``. Feature services pass this
    argument through, so every signing path has both ways of signing.
    """
    if isinstance(passphrase, Prepare):
        passphrase.preparation = signed_document_prepare(
            signed_document=signed_document, user=user, reason=reason, location=location,
            method=METHOD_NCALAYER,
        )
        return passphrase.preparation
    if isinstance(passphrase, Complete):
        try:
            preparation = SigningPreparation.objects.get(pk=int(passphrase.preparation_id))
        except (SigningPreparation.DoesNotExist, TypeError, ValueError):
            raise SigningRefused(_("Подготовка подписи не найдена: подпишите ещё раз."))
        if preparation.signed_document_id != signed_document.pk:
            raise SigningRefused(
                _("Эта подготовка подписи относится к другому документу: подпись не принята.")
            )
        passphrase.signature = signed_document_complete(
            preparation=preparation, user=user, cms=passphrase.cms
        )
        return passphrase.signature
    if signing_method() == METHOD_NCALAYER:
        raise CredentialRefused(_server_keys_refused())
    now = clock.now()
    with transaction.atomic():
        document = lock(signed_document)
        _turn_or_refuse(document, user)
        credential = (
            SigningCredential.objects.select_for_update().filter(user=user, active=True).first()
        )
        if credential is None or (credential.pkcs12 is None and signer is None):
            raise CredentialRefused(_no_credential_message())
        _check_credential_dates(credential, now)
        if signer is None:
            signer = Pkcs12Signer(bytes(credential.pkcs12), passphrase)
        if certificate_fingerprint(signer.certificate) != credential.fingerprint:
            raise CredentialRefused(_("Ключ подписи не соответствует вашему сертификату."))
        preparation = signed_document_prepare(
            signed_document=document, user=user, reason=reason, location=location,
            method=METHOD_DEMO,
        )
        cms = signer.sign_data(preparation_data(preparation), signing_time=preparation.signing_time)
        return signed_document_complete(preparation=preparation, user=user, cms=cms)


def pending_preparation(*, preparation_id, user) -> SigningPreparation | None:
    return SigningPreparation.objects.filter(pk=preparation_id, user=user).first()


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


# Bump when verify.py judges differently (every cached verification becomes stale).
VERIFIER_VERSION = "1"
VERIFICATION_CACHE_SECONDS = 30 * 24 * 3600


@functools.lru_cache(maxsize=1)
def _verifier_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("pyHanko", "pyhanko-certvalidator"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    return ";".join(parts)


def verification_config_digest() -> str:
    """The SHA-256 of what a verification depends on besides the file: the trust roots (each
    configured file's path and bytes, read now: a root replaced in place counts), the
    revocation settings, and the verifier (its version and pyHanko's)."""
    h = hashlib.sha256(f"{VERIFIER_VERSION};{_verifier_versions()}".encode())
    h.update(f"|fetching={trust.ALLOW_FETCHING}|revocation={trust.REVOCATION_MODE}".encode())
    for path in trust.trust_root_paths():
        h.update(b"|root:" + str(path).encode() + b":")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def _verified(data: bytes, digest: str) -> VerificationReport:
    """``verify_pdf(data)``, kept (the default cache: Redis in production) under the file's
    SHA-256 and ``verification_config_digest()``: the full validation with pyHanko runs again
    only when the bytes or the configuration change — or when a signer's certificate expires,
    since the check is "at the present moment" (a kept result is used only before the earliest
    ``not_after`` of its signers). Without the cache (an error reaching it) it verifies.
    The signatures' reasons are worded when read (in the reader's language), so a kept report
    reads in every language."""
    from django.core.cache import cache

    key = f"signing:verified:{digest}:{verification_config_digest()}"
    now = clock.now()
    try:
        kept = cache.get(key)
    except Exception:  # the cache unreachable: verify as if nothing were kept
        logger.warning("verification cache unreachable", exc_info=True)
        kept = None
    if isinstance(kept, VerificationReport) and kept.sha256 == digest:
        ends = [c.not_after for c in kept.signatures if c.not_after is not None]
        if not ends or now < min(ends):
            return kept
    report = verify_pdf(data)
    ends = [c.not_after for c in report.signatures if c.not_after is not None]
    # A report with problems of its own (a file not readable as a PDF, revisions slipped in
    # between signatures: a document altered) holds them in the language of this request: it
    # is not kept (such a file is verified in full each time; a sound one is kept).
    timeout = VERIFICATION_CACHE_SECONDS if not report.problems else 0
    if ends:
        timeout = int(min(timeout, (min(ends) - now).total_seconds()))
    if timeout > 0:
        try:
            cache.set(key, report, timeout)
        except Exception:
            logger.warning("verification cache unreachable", exc_info=True)
    return report


def _verify_version(document, data, expected_sha, recorded) -> VerificationReport:
    digest = sha256_hex(data)
    report = _verified(data, digest)
    problems = []
    if digest != expected_sha:
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
    The passphrase only opens it for the checks and is not stored. Refused when the deployment
    signs through NCALayer (keys never reach the server)."""
    if signing_method() == METHOD_NCALAYER:
        raise CredentialRefused(_server_keys_refused())
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
    "Complete",
    "CredentialInfo",
    "DocumentVersion",
    "Prepare",
    "Signatory",
    "SigningTurn",
    "active_credential",
    "credential_inspect",
    "issue_demo_credential",
    "preparation_data",
    "signed_document_complete",
    "signed_document_download",
    "signed_document_prepare",
    "signed_document_freeze",
    "signed_document_sign",
    "signed_document_verify",
    "signing_credential_deactivate",
    "signing_credential_issue",
    "signing_credential_upload",
    "signing_turn",
    "status_text",
]
