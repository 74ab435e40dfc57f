"""Two-phase PAdES signing of PDF bytes (pyHanko's interrupted signing), with a visible stamp.

``prepare_pdf`` appends the next revision to the PDF: a new signature field (with a visible stamp
in the signatory's place of the signature block when the document marks it), the signature
dictionary and an empty ``/Contents`` placeholder; it returns those bytes and where the
placeholder sits. ``PreparedPdf.signed_data`` is what the signature must cover: the whole
``/ByteRange`` data (the file without the placeholder), not a digest — the server cannot know
whether the signer's key is RSA or GOST, so the signer hashes it. ``complete_pdf`` writes the
detached CMS the signer returns into the placeholder. ``inspect_cms`` reads a CMS before it is
embedded: the certificate, the digest algorithm and whether its messageDigest covers the data.

Both ways of signing use these two phases: NCALayer (the browser gets ``signed_data``, the key
never reaches the server) and the demo PKCS#12 (``cms_for_data`` makes the CMS on the server).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from asn1crypto import cms as asn1_cms
from cryptography import x509
from django.conf import settings
from pyhanko import stamp
from pyhanko.pdf_utils import text as pdf_text
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from reporting.signing._loop import outside_event_loop
from reporting.signing.base import SignatoryInfo

DIGEST_ALGORITHM = "sha256"
# The /Contents placeholder, in bytes of DER (written as twice as many hex digits): room for a
# CMS with its certificate chain (an RSA-4096 or GOST chain of three stays well under 12 KiB).
CMS_RESERVED_BYTES = 16384
# Where a signatory's stamp goes: the PDF templates mark each place of the signature block with
# an element ``id="sig-slot-N"`` of this size (templates/pdf/annexes/_signatures.html); WeasyPrint
# turns ids into named destinations (page, left, top), which is all the server needs to place it.
STAMP_ANCHOR = "sig-slot-{order}"
STAMP_ROLE_ANCHOR = "sig-role-{role}"
STAMP_WIDTH_PT = 70 * 72 / 25.4   # 70 mm
STAMP_HEIGHT_PT = 20 * 72 / 25.4  # 20 mm
STAMP_TEXT = "%(heading)s\n%(name)s\n%(position)s\n%(when)s"
_DIGESTS = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


@dataclass(frozen=True)
class StampBox:
    """Where a visible stamp goes: the page (0-based) and its rectangle (x1, y1, x2, y2)."""

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class PreparedPdf:
    """The next revision with an empty signature placeholder, waiting for its CMS."""

    pdf: bytes
    reserved_start: int
    reserved_end: int

    @property
    def signed_data(self) -> bytes:
        """The ``/ByteRange`` data: every byte of ``pdf`` except the placeholder."""
        return self.pdf[: self.reserved_start] + self.pdf[self.reserved_end:]

    def digest(self, algorithm: str = DIGEST_ALGORITHM) -> bytes:
        return _DIGESTS[algorithm](self.signed_data).digest()


def _stamp_font() -> str:
    """The stamp's font: the bundled DejaVu Sans (Cyrillic and Kazakh letters) rescaled to 1000
    units per em — pyHanko's glyph widths assume 1000 (DejaVu's own 2048 spreads the letters
    apart); made once into the temporary directory, named by the source's hash."""
    import tempfile

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = Path(settings.BASE_DIR) / "static" / "fonts" / "DejaVuSans.ttf"
    data = source.read_bytes()
    target = Path(tempfile.gettempdir()) / (
        f"stamp-{hashlib.sha256(data).hexdigest()[:16]}-1000upem.ttf")
    if not target.exists():
        font = TTFont(io.BytesIO(data))
        scale_upem(font, 1000)
        partial = target.with_suffix(f".{id(font)}.part")
        font.save(str(partial))
        partial.replace(target)
    return str(target)


