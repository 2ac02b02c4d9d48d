"""Projects → .xlsx in the standard 项目支出绩效目标表 layout, written atomically.

Sheet 1 is the table a budget system or a reviewer expects (title, 单位, 金额单位：万元, two merged
header rows, project cells merged down their rows, readable widths). Sheet 2, 项目信息, keeps what
that layout cannot hold (year, horizon, kind, scope, unit per project) so the file imports back
unchanged; the 序号 column ties the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..atomic import write_atomically
from ..errors import ExportError
from ..ingest.metadata import COLUMNS as METADATA_COLUMNS
from ..ingest.metadata import SHEET_NAME as METADATA_SHEET
from ..ingest.metadata import metadata_row
from ..models import LEVEL2_ORDER, DocKind, Indicator, Level2, Project
from ..normalize import split_value
from .cells import append_row, set_cell

PROJECT_COLUMNS = ("序号", "单位代码", "单位（专项）名称", "资金总额", "实施期绩效目标")
INDICATOR_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "指标值内容",
    "评（扣）分标准",
    "度量单位",
    "指标值类型",
    "分值",
    "备注",
)
SELF_EVALUATION_COLUMNS = ("实际完成值", "得分")
WIDTHS = {
    "序号": 6,
    "单位代码": 10,
    "单位（专项）名称": 22,
    "资金总额": 10,
    "实施期绩效目标": 30,
    "一级指标": 10,
    "二级指标": 14,
    "三级指标": 24,
    "指标值": 14,
    "指标值内容": 28,
    "评（扣）分标准": 36,
    "度量单位": 8,
    "指标值类型": 8,
    "分值": 6,
    "备注": 10,
    "实际完成值": 16,
    "得分": 6,
}


def _number(value: float | None) -> float | int | str:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def _comparator_cell(ind: Indicator) -> str:
    """指标值类型 as written; a comparator read from the value cell ("≥95%") is not written
    again beside it, so the file imports back as it was."""
    if ind.comparator_raw or ind.comparator is None:
        return ind.comparator_raw or ""
    carried = split_value(ind.target)
    return "" if carried is not None and carried[0] is ind.comparator else ind.comparator.value


def _indicator_cells(ind: Indicator, self_eval: bool) -> list[object]:
    level1 = ind.level1_raw or (ind.level1.value if ind.level1 else "")
    level2 = ind.level2_raw or (ind.level2.value if ind.level2 else "")
    cells: list[object] = [
        level1,
        level2,
        ind.name,
        ind.target or "",
        ind.target_detail or "",
        ind.scoring or "",
        ind.unit or "",
        _comparator_cell(ind),
        _number(ind.weight),
        ind.note or "",
    ]
    if self_eval:
        cells += [ind.actual or "", _number(ind.score)]
    return cells


def _na_cells(level: Level2, self_eval: bool) -> list[object]:
    width = len(INDICATOR_COLUMNS) + (len(SELF_EVALUATION_COLUMNS) if self_eval else 0)
    return [level.level1.value, level.value, *["无"] * (width - 2)]


def _rows_of(project: Project, self_eval: bool) -> list[list[object]]:
    """Indicator rows, with 无 rows for declared n/a 二级 where the skeleton order puts them."""
    order = {lv: k for k, lv in enumerate(LEVEL2_ORDER)}
    pending = sorted(project.level2_na, key=order.__getitem__)
    rows: list[list[object]] = []
    for ind in project.indicators:
        rank = order.get(ind.level2, len(order)) if ind.level2 else len(order)
        while pending and order[pending[0]] < rank:
            rows.append(_na_cells(pending.pop(0), self_eval))
        rows.append(_indicator_cells(ind, self_eval))
    rows.extend(_na_cells(level, self_eval) for level in pending)
    return rows or [[""] * (len(INDICATOR_COLUMNS) + (2 if self_eval else 0))]


def write_xlsx(projects: Sequence[Project], path: Path | str, overwrite: bool = True) -> Path:
    """Write the table; the file appears complete or not at all, every text cell inert."""
    from openpyxl import Workbook

    if not projects:
        raise ExportError("没有可导出的项目")
    self_eval = any(p.doc_kind is DocKind.SELF_EVALUATION for p in projects)
    columns = PROJECT_COLUMNS + INDICATOR_COLUMNS + (SELF_EVALUATION_COLUMNS if self_eval else ())
    book = Workbook()
    sheet = book.active
    sheet.title = "绩效自评表" if self_eval else "绩效目标表"
    _title_and_header(sheet, projects, columns, self_eval)
    row_at = 5
    for seq, project in enumerate(projects, start=1):
        row_at = _project_rows(sheet, seq, project, columns, self_eval, row_at)
    _metadata_sheet(book, projects)
    return save_atomically(book, Path(path), overwrite)


def _styles():
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    return (
        Border(left=thin, right=thin, top=thin, bottom=thin),
        Alignment(wrap_text=True, vertical="center"),
        Alignment(horizontal="center", vertical="center", wrap_text=True),
    )


def _title_and_header(sheet, projects: Sequence[Project], columns: tuple[str, ...], self_eval: bool) -> None:
    """Rows 1–4: the title, 单位 and 金额单位, and the two merged header rows; column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    border, _, centre = _styles()
    last = len(columns)
    sheet.cell(row=1, column=1, value="项目支出绩效自评表" if self_eval else "项目支出绩效目标表")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=16)
    sheet.cell(row=1, column=1).alignment = centre
    units = {p.unit_name for p in projects if p.unit_name}
    set_cell(sheet.cell(row=2, column=1), f"单位：{units.pop() if len(units) == 1 else '见“项目信息”'}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last - 3)
    sheet.cell(row=2, column=last - 2, value="金额单位：万元")
    sheet.merge_cells(start_row=2, start_column=last - 2, end_row=2, end_column=last)
    first_indicator_col = len(PROJECT_COLUMNS) + 1
    for col, name in enumerate(columns, start=1):
        if col < first_indicator_col:
            sheet.cell(row=3, column=col, value=name)
            sheet.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        else:
            sheet.cell(row=4, column=col, value=name)
        sheet.column_dimensions[get_column_letter(col)].width = WIDTHS.get(name, 12)
    sheet.cell(row=3, column=first_indicator_col, value="绩效指标")
    sheet.merge_cells(start_row=3, start_column=first_indicator_col, end_row=3, end_column=last)
    for row in (3, 4):
        for col in range(1, last + 1):
            cell = sheet.cell(row=row, column=col)
            cell.font, cell.alignment, cell.border = Font(bold=True), centre, border
    sheet.freeze_panes = "A5"


def _project_rows(sheet, seq: int, project: Project, columns: tuple[str, ...], self_eval: bool, top: int) -> int:
    """One project's rows from `top`, its cells merged down them; returns the next free row."""
    border, wrap, _ = _styles()
    first_indicator_col = len(PROJECT_COLUMNS) + 1
    where = f"项目“{project.name[:30]}”"
    head = [seq, project.unit_code or "", project.name, _number(project.amount), project.goal or ""]
    for col, value in enumerate(head, start=1):
        set_cell(sheet.cell(row=top, column=col), value, where)
    row_at = top
    for n, cells in enumerate(_rows_of(project, self_eval), start=1):
        for col, value in enumerate(cells, start=first_indicator_col):
            set_cell(sheet.cell(row=row_at, column=col), value, f"{where}第 {n} 行“{columns[col - 1]}”")
        row_at += 1
    bottom = row_at - 1
    if bottom > top:
        for col in range(1, first_indicator_col):
            sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
        _merge_runs(sheet, top, bottom, first_indicator_col)  # 一级
        _merge_runs(sheet, top, bottom, first_indicator_col + 1)  # 二级
    for r in range(top, bottom + 1):
        for col in range(1, len(columns) + 1):
            sheet.cell(row=r, column=col).border = border
            sheet.cell(row=r, column=col).alignment = wrap
    return row_at


def _metadata_sheet(book, projects: Sequence[Project]) -> None:
    from openpyxl.utils import get_column_letter

    info = book.create_sheet(METADATA_SHEET)
    info.append(list(METADATA_COLUMNS))
    for seq, project in enumerate(projects, start=1):
        append_row(info, metadata_row(seq, project), f"“{METADATA_SHEET}”第 {seq} 个项目")
    for col, width in enumerate((6, 28, 30, 8, 14, 12, 8, 40), start=1):
        info.column_dimensions[get_column_letter(col)].width = width


def _merge_runs(sheet, top: int, bottom: int, col: int) -> None:
    """Merge consecutive equal cells of a level column, as the printed forms do."""
    start = top
    for r in range(top + 1, bottom + 2):
        same = r <= bottom and sheet.cell(row=r, column=col).value == sheet.cell(row=start, column=col).value
        if not same:
            if r - 1 > start and sheet.cell(row=start, column=col).value:
                for k in range(start + 1, r):
                    sheet.cell(row=k, column=col).value = None
                sheet.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
            start = r


def save_atomically(book, path: Path, overwrite: bool = True) -> Path:
    return write_atomically(path, lambda tmp: book.save(str(tmp)), overwrite=overwrite)
