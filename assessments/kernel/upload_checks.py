"""The checks every uploaded file passes before anything parses it (issue 16), in plain Python
with no Django import, so that the same code runs in the web process (the cheap checks) and in
a throw-away subprocess under a memory cap and a hard timeout (everything that reads content:
``assessments.kernel.uploads.probe`` runs this file as a script).

    sniff(path) -> type                      the type from the content (never the name)
    check_archive(zf, limits)                entries, total uncompressed size, ratio, encryption
    check_sheets(zf, limits) -> area         every worksheet's declared dimension, cell and row
                                             references, shared strings — bounded
    safe_parser()                            expat refusing any DOCTYPE (no entities at all)
    document_text(path, type) -> Text        all text of a document, for the stamps (p.16)
    find_stamp(text) -> str | None           "ДСП"/secret stamps after normalisation

A refusal raises :class:`Refused` with a ``code`` (put into words by ``kernel.uploads``) and
its parameters. The numbers are in :data:`IMPORT_LIMITS` and :data:`DOCUMENT_LIMITS`.

Zip members are read through :mod:`zipfile`, which never inflates more than the size declared in
the central directory (a member that inflates to more fails its CRC), so bounding the declared
sizes bounds what is read.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int                  # the file itself
    max_entries: int = 2_000        # zip members
    max_total: int = 512 * MB       # sum of the members' uncompressed sizes
    max_member: int = 512 * MB      # one member, uncompressed
    max_ratio: int = 200            # uncompressed ÷ compressed, for members over 1 MB
    max_columns: int = 256          # a sheet's columns (A…IV)
    max_rows: int = 1_048_576       # a sheet's rows (Excel's own limit)
    max_cells: int = 50_000_000     # a sheet's declared rows × columns
    max_shared_strings: int = 2_000_000
    max_pages: int = 5_000          # a PDF's pages, all read for stamps


IMPORT_LIMITS = Limits(max_bytes=2 * 1024 * MB, max_total=2 * 1024 * MB,
                       max_member=2 * 1024 * MB)
DOCUMENT_LIMITS = Limits(max_bytes=20 * MB, max_total=256 * MB, max_member=256 * MB)


class Refused(Exception):
    """A file refused before (or while) it is read: ``code`` and ``params`` (see
    ``assessments.kernel.uploads.REASONS``)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


# --- type by content ------------------------------------------------------------------------

_ODF = {b"application/vnd.oasis.opendocument.text": "odt",
        b"application/vnd.oasis.opendocument.spreadsheet": "ods"}


def sniff(path: str) -> str | None:
    """``pdf``, ``png``, ``jpeg``, ``docx``, ``xlsx``, ``odt``, ``ods``, ``zip`` (another
    archive) or None, from the first bytes and, for archives, the central directory."""
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                    return _ODF.get(archive.read("mimetype").strip())
        except (zipfile.BadZipFile, OSError, KeyError) as error:
            raise Refused("archive_broken") from error
        return "zip"
    return None


ARCHIVE_TYPES = frozenset({"docx", "xlsx", "odt", "ods", "zip"})