@lru_cache(maxsize=1)
def _stamp_style() -> stamp.TextStampStyle:
    from pyhanko.pdf_utils.font import opentype  # needs pyHanko[opentype] (uharfbuzz)

    return stamp.TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=pdf_text.TextBoxStyle(
            font=opentype.GlyphAccumulatorFactory(_stamp_font()), font_size=7, leading=9,
        ),
        border_width=1,
        background=None,
    )


def _named_destinations(reader: PdfFileReader) -> dict[str, list]:
    names = reader.root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    found: dict[str, list] = {}

    def walk(node):
        node = node.get_object()
        pairs = node.get("/Names")
        if pairs is not None:
            for i in range(0, len(pairs) - 1, 2):
                found[str(pairs[i])] = pairs[i + 1]
        for kid in node.get("/Kids", ()):
            walk(kid)

    walk(names["/Dests"])
    return found


def stamp_box(pdf: bytes, order: int, role: str = "") -> StampBox | None:
    """The rectangle the template reserved for a signatory's stamp — the place of its ``role``
    in the block, else the ``order``-th place (the anchor's page and top-left corner, the stamp's
    fixed size) — or ``None`` if the document marks none (the field is then invisible)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        dests = _named_destinations(reader)
        dest = dests.get(STAMP_ROLE_ANCHOR.format(role=role)) if role else None
        if dest is None:
            dest = dests.get(STAMP_ANCHOR.format(order=order))
        if dest is None:
            return None
        dest = dest.get_object() if hasattr(dest, "get_object") else dest
        if isinstance(dest, dict):  # a destination dictionary: {/D [page /XYZ left top zoom]}
            dest = dest["/D"]
        page_ref, left, top = dest.raw_get(0), float(dest[2]), float(dest[3])
        count = int(reader.root["/Pages"]["/Count"])
        page = [reader.find_page_for_modification(i)[0].idnum for i in range(count)].index(
            page_ref.idnum)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return None
    return StampBox(page=page, box=(
        round(left), round(top - STAMP_HEIGHT_PT), round(left + STAMP_WIDTH_PT), round(top),
    ))


def existing_signature_fields(pdf: bytes) -> list[str]:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [name for name, _value, _ref in fields.enumerate_sig_fields(reader)]


class _PdfSignerAt(signers.PdfSigner):
    """pyHanko's PdfSigner with the signing time (the signature dictionary's /M) taken from the
    application clock, so that demo cycles played on chosen dates carry those dates."""

    def __init__(self, *args, signing_time: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        if self._signing_time is not None:
            session.system_time = self._signing_time
        return session


def stamp_texts(signatory: SignatoryInfo, signing_time: datetime, *, heading: str) -> dict:
    from django.utils import timezone

    local = timezone.localtime(signing_time) if timezone.is_aware(signing_time) else signing_time
    return {
        "heading": heading,
        "name": signatory.full_name,
        "position": signatory.position or " ",
        "when": local.strftime("%d.%m.%Y %H:%M"),
    }


def prepare_pdf(
    pdf: bytes,
    *,
    field_name: str,
    signatory: SignatoryInfo,
    signing_time: datetime,
    reason: str = "",
    location: str = "",
    box: StampBox | None = None,
    heading: str = "",
) -> PreparedPdf:
    """Append the next revision: a signature field ``field_name`` (a visible stamp in ``box``,
    else an invisible field), the signature dictionary (``/M`` = ``signing_time``, ``/Name``,
    ``/Reason``) and an empty ``/Contents`` placeholder."""
    if field_name in existing_signature_fields(pdf):
        raise ValueError(f"the PDF already has a signature field named {field_name!r}")
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm=DIGEST_ALGORITHM,
        name=signatory.printed or None,
        reason=reason or None,
        location=location or None,
    )
    spec = (
        fields.SigFieldSpec(field_name, on_page=box.page, box=box.box) if box is not None
        else fields.SigFieldSpec(field_name)
    )
    pdf_signer = _PdfSignerAt(
        metadata,
        signer=signers.ExternalSigner(None, None, signature_value=bytes(256)),
        stamp_style=_stamp_style(),
        new_field_spec=spec,
        signing_time=signing_time,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    prepared, _tbs, output = outside_event_loop(
        asyncio.run,
        pdf_signer.async_digest_doc_for_signing(
            writer,
            bytes_reserved=CMS_RESERVED_BYTES,
            appearance_text_params=stamp_texts(signatory, signing_time, heading=heading),
        ),
    )
    return PreparedPdf(
        pdf=output.getvalue(),
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
    )


def complete_pdf(prepared: PreparedPdf, cms_der: bytes) -> bytes:
    """Write the DER CMS into the placeholder; the result is the signed revision."""
    if 2 * len(cms_der) > prepared.reserved_end - prepared.reserved_start - 2:
        raise ValueError("the CMS does not fit the reserved placeholder")
    output = io.BytesIO(prepared.pdf)
    PreparedByteRangeDigest(
        document_digest=prepared.digest(),
        reserved_region_start=prepared.reserved_start,
        reserved_region_end=prepared.reserved_end,
    ).fill_with_cms(output, cms_der)
    return output.getvalue()


# --- The CMS a signer returns ------------------------------------------------------------------

_PEM = re.compile(rb"-----BEGIN [A-Z0-9 ]+-----|-----END [A-Z0-9 ]+-----")


def decode_cms(text: str | bytes) -> bytes:
    """DER bytes from what a browser posts: base64 (NCALayer), possibly PEM-armoured."""
    raw = text.encode("ascii", "ignore") if isinstance(text, str) else bytes(text)
    if raw[:1] == b"\x30":  # already DER
        return raw
    body = _PEM.sub(b"", raw)
    body = b"".join(body.split())
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64")


@dataclass(frozen=True)
class CmsFacts:
    """What a detached CMS says before it is embedded."""

    certificate: x509.Certificate
    digest_algorithm: str
    covers_data: bool          # its messageDigest is the digest of the data it was asked to sign
    encapsulated: bool         # carries the content (attached) instead of being detached


def inspect_cms(cms_der: bytes, data: bytes) -> CmsFacts:
    """Parse a CMS SignedData (one signer) and compare its messageDigest with ``data``."""
    info = asn1_cms.ContentInfo.load(cms_der)
    if info["content_type"].native != "signed_data":
        raise ValueError("not a CMS SignedData")
    signed = info["content"]
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        raise ValueError("expected exactly one signer")
    signer_info = signer_infos[0]
    sid = signer_info["sid"]
    certificate = None
    for choice in signed["certificates"] or ():
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if sid.name == "issuer_and_serial_number":
            matches = (cert.issuer == sid.chosen["issuer"]
                       and cert.serial_number == sid.chosen["serial_number"].native)
        else:
            matches = cert.key_identifier == sid.chosen.native
        if matches:
            certificate = x509.load_der_x509_certificate(cert.dump())
            break
    if certificate is None:
        raise ValueError("the signer's certificate is not in the CMS")
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    digest_function = _DIGESTS.get(algorithm)
    message_digest = None
    for attribute in signer_info["signed_attrs"] or ():
        if attribute["type"].native == "message_digest":
            message_digest = attribute["values"][0].native
    encapsulated = signed["encap_content_info"]["content"].native is not None
    covers = (
        digest_function is not None and message_digest is not None
        and digest_function(data).digest() == message_digest
    )
    if encapsulated and signed["encap_content_info"]["content"].native != data:
        covers = False
    return CmsFacts(certificate=certificate, digest_algorithm=algorithm or "",
                    covers_data=covers, encapsulated=encapsulated)


def cms_for_data(signer: signers.Signer, data: bytes, signing_time: datetime) -> bytes:
    """A detached CAdES CMS over ``data`` made with a key the server holds (the demo signer)."""
    content_info = outside_event_loop(
        asyncio.run,
        signer.async_sign_general_data(
            data, DIGEST_ALGORITHM, detached=True, use_cades=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=signing_time),
        ),
    )
    return content_info.dump()
