"""Verification of every signature of a PDF against the trust roots, offline (PAdES B-B).

Per signature: ``intact`` (the signed byte ranges hash to the value that was signed — a byte
changed anywhere in them makes it false), ``valid`` (the signature over that hash verifies with the
certificate's key), ``trusted`` (the certificate chains to one of the roots and may sign), the
coverage, and what was appended after it. ``valid`` alone is not enough: a changed byte keeps the
CMS signature mathematically valid while the document hash no longer matches.

The overall status is the worst of:

* ``altered`` — a signature is not intact or not valid, the last one does not cover the whole file
  (something was appended after it), a revision other than a signature was added after a signature,
  or the file cannot be read as a PDF;
* ``untrusted`` — every signature is intact and valid, but a certificate does not chain to the
  configured roots (or may not sign);
* ``valid_trusted`` — every signature intact, valid and trusted, and nothing appended;
* ``unsigned`` — a readable PDF without signatures.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

from reporting.signing import trust
from reporting.signing._loop import outside_event_loop

logger = logging.getLogger(__name__)

# Every outcome of a signature's check in words (issue 16): ``SignatureCheck.problem`` holds
# one of these codes, never an exception's text; the technical detail goes to ``detail`` and the
# log, not to the reader.
REASONS = {
    "certificate": gettext_lazy("Сертификат подписи не читается или повреждён."),
    "cms": gettext_lazy("Подпись повреждена: её данные (CMS) или подписанные диапазоны байтов "
                        "не читаются."),
    "appended": gettext_lazy("После последней подписи в файл добавлены данные."),
    "not_intact": gettext_lazy("Подписанное содержимое изменено: его хеш не совпадает с "
                               "подписанным."),
    "not_valid": gettext_lazy("Подпись не проверяется ключом сертификата."),
    "coverage": gettext_lazy("Подпись охватывает не весь документ."),
    "modified": gettext_lazy("После подписи в документ внесены изменения, кроме подписей."),
    "untrusted": gettext_lazy("Сертификат не выдан доверенным удостоверяющим центром или не "
                              "предназначен для подписи."),
    "ok": gettext_lazy("Подпись действительна, сертификат доверенный."),
}


class Status(StrEnum):
    VALID_TRUSTED = "valid_trusted"
    UNTRUSTED = "untrusted"
    ALTERED = "altered"
    UNSIGNED = "unsigned"


# Worst first: the document's status is the worst of its signatures'.
_SEVERITY = {Status.ALTERED: 3, Status.UNTRUSTED: 2, Status.UNSIGNED: 1, Status.VALID_TRUSTED: 0}

_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "partial",
    SignatureCoverageLevel.UNCLEAR: "unclear",
}
_MODIFICATION = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "validation_data",
    ModificationLevel.FORM_FILLING: "signatures",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}
# What may follow a signature: nothing, or further signatures (which pyHanko's diff analysis
# classes as form filling).
_ALLOWED_AFTER = {"none", "signatures"}


def status_text(status: str) -> str:
    """The short translated name of a status, e.g. for a badge or a response header."""
    return {
        Status.VALID_TRUSTED: _("действительна и доверенная"),
        Status.UNTRUSTED: _("недоверенная"),
        Status.ALTERED: _("изменена"),
        Status.UNSIGNED: _("не подписан"),
    }[Status(status)]


@dataclass(frozen=True)
class SignatureCheck:
    """The verification of one embedded signature."""

    field_name: str
    signer_common_name: str
    signer_title: str
    signer_name: str
    signing_time: datetime | None
    certificate_fingerprint: str
    issuer: str
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modified_after: str
    revision: int | None = None
    problem: str = ""  # a code of REASONS (never an exception's text)
    detail: str = ""   # the technical detail (logged, not shown)
    # the signer certificate's end of validity: the check is "at the present moment", so its
    # outcome may change then (services._verified keeps a verification no longer)
    not_after: datetime | None = None

    @property
    def reason(self) -> str:
        """Why the signature has its status, in the reader's language."""
        if self.problem:
            code = self.problem if self.problem in REASONS else "cms"
        elif not self.intact:
            code = "not_intact"
        elif not self.valid:
            code = "not_valid"
        elif self.coverage not in {"entire_file", "entire_revision"}:
            code = "coverage"
        elif self.modified_after not in _ALLOWED_AFTER:
            code = "modified"
        elif not self.trusted:
            code = "untrusted"
        else:
            code = "ok"
        return str(REASONS[code])

    @property
    def status(self) -> Status:
        if not (self.intact and self.valid) or self.problem:
            return Status.ALTERED
        if self.coverage not in {"entire_file", "entire_revision"}:
            return Status.ALTERED
        if self.modified_after not in _ALLOWED_AFTER:
            return Status.ALTERED
        if not self.trusted:
            return Status.UNTRUSTED
        return Status.VALID_TRUSTED

    @property
    def printed_signer(self) -> str:
        """"ФИО, должность": the signature's /Name, else the certificate's name and title."""
        if self.signer_name:
            return self.signer_name
        return ", ".join(p for p in (self.signer_common_name, self.signer_title) if p)

    @property
    def label(self) -> str:
        messages = {
            Status.VALID_TRUSTED: _("подписано %(signer)s — действительна и доверенная"),
            Status.UNTRUSTED: _("подписано %(signer)s — недоверенная"),
            Status.ALTERED: _("подписано %(signer)s — изменена"),
        }
        return messages[self.status] % {"signer": self.printed_signer}


