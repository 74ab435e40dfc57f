"""Sample files for the submission tests: clean and stamped PDFs and DOCX, a PNG, and import
files (CSV and XLSX) with good and bad rows."""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@cache
def pdf_bytes(text: str) -> bytes:
    from reporting.rendering import html_to_pdf

    return html_to_pdf(f"<html><body><p>{text}</p></body></html>")


def docx_bytes(text: str, *, header: str = "") -> bytes:
    from docx import Document

    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    return ("\n".join(",".join(str(c) for c in row) for row in rows) + "\n").encode("utf-8")


MONITORING_HEADER = ["bin", "service_code", "date", "rendered", "late", "unjustified_refusals",
                     "incomplete_package", "extra_documents"]
