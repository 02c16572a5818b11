"""Tables as downloads: XLSX (openpyxl, the optional extra `xlsx`) and CSV, safe to open in a
spreadsheet — text that looks like a formula stays text, as in the capture workbook."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from assess.capture.sheet import safe_cell

Sheet = tuple[str, Sequence[str], Iterable[Sequence]]  # title, header, rows


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV with ; as separator and a BOM, as German Excel opens it; formula-like text gets a '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per (title, header, rows); every text cell is typed as text, so
    "=…" is shown, never calculated."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(_title(title))
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
        for c, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = max(12, min(60, len(str(name)) + 4))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _title(title: str) -> str:
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Tabelle"
