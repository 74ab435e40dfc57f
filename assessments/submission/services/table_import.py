"""A report's table filled from a spreadsheet (issue 21, item 5): the body downloads an XLSX
template of its section's table (hundreds of rows — the table as it stands, or one example row),
fills it and uploads it; the file passes the same pre-parse checks as the assessors' imports
(``assessments.kernel.uploads``: size, type by content, the archive's directory, then every sheet
read by ``upload_checks`` in a capped subprocess) before the streamed reader of the import
pipeline reads it; every row is checked by the section's schema (``section_errors``) and the
preview shows the rows and their errors. Nothing is saved until the body confirms; the confirmed
rows replace the table through ``report_section_save`` (the edit conflict check included).

    table_template(section, rows) -> bytes
    table_read(section, kind, upload, fields) -> TablePreview   (raises UploadRefused)
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.kernel import uploads
from assessments.kernel.errors import DomainError
from assessments.kernel.upload_checks import MB, Limits, Refused
from assessments.submission.imports.readers import FileFormatError, open_source
from assessments.submission.report_schema import Section
from assessments.submission.services.reports import section_errors

TABLE_LIMITS = Limits(max_bytes=20 * MB, max_total=256 * MB, max_member=256 * MB)
MAX_TABLE_ROWS = 1000  # the section form's own limit (forms.MAX_ROWS)
KEYS_ROW = 2           # row 1: the columns' names for people; row 2: their keys; data from row 3


@dataclass
class TablePreview:
    rows: list[dict] = field(default_factory=list)
    # (row number in the file, column label, message)
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def table_template(section: Section, rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    columns = section.table.columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet(section.key[:31])
    sheet.append([str(c.label) for c in columns])
    sheet.append([c.key for c in columns])
    for row in rows:
        sheet.append([row.get(c.key) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(spec, text: str):
    text = text.strip()
    if text == "":
        return None
    if spec.type == "count" and text.lstrip("+").isdigit():
        return int(text)
    if spec.type == "choice":
        for code, label in spec.choices:
            if text in (code, str(label)):
                return code
    return text


def table_read(section: Section, kind: str, upload, fields: dict) -> TablePreview:
    """The rows of an uploaded XLSX and their errors. A file refused by the checks raises
    :class:`uploads.UploadRefused` before any parser reads it."""
    spooled = uploads.spool(upload, TABLE_LIMITS.max_bytes)
    try:
        if uploads.cheap_check(spooled.path, TABLE_LIMITS) != "xlsx":
            raise DomainError(_("Нужен файл Excel (.xlsx): скачайте шаблон раздела и заполните "
                                "его."), code="not_xlsx")
        checked = uploads.probe(spooled.path, "import")
        if not checked.get("ok"):
            raise uploads.UploadRefused(checked.get("code", "probe"), checked.get("params"))
        return _rows(section, kind, spooled.path, checked.get("area"), fields)
    finally:
        spooled.discard()


def _rows(section: Section, kind: str, path: str, area, fields: dict) -> TablePreview:
    columns = section.table.columns
    preview = TablePreview()
    numbers: list[int] = []
    index: dict[str, int] | None = None
    try:
        for number, cells in open_source(path, "xlsx", area=area).rows():
            if number < KEYS_ROW:
                continue
            if number == KEYS_ROW:
                keys = [c.strip() for c in cells]
                missing = [str(c.label) for c in columns if c.key not in keys]
                if missing:
                    preview.errors.append((number, "", _(
                        "Это не шаблон раздела: во второй строке нет ключей столбцов (%(cols)s). "
                        "Скачайте шаблон заново.") % {"cols": ", ".join(missing)}))
                    return preview
                index = {c.key: keys.index(c.key) for c in columns}
                continue
            row = {c.key: _cell(c, cells[index[c.key]] if index[c.key] < len(cells) else "")
                   for c in columns}
            if all(v is None for v in row.values()):
                continue
            if len(preview.rows) >= MAX_TABLE_ROWS:
                preview.errors.append((number, "", _(
                    "В таблице больше %(n)s строк: разделите её или сократите.")
                    % {"n": MAX_TABLE_ROWS}))
                return preview
            preview.rows.append(row)
            numbers.append(number)
    except (Refused, FileFormatError, KeyError, ValueError):
        raise uploads.UploadRefused("unreadable") from None
    if index is None:
        preview.errors.append((1, "", _("Файл пуст: в нём нет строки ключей столбцов.")))
        return preview
    if not preview.rows:
        preview.errors.append((KEYS_ROW + 1, "", _("В файле нет ни одной строки данных.")))
        return preview
    labels = {c.key: str(c.label) for c in columns}
    invalid, _missing = section_errors(section, kind, {"fields": fields, "rows": preview.rows})
    for path, message in sorted(invalid.items()):
        parts = path.split(".")
        if parts[0] == "rows" and len(parts) == 3:
            preview.errors.append((numbers[int(parts[1])], labels.get(parts[2], parts[2]),
                                   str(message)))
    return preview
