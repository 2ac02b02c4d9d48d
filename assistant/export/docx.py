"""Projects → .docx: the same standard 项目支出绩效目标表 as the .xlsx, as a Word table.

For one unit's table of one year (the form a unit submits); the .xlsx export is the one that
also carries several units, horizons and kinds. Written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..atomic import write_atomically
from ..errors import ExportError
from ..models import Project
from .cells import text_value
from .xlsx import INDICATOR_COLUMNS, _number, _rows_of

PROJECT_COLUMNS = ("单位代码", "单位（专项）名称", "资金总额", "实施期绩效目标")


def write_docx(projects: Sequence[Project], path: Path | str, overwrite: bool = True) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    path = Path(path)
    if not projects:
        raise ExportError("没有可导出的项目")
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(1.5))
    title = document.add_paragraph("项目支出绩效目标表")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(16)
    title.runs[0].bold = True
    year = next((p.year for p in projects if p.year), None)
    if year:
        document.add_paragraph(f"（{year}年度）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    units = {p.unit_name for p in projects if p.unit_name}
    document.add_paragraph(text_value(f"单位：{'、'.join(sorted(units))}"))
    document.add_paragraph("金额单位：万元")

    width = len(PROJECT_COLUMNS) + len(INDICATOR_COLUMNS)
    body = [(p, _rows_of(p, self_eval=False)) for p in projects]
    table = document.add_table(rows=2 + sum(len(rows) for _, rows in body), cols=width)
    table.style = "Table Grid"
    # every row's cells once, before any merge: table.cell(r, c) walks the whole table per call
    grid = [row.cells for row in table.rows]
    for col, name in enumerate(PROJECT_COLUMNS):
        grid[0][col].text = name
        grid[0][col].merge(grid[1][col])
    grid[0][len(PROJECT_COLUMNS)].text = "绩效指标"
    grid[0][len(PROJECT_COLUMNS)].merge(grid[0][width - 1])
    for col, name in enumerate(INDICATOR_COLUMNS, start=len(PROJECT_COLUMNS)):
        grid[1][col].text = name
    at = 2
    for project, rows in body:
        for offset, cells in enumerate(rows):
            for col, value in enumerate(cells, start=len(PROJECT_COLUMNS)):
                grid[at + offset][col].text = "" if value is None else text_value(str(value))
        head = [project.unit_code or "", project.name, str(_number(project.amount)), project.goal or ""]
        for col, text in enumerate(head):
            grid[at][col].text = text_value(text)
            if len(rows) > 1:
                grid[at][col].merge(grid[at + len(rows) - 1][col])
        at += len(rows)
    return write_atomically(path, lambda tmp: document.save(str(tmp)), overwrite=overwrite)