# --- archives -------------------------------------------------------------------------------


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse an archive by its central directory alone: too many entries, encrypted members,
    a member or the whole too large once inflated, or compressed too well to be a document."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise Refused("archive_entries", n=len(infos), limit=limits.max_entries)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("archive_encrypted")
        if info.file_size > limits.max_member:
            raise Refused("archive_size", mb=limits.max_member // MB)
        total += info.file_size
        if total > limits.max_total:
            raise Refused("archive_size", mb=limits.max_total // MB)
        if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Refused("archive_ratio", ratio=info.file_size // max(info.compress_size, 1),
                          limit=limits.max_ratio)


# --- XML ------------------------------------------------------------------------------------


def _no_doctype(*args) -> None:
    raise Refused("xml_doctype")


def safe_parser(**kwargs) -> expat.XMLParserType:
    """An expat parser that refuses any DOCTYPE: OOXML and ODF never carry one, and without it
    there are no entities to expand (no billion laughs, no external entities)."""
    parser = expat.ParserCreate(**kwargs)
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _feed(parser, stream, chunk: int = 1 << 16) -> None:
    try:
        while data := stream.read(chunk):
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise Refused("xml", detail=str(error)[:200]) from error


# --- spreadsheets ---------------------------------------------------------------------------

_REF = re.compile(r"([A-Z]{1,7})([0-9]{1,9})")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_position(ref: str) -> tuple[int, int] | None:
    """``(column, row)`` of a reference such as ``XFD200000`` (1-based), None if not one."""
    match = _REF.fullmatch(ref.replace("$", "").upper())
    if not match:
        return None
    return column_number(match.group(1)), int(match.group(2))


def check_reference(ref: str, limits: Limits) -> tuple[int, int]:
    """A cell reference within the columns and rows allowed; its ``(column, row)``."""
    position = cell_position(ref)
    if position is None:
        raise Refused("sheet_reference", ref=ref[:20])
    column, row = position
    if column > limits.max_columns or row > limits.max_rows:
        raise Refused("sheet_dimension", ref=ref[:20], columns=limits.max_columns,
                      rows=limits.max_rows)
    return position


def check_dimension(ref: str, limits: Limits) -> int:
    """A sheet's declared ``<dimension ref="A1:XFD200000">``: each corner within the columns and
    rows allowed, and not more cells than :attr:`Limits.max_cells`. Returns the cells from A1
    to its far corner."""
    corners = ref.split(":")
    positions = []
    for corner in corners[:2]:
        check_reference(corner, limits)
        positions.append(cell_position(corner))
    if len(positions) == 2:
        (c1, r1), (c2, r2) = positions
        cells = (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
        if cells > limits.max_cells:
            raise Refused("sheet_dimension", ref=ref[:40], columns=limits.max_columns,
                          rows=limits.max_rows)
        # as a reader holding the sheet whole would size it: from A1 to the far corner
        return max(c1, c2) * max(r1, r2)
    return positions[0][0] * positions[0][1] if positions else 0


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _scan_sheet(stream, limits: Limits) -> int:
    """One worksheet's checks (see :func:`check_sheets`); its area. Called for every element of
    a sheet that may hold a million cells, so kept lean: plain names compared first (a prefixed
    name, ``x:c``, by its local part), a column's letters turned into a number once."""
    max_columns, max_rows = limits.max_columns, limits.max_rows
    cells = row = column = declared = bottom = right = 0
    column_of: dict[str, int] = {}
    fullmatch = _REF.fullmatch

    def start(tag, attrs):
        nonlocal cells, row, column, declared, bottom, right
        local = tag if ":" not in tag else tag.rpartition(":")[2]
        if local == "c":
            cells += 1
            ref = attrs.get("r")
            if cells > max_columns:
                raise Refused("sheet_dimension", ref=(ref or "")[:20], columns=max_columns,
                              rows=max_rows)
            if ref:
                match = fullmatch(ref)
                if match is None:  # "$A$1", lower case … or not a reference at all
                    column, cell_row = check_reference(ref, limits)
                else:
                    letters = match.group(1)
                    column = column_of.get(letters)
                    if column is None:
                        column = column_of[letters] = column_number(letters)
                    cell_row = int(match.group(2))
                    if column > max_columns or cell_row > max_rows:
                        raise Refused("sheet_dimension", ref=ref[:20], columns=max_columns,
                                      rows=max_rows)
            else:
                column, cell_row = column + 1, row
            if column > right:
                right = column
            if cell_row > bottom:
                bottom = cell_row
        elif local == "row":
            cells = column = 0
            ref = attrs.get("r")
            row = int(ref) if ref and ref.isdigit() else row + 1
            if row > max_rows:
                raise Refused("sheet_dimension", ref=f"A{row}", columns=max_columns,
                              rows=max_rows)
        elif local == "dimension":
            declared = check_dimension(attrs.get("ref", "A1"), limits)

    parser = safe_parser()
    parser.StartElementHandler = start
    _feed(parser, stream)
    # from A1 (a reader numbers rows and columns from there) to the last cell
    return max(declared, bottom * right)


def check_sheets(archive: zipfile.ZipFile, limits: Limits) -> int:
    """Every worksheet of an XLSX: its declared dimension, every row number and cell reference,
    and the number of cells in a row, bounded; the shared strings counted. Streamed (expat
    seeing start tags only), so a hostile sheet is refused at its first bad reference.

    Returns the largest area of any sheet — the cells of its declared dimension or of the
    rectangle its cells span, whichever is larger: what a reader holding a sheet whole (the Rust
    one) would allocate, so the import can choose its reader (``imports.readers.open_source``)."""
    names = archive.namelist()
    largest = 0
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as stream:
            largest = max(largest, _scan_sheet(stream, limits))
    if "xl/sharedStrings.xml" in names:
        count = {"n": 0}

        def string(tag, attrs):
            if _local(tag) == "si":
                count["n"] += 1
                if count["n"] > limits.max_shared_strings:
                    raise Refused("shared_strings", limit=limits.max_shared_strings)

        parser = safe_parser()
        parser.StartElementHandler = string
        with archive.open("xl/sharedStrings.xml") as stream:
            _feed(parser, stream)
    return largest


def check_file(path: str, limits: Limits, *, sheets: bool = False,
               found: dict | None = None) -> str | None:
    """The cheap checks of a stored upload: real size, type by content, and for an archive its
    central directory (and, with ``sheets``, every worksheet's references; the largest sheet
    area goes into ``found["area"]``). Returns the type."""
    import os

    size = os.path.getsize(path)
    if size > limits.max_bytes:
        raise Refused("size", mb=limits.max_bytes // MB)
    kind = sniff(path)
    if kind in ARCHIVE_TYPES:
        try:
            with zipfile.ZipFile(path) as archive:
                check_archive(archive, limits)
                if sheets and kind == "xlsx":
                    area = check_sheets(archive, limits)
                    if found is not None:
                        found["area"] = area
        except zipfile.BadZipFile as error:
            raise Refused("archive_broken") from error
    return kind


# --- text of a document ---------------------------------------------------------------------

# Elements after which the text breaks (paragraphs, cells, headers and footers, document
# properties); runs inside a paragraph are joined, so a stamp split across runs is found.
_BREAKS = frozenset({
    "p", "h", "br", "cr", "tab", "tc", "tr", "si", "c", "is", "row", "table-cell", "line-break",
    "oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter",
    "title", "subject", "description", "keywords", "creator", "category", "comments",
    "txbxContent", "footnote", "endnote", "comment",
})
# parts of an OOXML/ODF package whose text is not the document's
_SKIP_PARTS = re.compile(r"(\.rels$|^\[Content_Types\]\.xml$|(^|/)styles\.xml$|theme/|"
                         r"settings\.xml$|fontTable\.xml$|webSettings\.xml$|manifest\.xml$|"
                         r"calcChain\.xml$|numbering\.xml$)")


@dataclass
class Text:
    text: str = ""
    pages: int = 0
    pages_without_text: int = 0      # PDF pages with no text layer (scans)
    images: int = 0                  # pictures in the document (a stamp may be pixels)
    parts: list[str] = field(default_factory=list)


def _xml_text(stream) -> str:
    out: list[str] = []

    def chars(data):
        out.append(data)

    def end(tag):
        if _local(tag) in _BREAKS:
            out.append("\n")

    parser = safe_parser()
    parser.buffer_text = True
    parser.CharacterDataHandler = chars
    parser.EndElementHandler = end
    _feed(parser, stream)
    return "".join(out)


def _package_text(path: str) -> Text:
    result = Text()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            lower = name.lower()
            if lower.endswith((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff",
                               ".emf", ".wmf")):
                # a picture in the document may carry a stamp as pixels (the package's own
                # thumbnail of its first page is a rendering of text read here)
                if not lower.startswith(("docprops/thumbnail", "thumbnails/")):
                    result.images += 1
                continue
            if not lower.endswith(".xml") or _SKIP_PARTS.search(name):
                continue
            with archive.open(name) as stream:
                result.parts.append(_xml_text(stream))
    result.text = "\n".join(result.parts)
    return result


def _pdf_text(path: str, limits: Limits) -> Text:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        count = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise Refused("unreadable") from error
    if count > limits.max_pages:
        raise Refused("pages", limit=limits.max_pages)
    result = Text(pages=count)
    parts = []
    metadata = reader.metadata or {}
    for key in ("/Title", "/Subject", "/Keywords"):
        if metadata.get(key):
            parts.append(str(metadata[key]))
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # a damaged page counts as one without text: a person looks at it
            text = ""
        if not text.strip():
            result.pages_without_text += 1
        parts.append(text)
    result.text = "\n".join(parts)
    return result


def document_text(path: str, kind: str, limits: Limits = DOCUMENT_LIMITS) -> Text:
    """All text of a document of ``kind``: every page of a PDF; every XML part of a DOCX, XLSX,
    ODT or ODS (body, headers, footers, footnotes, text boxes, comments, cells, document
    properties). Images carry no text here: ``images`` counts them."""
    if kind == "pdf":
        return _pdf_text(path, limits)
    if kind in ("docx", "xlsx", "odt", "ods"):
        return _package_text(path)
    if kind in ("png", "jpeg"):
        return Text(images=1)
    return Text()


# --- stamps (p.16) --------------------------------------------------------------------------

# Latin (and other) letters that look like Cyrillic ones: "ДCП" with a Latin C is "ДСП".
_LOOKALIKES = str.maketrans({
    "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н", "K": "К",
    "k": "к", "M": "М", "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т", "X": "Х", "x": "х",
    "y": "у", "Y": "У", "ё": "е", "Ё": "Е", "0": "О",
    "Α": "А", "Β": "В", "Ε": "Е", "Η": "Н", "Κ": "К", "Μ": "М", "Ο": "О", "Ρ": "Р", "Τ": "Т",
    "Χ": "Х", "Υ": "У", "ο": "о", "α": "а", "ρ": "р",
})
# invisible characters a stamp may be broken with
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff\u034f\u180e]")
_LETTER = "A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі"
_SEP = r"[\s.\-_·•/\\*]*"

_STAMP_PATTERNS = (
    (re.compile(r"для\s*служебного\s*пользования", re.I), "Для служебного пользования"),
    (re.compile(rf"(?<![{_LETTER}0-9])Д{_SEP}С{_SEP}П(?![{_LETTER}])"), "ДСП"),
    (re.compile(rf"(?<![{_LETTER}])(совершенно\s*)?секретно(?![{_LETTER}])", re.I), "Секретно"),
    (re.compile(r"қызмет\s*бабында\s*пайдалану\s*үшін", re.I), "Қызмет бабында пайдалану үшін"),
    (re.compile(rf"(?<![{_LETTER}])құпия(?![{_LETTER}])", re.I), "Құпия"),
)


def normalise(text: str) -> str:
    """NFKC (full-width and compatibility forms), invisible characters removed, look-alike
    letters read as Cyrillic, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.translate(_LOOKALIKES)
    return re.sub(r"\s+", " ", text)


def find_stamp(text: str) -> str | None:
    """The restrictive stamp found in ``text`` (after :func:`normalise`), or None."""
    flat = normalise(text)
    for pattern, name in _STAMP_PATTERNS:
        if pattern.search(flat):
            return name
    return None


# --- the probe: run as a script under a memory cap ------------------------------------------


def probe(path: str, purpose: str) -> dict:
    """Everything a stored upload goes through before it is used, as a dict: ``{"ok": True,
    "type", "stamp", "needs_confirmation"}`` or ``{"ok": False, "code", "params"}``."""
    limits = IMPORT_LIMITS if purpose == "import" else DOCUMENT_LIMITS
    try:
        found: dict = {}
        kind = check_file(path, limits, sheets=(purpose == "import"), found=found)
        if purpose == "import":
            return {"ok": True, "type": kind or "csv", "stamp": None,
                    "needs_confirmation": False, **found}
        if kind is None:
            raise Refused("unreadable")
        text = document_text(path, kind, limits)
        stamp = find_stamp(text.text)
        pixels = kind in ("png", "jpeg") or text.pages_without_text > 0 or text.images > 0
        return {"ok": True, "type": kind, "stamp": stamp,
                "needs_confirmation": bool(pixels and not stamp)}
    except Refused as refusal:
        return {"ok": False, "code": refusal.code, "params": refusal.params}
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError) as error:
        return {"ok": False, "code": "unreadable", "params": {"detail": str(error)[:200]}}


if __name__ == "__main__":  # python upload_checks.py PURPOSE PATH  (kernel.uploads.probe)
    sys.stdout.write(json.dumps(probe(sys.argv[2], sys.argv[1])))
    sys.stdout.flush()
