"""Hostile files against the checks that run before anything parses an upload (issue 16). Every
file is built here, for real — zip bombs, a sheet with a cell at ZZZZZZ2 or XFD200000, billion
laughs, NUL bytes, an archive whose directory lies — and goes through the production probe: a
fresh interpreter under a memory cap and a hard timeout (``assessments.kernel.uploads.probe``).
The timeouts are generous limits, not timed assertions."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.kernel import upload_checks, uploads
from assessments.kernel.upload_checks import DOCUMENT_LIMITS, Limits, Refused

MB = 1024 * 1024
CAP = 512 * MB  # the address space the tests' subprocesses get: far below what a bomb needs

_CT = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       b'package/2006/content-types"></Types>')
_WORKBOOK = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
             b'officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" '
             b'r:id="rId1"/></sheets></workbook>')
_RELS = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
         b'</Relationships>')
_MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx(sheet_body: bytes, *, dimension: str = "", shared: bytes | None = None) -> bytes:
    """A minimal workbook whose first sheet holds ``sheet_body`` (the ``<sheetData>``)."""
    out = io.BytesIO()
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _RELS)
        z.writestr("xl/worksheets/sheet1.xml", b"<?xml version=\"1.0\"?><worksheet " + _MAIN
                   + b">" + dim + b"<sheetData>" + sheet_body + b"</sheetData></worksheet>")
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def docx(document_xml: bytes, **parts: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("word/document.xml", document_xml)
        for name, data in parts.items():
            z.writestr(name.replace("__", "/"), data)
    return out.getvalue()


def w_doc(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body
            + "</w:body></w:document>").encode()


def zip_bomb_docx(inflated: int) -> bytes:
    """A DOCX whose document.xml inflates to ``inflated`` bytes of XML whitespace, written in
    chunks (never held whole): the shape of the 300 KB DOCX that took 850 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(w_doc("<w:p><w:r><w:t>Отчёт</w:t></w:r></w:p>")[:-len(
                b"</w:body></w:document>")])
            chunk = b" " * MB
            for _ in range(inflated // MB):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def probed(tmp_path, data: bytes, purpose: str, name: str = "f") -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    return uploads.probe(str(path), purpose, memory=CAP, timeout=120)


# --- archives -------------------------------------------------------------------------------


def test_a_docx_zip_bomb_is_refused_by_its_ratio_without_being_inflated(tmp_path):
    bomb = zip_bomb_docx(300 * MB)
    assert len(bomb) < 1 * MB  # ~300 KB on the wire
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    with pytest.raises(uploads.UploadRefused) as refused:  # the web request's cheap check
        uploads.cheap_check(str(path), DOCUMENT_LIMITS)
    assert refused.value.reason in ("archive_ratio", "archive_size")
    assert "архив-бомб" in refused.value.message
    result = probed(tmp_path, bomb, "document", "bomb2.docx")
    assert not result["ok"] and result["code"] in ("archive_ratio", "archive_size")


def test_the_total_size_and_the_entry_count_are_bounded():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for i in range(30):
            z.writestr(f"word/part{i}.xml", b"x" * 1000)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    with pytest.raises(Refused) as refused:
        upload_checks.check_archive(archive, Limits(max_bytes=MB, max_entries=20))
    assert refused.value.code == "archive_entries"
    with pytest.raises(Refused) as refused:
        upload_checks.check_archive(archive, Limits(max_bytes=MB, max_total=20_000))
    assert refused.value.code == "archive_size"
    upload_checks.check_archive(archive, DOCUMENT_LIMITS)


def test_an_archive_whose_directory_understates_a_member_is_not_inflated_past_it(tmp_path):
    data = bytearray(docx(w_doc("<w:p><w:r><w:t>" + "Отчёт " * 200_000 + "</w:t></w:r></w:p>")))
    directory = data.rfind(b"PK\x01\x02")
    # the last central-directory entry is word/document.xml: claim it inflates to 100 bytes
    struct.pack_into("<I", data, directory + 24, 100)
    result = probed(tmp_path, bytes(data), "document", "lying.docx")
    assert not result["ok"] and result["code"] in ("unreadable", "xml")


# --- spreadsheets ---------------------------------------------------------------------------


def test_a_cell_at_zzzzzz2_is_refused_before_any_reader(tmp_path):
    hostile = xlsx(b'<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>')
    assert len(hostile) < 2048  # the 1.5 KB file that took a minute and 5 GB
    result = probed(tmp_path, hostile, "import", "cell.xlsx")
    assert result == {"ok": False, "code": "sheet_dimension",
                      "params": {"ref": "ZZZZZZ2", "columns": 256, "rows": 1_048_576}}
    assert "ZZZZZZ2" in uploads.reason_text(result["code"], result["params"])


@pytest.mark.parametrize("dimension,cell", [
    ("A1:XFD200000", b'<row r="1"><c r="A1"><v>1</v></c></row>'),
    ("", b'<row r="200000"><c r="XFD200000"><v>1</v></c></row>'),
    ("", b'<row r="2000000"><c r="A2000000"><v>1</v></c></row>'),
    ("", b"<row>" + b"<c><v>1</v></c>" * 300 + b"</row>"),
])
def test_the_declared_dimension_and_every_reference_are_bounded(tmp_path, dimension, cell):
    result = probed(tmp_path, xlsx(cell, dimension=dimension), "import", "dim.xlsx")
    assert not result["ok"] and result["code"] == "sheet_dimension"


def test_the_import_reader_itself_never_pads_a_row_to_a_hostile_column(tmp_path):
    """Defence in depth: were the probe skipped, the streaming reader refuses the same file at
    once, in a subprocess whose address space is capped at 512 MB (it would need ~5 GB)."""
    path = tmp_path / "cell.xlsx"
    path.write_bytes(xlsx(b'<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>'))
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (%d, %d)); "
            "from assessments.submission.imports.readers import XlsxSource; "
            "from assessments.kernel.upload_checks import Refused\n"
            "try:\n    list(XlsxSource(sys.argv[1]).rows())\nexcept Refused as e:\n"
            "    print(e.code)\n") % (CAP, CAP)
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          timeout=120, check=False, cwd=str(_project_root()))
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().strip() == "sheet_dimension"


