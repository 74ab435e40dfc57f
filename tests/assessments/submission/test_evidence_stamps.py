""""ДСП" and secret stamps cannot slip through (p.16, issue 16): every text of every accepted
text-bearing type is read and normalised — numeric character entities, footnotes, headers and
footers, text boxes, a stamp on page 60 of a PDF, XLSX and ODS cells, Latin look-alike letters.
Each file is built here and checked by the production path (a capped subprocess)."""

from __future__ import annotations

import io
import zipfile

import pytest

from assessments.submission.services.evidence import DocumentRefused, document_check
from tests.worlds.samples import docx_bytes, xlsx_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(parts: dict[str, bytes], *, stored_first: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (stored_first or {}).items():
            z.writestr(zipfile.ZipInfo(name), data)  # ODF: "mimetype" first, stored
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _docx(body: str, **extra: str) -> bytes:
    parts = {"[Content_Types].xml": b"<Types/>",
             "word/document.xml": f'<?xml version="1.0"?><w:document {W}><w:body>{body}'
                                  "</w:body></w:document>".encode()}
    for name, xml in extra.items():
        parts[f"word/{name}.xml"] = xml.encode()
    return _package(parts)


def _refused(content: bytes) -> DocumentRefused:
    with pytest.raises(DocumentRefused) as refused:
        document_check(content, classification="open")
    assert refused.value.reason == "stamp", refused.value.message
    return refused.value


def test_numeric_character_entities_are_read_as_letters():
    # &#1044;&#1057;&#1055; is "ДСП"
    _refused(_docx("<w:p><w:r><w:t>Гриф: &#1044;&#x421;&#1055;</w:t></w:r></w:p>"))


def test_a_stamp_split_across_runs_is_found():
    _refused(_docx("<w:p><w:r><w:t>Для служеб</w:t></w:r><w:r><w:t>ного пользо</w:t></w:r>"
                   "<w:r><w:t>вания</w:t></w:r></w:p>"))


def test_footnotes_headers_footers_and_text_boxes_are_read():
    clean = "<w:p><w:r><w:t>Отчёт о работе</w:t></w:r></w:p>"
    assert document_check(_docx(clean), classification="open").file_type == "docx"
    _refused(_docx(clean, footnotes=f'<w:footnotes {W}><w:footnote><w:p><w:r><w:t>Секретно'
                                    "</w:t></w:r></w:p></w:footnote></w:footnotes>"))
    _refused(_docx(clean, footer1=f"<w:ftr {W}><w:p><w:r><w:t>ДСП</w:t></w:r></w:p></w:ftr>"))
    _refused(docx_bytes("Отчёт", header="Қызмет бабында пайдалану үшін"))
    _refused(_docx('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
                   "<v:textbox><w:txbxContent><w:p><w:r><w:t>ДСП</w:t></w:r></w:p>"
                   "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"))


def test_latin_look_alike_letters_do_not_hide_a_stamp():
    assert _refused(_docx("<w:p><w:r><w:t>Гриф ДCП</w:t></w:r></w:p>")).params == {"stamp": "ДСП"}
    _refused(_docx("<w:p><w:r><w:t>CEKPETHO</w:t></w:r></w:p>"))


def test_a_stamp_on_page_60_of_a_pdf_is_found():
    from reporting.rendering import html_to_pdf

    pages = "".join(f'<p style="page-break-after: always">Страница {n}</p>' for n in range(1, 60))
    pdf = html_to_pdf(f"<html><body>{pages}<p>Для служебного пользования</p></body></html>")
    _refused(pdf)


def test_xlsx_cells_are_read():
    assert document_check(xlsx_bytes([["Показатель", 1]]), classification="open")
    _refused(xlsx_bytes([["Показатель", 1], ["Гриф", "Д С П"]]))


def test_ods_and_odt_are_accepted_and_their_text_read():
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def ods(cell: str) -> bytes:
        content = (f'<?xml version="1.0"?><office:document-content {ns}><office:body>'
                   "<office:spreadsheet><table:table><table:table-row><table:table-cell>"
                   f"<text:p>{cell}</text:p></table:table-cell></table:table-row></table:table>"
                   "</office:spreadsheet></office:body></office:document-content>").encode()
        return _package({"content.xml": content}, stored_first={
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})

    assert document_check(ods("Показатель"), classification="open").file_type == "ods"
    _refused(ods("Совершенно секретно"))
