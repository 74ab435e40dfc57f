"""Streaming readers of import files: CSV (UTF-8, "," or ";") and XLSX (the first sheet's XML fed
in chunks to expat, shared strings and date styles read first). Neither loads the file whole nor
keeps its rows: ``rows()`` is a generator yielding ``(row number, [cell text, …])`` from row 1 (the
header), so memory stays flat in the file's size, and ``fraction`` tells how much of the file has
been read (for the progress bar).

XLSX cells come out as the text a user would type: shared and inline strings as they are (rich
text runs joined, phonetic runs left out), numbers as written (whole numbers without ``.0``),
cells with a date format as ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when they carry a time),
booleans as ``1``/``0``, empty or missing cells as ``""``.

Bounded whatever the file says (issue 16; the same numbers as the checks that run before, in
``assessments.kernel.upload_checks``): a cell beyond column IV or row 1,048,576, more cells in a
row than that, more shared strings than ``IMPORT_LIMITS.max_shared_strings``, or a DOCTYPE in
any XML part raises ``Refused`` — a row is never padded to a hostile column.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from xml.parsers import expat

from assessments.kernel.upload_checks import IMPORT_LIMITS, Refused, safe_parser

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_CHUNK = 1 << 16

Row = tuple[int, list[str]]


class FileFormatError(ValueError):
    pass


class _Counting(io.RawIOBase):
    """A raw stream that counts the bytes read through it."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def detect_format(head: bytes) -> str:
    """``xlsx`` or ``csv`` from the file's first bytes (never from its name)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in head:
        raise FileFormatError("binary")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise FileFormatError("encoding") from error
    return "csv"


class _Source:
    """A file read as a stream of rows; ``fraction`` is how much of it has been read (the bytes
    counted as they pass, over the file's size), for the progress bar."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._counting: _Counting | None = None
        self._size = 0

    @property
    def fraction(self) -> float:
        if self._counting is None or not self._size:
            return 0.0
        return min(1.0, self._counting.count / self._size)


class CsvSource(_Source):
    """Rows of a UTF-8 CSV (BOM allowed), the delimiter ("," or ";") guessed from the header."""

    def rows(self) -> Iterator[Row]:
        with open(self.path, "rb", buffering=0) as raw_file:
            self._size = raw_file.seek(0, io.SEEK_END) or 1
            raw_file.seek(0)
            self._counting = _Counting(raw_file)
            text = io.TextIOWrapper(io.BufferedReader(self._counting, 1 << 20),
                                    encoding="utf-8-sig", newline="")
            first = text.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            yield 1, next(csv.reader([first], delimiter=delimiter), [])
            yield from enumerate(csv.reader(text, delimiter=delimiter), start=2)


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _local(name: str) -> str:
    """An element's name without its namespace (expat gives ``uri name``)."""
    return name.rpartition(" ")[2]


def _parse_whole(data: bytes, start, end=None, chars=None) -> None:
    parser = safe_parser(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise FileFormatError("xml") from error


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except KeyError as error:
        raise FileFormatError(name) from error


def _workbook(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The first sheet's member name and whether the workbook counts dates from 1904."""
    found: dict[str, str] = {}

    def start(name, attrs):
        local = _local(name)
        if local == "sheet" and "sheet" not in found:
            found["sheet"] = attrs.get(f"{_REL} id", "")
        elif local == "workbookPr":
            found["date1904"] = attrs.get("date1904", "")

    _parse_whole(_read(archive, "xl/workbook.xml"), start)
    if not found.get("sheet"):
        raise FileFormatError("no sheet")
    targets: dict[str, str] = {}

    def rel(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse_whole(_read(archive, "xl/_rels/workbook.xml.rels"), rel)
    target = targets.get(found["sheet"])
    if not target:
        raise FileFormatError("no sheet")
    member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))
    return member, found.get("date1904", "").lower() in ("1", "true")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared strings, rich text runs joined, phonetic runs (``rPh``) left out."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}

    def start(name, attrs):
        local = _local(name)
        if local == "t":
            state["text"] = not state["phonetic"]
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "si":
            parts.clear()

    def end(name):
        local = _local(name)
        if local == "t":
            state["text"] = False
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "si":
            if len(strings) >= IMPORT_LIMITS.max_shared_strings:
                raise Refused("shared_strings", limit=IMPORT_LIMITS.max_shared_strings)
            strings.append("".join(parts))

    def chars(data):
        if state["text"]:
            parts.append(data)

    parser = safe_parser(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = chars
    try:
        with archive.open("xl/sharedStrings.xml") as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileFormatError("xml") from error
    return strings


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell styles (``cellXfs``) whose number format is a date or a time."""
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    custom: dict[int, str] = {}
    formats: list[int] = []
    depth = {"cellXfs": False}

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "cellXfs":
            depth["cellXfs"] = True
        elif local == "xf" and depth["cellXfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            depth["cellXfs"] = False

    _parse_whole(_read(archive, "xl/styles.xml"), start, end)
    dated = set()
    for index, fmt in enumerate(formats):
        code = custom.get(fmt) or BUILTIN_FORMATS.get(fmt, "")
        if code and is_date_format(code):
            dated.add(index)
    return frozenset(dated)


def _date_text(value: datetime) -> str:
    if value.hour or value.minute or value.second or value.microsecond:
        return value.isoformat(" ", "seconds")
    return value.date().isoformat()


class XlsxSource(_Source):
    """Rows of the workbook's first sheet, read by expat from the zip member as it inflates."""

    def rows(self) -> Iterator[Row]:
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as error:
            raise FileFormatError("zip") from error
        with archive:
            member, date1904 = _workbook(archive)
            strings = _shared_strings(archive)
            dated = _date_styles(archive)
            try:
                self._size = archive.getinfo(member).file_size or 1
            except KeyError as error:
                raise FileFormatError("no sheet") from error
            with archive.open(member) as raw:
                self._counting = _Counting(raw)
                yield from _sheet_rows(self._counting, strings, dated, date1904)


def _sheet_rows(stream, strings: list[str], dated: frozenset[int],
                date1904: bool) -> Iterator[Row]:
    """The sheet's rows: expat's callbacks fill ``ready``, drained after each chunk."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    max_columns, max_rows = IMPORT_LIMITS.max_columns, IMPORT_LIMITS.max_rows
    ready: list[Row] = []
    values: list[str] = []
    parts: list[str] = []
    # the current row number, cell (column, type, style), whether text is being collected,
    # and how deep inside a phonetic run (whose text is not the cell's)
    row_number = 0
    column = 0
    kind = None
    style = None
    collecting = False
    in_inline = False
    phonetic = 0
    # Names without namespace processing (faster): the prefix, if the sheet uses one, is the
    # root element's ("x:worksheet" → "x:").
    C = V = T = IS = ROW = RPH = ""

    def root(name, attrs):
        nonlocal C, V, T, IS, ROW, RPH
        prefix = name[: name.index(":") + 1] if ":" in name else ""
        C, V, T, IS, ROW, RPH = (prefix + local for local in ("c", "v", "t", "is", "row", "rPh"))
        parser.StartElementHandler = start

    def start(name, attrs):
        nonlocal row_number, column, kind, style, collecting, in_inline, phonetic
        if name == C:
            ref = attrs.get("r")
            column = _column_index(ref) if ref else len(values)
            if column >= max_columns:
                raise Refused("sheet_dimension", ref=(ref or "")[:20], columns=max_columns,
                              rows=max_rows)
            kind = attrs.get("t")
            style = attrs.get("s")
            parts.clear()
        elif name == V:
            collecting = True
        elif name == T:
            collecting = in_inline and not phonetic
        elif name == IS:
            in_inline = True
        elif name == ROW:
            ref = attrs.get("r")
            row_number = int(ref) if ref and ref.isdigit() else row_number + 1
            if row_number > max_rows:
                raise Refused("sheet_dimension", ref=f"A{row_number}", columns=max_columns,
                              rows=max_rows)
            values.clear()
        elif name == RPH:
            phonetic += 1

    def end(name):
        nonlocal collecting, in_inline, phonetic
        if name == V or name == T:
            collecting = False
        elif name == C:
            text = "".join(parts) if len(parts) != 1 else parts[0]
            if kind is None or kind == "n":
                if text:
                    if style is not None and dated and int(style) in dated:
                        try:
                            text = _date_text(from_excel(float(text), epoch))
                        except (ValueError, OverflowError):
                            pass
                    elif text.endswith(".0"):
                        text = text[:-2]  # whole numbers written as floats
            elif kind == "s":
                try:
                    text = strings[int(text)] if text else ""
                except (ValueError, IndexError) as error:
                    raise FileFormatError("shared string") from error
            elif kind == "d" and text:
                try:
                    text = _date_text(datetime.fromisoformat(text.rstrip("Z")))
                except ValueError:
                    pass
            if len(values) < column:
                values.extend([""] * (column - len(values)))
            values.append(text)
        elif name == IS:
            in_inline = False
        elif name == ROW:
            ready.append((row_number, values[:]))
        elif name == RPH:
            phonetic -= 1

    def chars(data):
        if collecting:
            parts.append(data)

    parser = safe_parser()
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartElementHandler = root
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
            if ready:
                yield from ready
                ready.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileFormatError("xml") from error
    yield from ready


# A sheet read whole by the Rust reader holds every cell of its area (≈ 32 bytes each, empty or
# not): 2,000,000 cells ≈ 64 MB. A larger area — declared (``<dimension>``) or spanned by its
# cells, as the checks found — is read by the streaming reader above, whose memory is flat.
DENSE_MAX_CELLS = 2_000_000


class DenseXlsxSource(_Source):
    """Rows of the workbook's first sheet read by ``python-calamine`` (Rust; several times
    faster than expat driven from Python), cells as :class:`XlsxSource` gives them. Only ever
    opened on a file that has passed ``upload_checks`` (issue 16: such a reader aborts the whole
    process on a sheet declaring a cell at XFD200000) with a sheet area of at most
    ``DENSE_MAX_CELLS`` — ``open_source`` decides. The sheet is read whole when the first row is
    asked for; ``fraction`` then follows the rows."""

    _done = 0

    @property
    def fraction(self) -> float:
        return min(1.0, self._done / self._size) if self._size else 0.0

    def rows(self) -> Iterator[Row]:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(self.path)
        except (CalamineError, OSError, ValueError) as error:
            raise FileFormatError("xlsx") from error
        try:
            try:
                sheet = book.get_sheet_by_index(0)
            except (CalamineError, IndexError, ValueError) as error:
                raise FileFormatError("sheet") from error
            if sheet.start is None:
                return
            # rows come from the sheet's first row, cells from the area's first column
            first_column = sheet.start[1]
            self._size = sheet.end[0] + 1
            pad = [""] * first_column
            text = _cell_text
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                self._done = number
                values = pad + [text(value) for value in cells] if pad else [
                    text(value) for value in cells]
                while values and values[-1] == "":
                    values.pop()
                yield number, values
        finally:
            book.close()


def _cell_text(value) -> str:
    """A calamine cell as :class:`XlsxSource` writes it."""
    kind = value.__class__
    if kind is str:
        return value
    if kind is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is int:
        return str(value)
    if kind is datetime:
        return _date_text(value)
    if kind is date:
        return value.isoformat()
    if kind is time:
        return _date_text(datetime.combine(date(1899, 12, 30), value))
    if kind is timedelta:
        return _date_text(datetime(1899, 12, 30) + value)
    return str(value)


def open_source(path: str, file_format: str, *,
                area: int | None = None) -> CsvSource | XlsxSource | DenseXlsxSource:
    """The reader of a stored file. ``area``: the largest sheet area the pre-parse checks found
    (``upload_checks.check_sheets``); the Rust reader only when it is known and small."""
    if file_format != "xlsx":
        return CsvSource(path)
    if area is not None and area <= DENSE_MAX_CELLS:
        return DenseXlsxSource(path)
    return XlsxSource(path)