@dataclass(frozen=True)
class VerificationReport:
    """Every signature of one file and the overall status."""

    signatures: tuple[SignatureCheck, ...]
    problems: tuple[str, ...] = field(default=())
    sha256: str = ""

    @property
    def status(self) -> Status:
        if self.problems:
            return Status.ALTERED
        if not self.signatures:
            return Status.UNSIGNED
        return max((s.status for s in self.signatures), key=_SEVERITY.__getitem__)

    @property
    def covers_whole_file(self) -> bool:
        """Whether the last signature covers every byte (nothing appended after it)."""
        return bool(self.signatures) and self.signatures[-1].coverage == "entire_file"

    @property
    def is_valid_trusted(self) -> bool:
        return self.status == Status.VALID_TRUSTED

    @property
    def status_text(self) -> str:
        return status_text(self.status)

    @property
    def label(self) -> str:
        return {
            Status.VALID_TRUSTED: _("Все подписи действительны и доверенные"),
            Status.UNTRUSTED: _("Есть подпись с недоверенным сертификатом"),
            Status.ALTERED: _("Документ изменён после подписания"),
            Status.UNSIGNED: _("Документ не подписан"),
        }[self.status]

    def with_problems(self, *problems: str) -> VerificationReport:
        return VerificationReport(
            signatures=self.signatures,
            problems=self.problems + tuple(p for p in problems if p),
            sha256=self.sha256,
        )


def _subject_attr(certificate, name: str) -> str:
    try:
        value = certificate.subject.native.get(name, "")
    except Exception:
        return ""
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value or "")


def _pdf_text(value) -> str:
    if value is None:
        return ""
    try:
        return str(value)
    except Exception:
        return ""


def _check_one(embedded, roots, *, is_last: bool) -> SignatureCheck:
    sig_object = embedded.sig_object
    base = {
        "field_name": embedded.field_name or "",
        "signer_name": _pdf_text(sig_object.get("/Name")),
        "revision": embedded.signed_revision,
    }
    try:
        certificate = embedded.signer_cert
        base.update(
            signer_common_name=_subject_attr(certificate, "common_name"),
            signer_title=_subject_attr(certificate, "title"),
            certificate_fingerprint=certificate.sha256.hex(),
            issuer=certificate.issuer.human_friendly,
            not_after=certificate.not_valid_after,
        )
    except Exception as exc:
        base.update(signer_common_name="", signer_title="", certificate_fingerprint="",
                    issuer="", not_after=None)
        logger.info("signature %s: unreadable certificate: %r", base["field_name"], exc)
        return SignatureCheck(signing_time=None, intact=False, valid=False, trusted=False,
                              coverage="unclear", modified_after="other",
                              problem="certificate", detail=f"{type(exc).__name__}: {exc}",
                              **base)
    try:
        status = outside_event_loop(
            validate_pdf_signature,
            embedded,
            signer_validation_context=trust.validation_context(roots),
            key_usage_settings=trust.SIGNING_KEY_USAGE,
        )
    except Exception as exc:  # a damaged CMS or byte range: the signature does not hold
        logger.info("signature %s: does not validate: %r", base["field_name"], exc)
        return SignatureCheck(signing_time=None, intact=False, valid=False, trusted=False,
                              coverage="unclear", modified_after="other",
                              problem="cms", detail=f"{type(exc).__name__}: {exc}", **base)
    coverage = _COVERAGE.get(status.coverage, "unclear")
    modification = status.modification_level
    modified_after = _MODIFICATION.get(modification, "other") if modification else "other"
    problem = ""
    if is_last and coverage != "entire_file":
        problem = "appended"
    return SignatureCheck(
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=coverage,
        modified_after=modified_after,
        problem=problem,
        **base,
    )


def verify_pdf(data: bytes, trust_roots: trust.TrustRoots | None = None) -> VerificationReport:
    """Verify every signature of ``data`` against ``trust_roots`` (default: the configured
    roots). Never raises on bad input: an unreadable file comes out as ``altered``."""
    from reporting.rendering import sha256_hex

    digest = sha256_hex(data)
    roots = trust.load_trust_roots() if trust_roots is None else list(trust_roots)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        total_revisions = reader.xrefs.total_revisions
    except Exception as exc:
        logger.info("verification: not readable as a PDF: %r", exc)
        return VerificationReport(
            signatures=(),
            problems=(_("Файл не читается как PDF: он повреждён или это не PDF."),),
            sha256=digest,
        )
    embedded.sort(key=lambda e: (e.signed_revision is None, e.signed_revision or 0))
    checks = tuple(
        _check_one(e, roots, is_last=(i == len(embedded) - 1)) for i, e in enumerate(embedded)
    )
    problems: list[str] = []
    # Each signature must be the revision right after the previous one: nothing but signatures
    # may be slipped in between them.
    revisions = [c.revision for c in checks]
    if checks and None not in revisions:
        if any(b != a + 1 for a, b in zip(revisions, revisions[1:], strict=False)):
            problems.append(_("Между подписями добавлены изменения"))
        if revisions[-1] != total_revisions - 1:
            problems.append(_("После последней подписи в файл добавлены изменения"))
    return VerificationReport(signatures=checks, problems=tuple(problems), sha256=digest)
