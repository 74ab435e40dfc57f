"""Streaming readers of import files: CSV (UTF-8, "," or ";") and XLSX (the first sheet's XML
read with ``iterparse``, elements cleared as they go). Neither loads the file whole: memory stays
flat in the file's size. Each yields ``(row number, [cell text, …])`` from row 1 (the header)
and reports progress as the fraction of bytes read."""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator

from lxml import etree

Progress = Callable[[float], None]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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


def iter_csv(path: str, *, total: int, progress: Progress | None = None,
             every: int = 50_000) -> Iterator[tuple[int, list[str]]]:
    with open(path, "rb", buffering=0) as raw_file:
        counting = _Counting(raw_file)
        text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 20), encoding="utf-8-sig",
                                newline="")
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        yield 1, next(csv.reader([first], delimiter=delimiter), [])
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            if progress is not None and number % every == 0:
                progress(counting.count / total if total else 1.0)
            yield number, row


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _first_sheet(archive: zipfile.ZipFile) -> str:
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if sheet is None:
        raise FileFormatError("no sheet")
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    raise FileFormatError("no sheet")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as stream:
        for _event, si in etree.iterparse(stream, tag=f"{_NS}si"):
            strings.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
            si.clear()
    return strings


def iter_xlsx(path: str, *, total: int = 0, progress: Progress | None = None,
              every: int = 20_000) -> Iterator[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise FileFormatError("zip") from error
    with archive:
        try:
            sheet_name = _first_sheet(archive)
        except KeyError as error:
            raise FileFormatError("workbook") from error
        strings = _shared_strings(archive)
        size = archive.getinfo(sheet_name).file_size or 1
        row_tag, cell_tag, v_tag, is_tag, t_tag = (
            f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}is", f"{_NS}t")
        with archive.open(sheet_name) as raw:
            counting = _Counting(raw)
            stream = io.BufferedReader(counting, 1 << 20)
            expected = 1
            for _event, row in etree.iterparse(stream, tag=row_tag):
                number = int(row.get("r") or expected)
                expected = number + 1
                values: list[str] = []
                for cell in row.iterchildren(cell_tag):
                    ref = cell.get("r")
                    if ref:
                        index = _column_index(ref)
                        while len(values) < index:
                            values.append("")
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        node = cell.find(is_tag)
                        text = ("".join(t.text or "" for t in node.iter(t_tag))
                                if node is not None else "")
                    else:
                        v = cell.find(v_tag)
                        text = v.text or "" if v is not None else ""
                        if kind == "s" and text:
                            text = strings[int(text)]
                        elif kind not in ("str", "s", "b", "e") and text.endswith(".0"):
                            text = text[:-2]  # whole numbers written as floats
                    values.append(text)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
                if progress is not None and number % every == 0:
                    progress(counting.count / size)
                yield number, values
