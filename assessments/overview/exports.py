"""Tables of the overview, the rankings and all scores per criterion, written to XLSX (openpyxl's
write-only mode: a frozen header, filters, numbers with two decimals, one sheet per direction) or
CSV (UTF-8 with a BOM, so Excel reads the Cyrillic and Kazakh letters), row by row so that the
national cycle never sits in memory as a workbook.

A table is ``Table(title, header, rows, numeric)``: ``rows`` is an iterable of lists (consumed
once), ``numeric`` the column indexes printed with two decimals.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.kernel import access
from assessments.models import Cycle, Organisation, ScoreSheet
from assessments.overview import selectors
from assessments.overview.selectors import DIRECTIONS, RANKING_DIRECTIONS

TWO_DECIMALS = "0.00"
# Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules).
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass
class Table:
    title: str
    header: list[str]
    rows: Iterable[list]
    numeric: frozenset[int] = field(default_factory=frozenset)
    count: int | None = None  # rows, when known (progress)


def sheet_name(title: str, used: set[str]) -> str:
    name = str(title).translate(_SHEET_FORBIDDEN)[:31].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = name[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def write_xlsx(tables: list[Table], target, *, info: list[tuple[str, str]] = (),
               progress: Callable[[int], None] | None = None, every: int = 1000) -> None:
    """Write ``tables`` (one sheet each, after an optional "about" sheet of ``info`` pairs) to
    ``target`` (a path or a binary file) in write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    if info:
        ws = wb.create_sheet(sheet_name(_("Сведения"), used))
        for key, value in info:
            cell = WriteOnlyCell(ws, value=str(key))
            cell.font = bold
            ws.append([cell, str(value)])
    for table in tables:
        ws = wb.create_sheet(sheet_name(table.title, used))
        ws.freeze_panes = "A2"
        header = []
        for title in table.header:
            cell = WriteOnlyCell(ws, value=str(title))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        # One styled cell per numeric column, reused row after row (write-only mode serialises
        # each row as it is appended): openpyxl's own path takes a styled cell by refusing it as
        # a value first (an exception per cell), which made the styles cost more than the data.
        styled = {}
        for i in sorted(table.numeric):
            styled[i + 1] = WriteOnlyCell(ws)
            styled[i + 1].number_format = TWO_DECIMALS
        ws._values_to_row = partial(_values_to_row, ws, styled)
        written = 0
        for row in table.rows:
            ws.append(row)
            written += 1
            if progress is not None and written % every == 0:
                progress(every)
        if progress is not None and written % every:
            progress(written % every)
        ws.auto_filter.ref = f"A1:{_column_letter(len(table.header))}{written + 1}"
    wb.save(target)


def _values_to_row(ws, styled: dict, values, row_idx):
    """openpyxl's ``WriteOnlyWorksheet._values_to_row`` (3.1) with styled columns: the value
    goes into the column's styled cell, every other value into one plain cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    plain = WriteOnlyCell(ws)
    for col_idx, value in enumerate(values, 1):
        if value is None or value == "":
            continue
        if isinstance(value, Cell):  # the bold header
            cell = value
        else:
            cell = styled.get(col_idx, plain)
            cell.value = float(value) if isinstance(value, Decimal) else value
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def csv_chunks(tables: list[Table], *, info: list[tuple[str, str]] = ()) -> Iterator[bytes]:
    """The tables as one CSV (UTF-8 with a BOM, ``;``-free: comma-separated, quoted as needed),
    yielded in chunks: the ``info`` lines first, then each table with its title line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate(0)
        return data

    for key, value in info:
        writer.writerow([str(key), str(value)])
    for table in tables:
        if len(tables) > 1 or info:
            writer.writerow([])
            writer.writerow([str(table.title)])
        writer.writerow([str(h) for h in table.header])
        for n, row in enumerate(table.rows, 1):
            writer.writerow([_csv_value(v, i in table.numeric) for i, v in enumerate(row)])
            if n % 500 == 0:
                yield flush()
        yield flush()
    yield flush()