def _project_root():
    from pathlib import Path

    return Path(upload_checks.__file__).resolve().parents[2]


def test_a_shared_strings_bomb_is_refused(tmp_path):
    # ~3.5 million one-letter strings: 60 MB of XML in a few hundred KB (the 570 KB file of 1 GB)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _RELS)
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet " + _MAIN + b"><sheetData/>"
                   b"</worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst " + _MAIN + b">")
            for _ in range(35):
                member.write(b"<si><t>a</t></si>" * 100_000)
            member.write(b"</sst>")
    assert len(out.getvalue()) < MB
    result = probed(tmp_path, out.getvalue(), "import", "sst.xlsx")
    assert not result["ok"] and result["code"] in ("archive_ratio", "shared_strings")
    # and counted, were the ratio allowed
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    with pytest.raises(Refused) as refused:
        upload_checks.check_sheets(archive, Limits(max_bytes=MB, max_shared_strings=1_000_000))
    assert refused.value.code == "shared_strings"


# --- XML ------------------------------------------------------------------------------------

_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i + 1} "{("&lol" + (str(i) if i else "") + ";") * 10}">'
                     for i in range(9))
           + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
           'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def test_billion_laughs_is_refused_in_a_document_and_in_a_workbook(tmp_path):
    result = probed(tmp_path, docx(_LAUGHS.encode()), "document", "laughs.docx")
    assert result["code"] == "xml_doctype"
    shared = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst '
              + _MAIN.decode() + "><si><t>&a;</t></si></sst>").encode()
    result = probed(tmp_path, xlsx(b"", shared=shared), "import", "laughs.xlsx")
    assert result["code"] == "xml_doctype"
    assert "DOCTYPE" in uploads.reason_text("xml_doctype")


def test_nul_bytes_and_garbage_are_refused_as_unreadable_not_as_errors(tmp_path):
    assert probed(tmp_path, b"%PDF-1.7\n" + b"\x00" * 5000, "document", "nul.pdf")["code"] == (
        "unreadable")
    nul_xml = w_doc("<w:p><w:r><w:t>a\x00b</w:t></w:r></w:p>")
    assert probed(tmp_path, docx(nul_xml), "document", "nul.docx")["code"] == "xml"
    assert probed(tmp_path, b"PK\x03\x04" + b"\x00" * 100, "document", "z.docx")["code"] in (
        "archive_broken", "unreadable")


def test_a_probe_over_its_memory_or_time_refuses_the_file(tmp_path):
    path = tmp_path / "big.docx"
    path.write_bytes(docx(w_doc("<w:p><w:r><w:t>" + os.urandom(2 * MB).hex()
                                + "</w:t></w:r></w:p>")))
    # 40 MB of address space cannot even start the interpreter with pypdf: refused, not raised
    assert uploads.probe(str(path), "document", memory=40 * MB, timeout=60)["code"] in (
        "memory", "probe")
    assert uploads.probe(str(path), "document", timeout=0.001)["code"] == "timeout"


# --- stamps (p.16) --------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Гриф: ДСП", "ДCП", "Д С П", "Д.С.П.", "ДС\u00adП", "Д\u200bСП",
    "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ", "Для служeбного пользования",  # Latin e
    "CEKPETHO", "Совершенно секретно", "Қызмет бабында пайдалану үшін", "ҚҰПИЯ",
])
def test_stamps_are_found_after_normalisation(text):
    assert upload_checks.find_stamp(f"Отчёт за год. {text}. Экз. № 2") is not None


@pytest.mark.parametrize("text", ["ДСПК — код", "рассекречивание", "секретарь комиссии",
                                  "ДСП-плита", "Протокол"])
def test_words_containing_the_letters_do_not_trigger(text):
    if text == "ДСП-плита":
        # a hyphen is a separator a stamp may be written with: refused on purpose (safer)
        assert upload_checks.find_stamp(text) == "ДСП"
    else:
        assert upload_checks.find_stamp(text) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["", "\u200b", "\u00ad", "\ufeff", "\u2060"]), min_size=2,
                max_size=2),
       st.booleans(), st.text(alphabet=" .,;\n", max_size=3))
def test_a_broken_up_dsp_is_still_found(joins, latin_c, around):
    s = "С" if not latin_c else "C"
    stamp = "Д" + joins[0] + s + joins[1] + "П"
    assert upload_checks.find_stamp(f"Приказ{around} {stamp}{around} № 5") == "ДСП"


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b""]))
def test_any_bytes_are_refused_in_words_or_accepted_never_raised(tmp_path_factory, body, magic):
    path = tmp_path_factory.mktemp("fuzz") / "f"
    path.write_bytes(magic + body)
    result = upload_checks.probe(str(path), "document")  # in-process: the same function
    assert result["ok"] or result["code"] in uploads.REASONS
    json.dumps(result)