def _csv_value(value, numeric: bool):
    if value is None:
        return ""
    if numeric and isinstance(value, (Decimal, float, int)):
        return f"{Decimal(value):.2f}"
    return value


# --- What is exported --------------------------------------------------------------------------


def overview_tables(overview: selectors.Overview) -> list[Table]:
    header = [_("Орган"), _("БИН"), _("Вид органа"), _("Уровень МИО"), _("Регион"),
              _("Направление"), _("Оценивающий орган"), _("Этап"), _("Ближайший срок"),
              _("Рабочих дней осталось"), _("Просрочено"), _("Балл"),
              _("Степень эффективности")]
    tables = []
    for d in DIRECTIONS:
        rows = [r for r in overview.rows if r.direction == d]
        tables.append(Table(
            title=str(ScoreSheet.Direction(d).label), header=header, numeric=frozenset({11}),
            count=len(rows), rows=(
                [r.name, r.bin, str(r.kind_label), str(r.level_label), r.region,
                 str(r.direction_label), r.evaluator, str(r.stage_label), r.deadline,
                 r.days_left, _("да") if r.overdue else "", r.score, str(r.band_label)]
                for r in rows)))
    return tables


def ranking_tables(rankings: list[selectors.Ranking]) -> list[Table]:
    header = [_("Место"), _("Орган"), _("БИН"), _("Балл"), _("Степень эффективности"),
              _("Место в прошлом цикле"), _("Изменение места"), _("Статус оценки")]
    tables = []
    for ranking in rankings:
        tables.append(Table(
            title=str(ranking.direction_label), header=header, numeric=frozenset({3}),
            count=len(ranking.rows), rows=(
                [r.rank, r.name, r.bin, r.score, str(r.band_label), r.previous_rank,
                 r.movement, _("окончательная") if r.final else _("предварительная")]
                for r in ranking.rows)))
    return tables


def score_codes(cycle: Cycle, direction: str) -> list[str]:
    """The printed codes of ``direction``'s sheets in the cycle, in the engine's order (one
    sheet's keys: every sheet of a direction prints the same codes)."""
    sample = ScoreSheet.objects.filter(cycle=cycle, direction=direction, is_current=True,
                                       final__isnull=False).values_list("values", flat=True)
    for values in sample[:1]:
        return [k for k in (values or {}) if k != "band"]
    return []


def scores_tables(user, cycle: Cycle, *, chunk: int = 2000) -> list[Table]:
    """Every current score per criterion the user may see, one sheet per direction (and the
    overall score), read in chunks (``iterator``) so memory stays flat."""
    tables = []
    kinds = {k: str(label) for k, label in Organisation.Kind.choices}
    bands = {k: str(label) for k, label in selectors.BANDS.items()}
    in_kazakh = get_language() == "kk"
    for d in RANKING_DIRECTIONS:
        codes = score_codes(cycle, d)
        qs = access.visible(user, ScoreSheet.objects.filter(
            cycle=cycle, direction=d, is_current=True)).order_by("body__name_ru", "body_id")
        header = [_("Орган"), _("БИН"), _("Вид органа"), *codes, _("Степень эффективности")]

        def rows(qs=qs, codes=codes):
            for ru, kk, bin_, kind, values, band in qs.values_list(
                    "body__name_ru", "body__name_kk", "body__bin", "body__kind", "values",
                    "band").iterator(chunk_size=chunk):
                values = values or {}
                yield [kk if in_kazakh and kk else ru, bin_, kinds.get(kind, kind),
                       *(_number(values.get(c)) for c in codes), bands.get(band, "")]

        tables.append(Table(title=str(ScoreSheet.Direction(d).label), header=header,
                            numeric=frozenset(range(3, 3 + len(codes))), rows=rows(),
                            count=qs.count()))
    return tables


def _number(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return str(value)
