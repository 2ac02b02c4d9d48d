"""Real .docx and .xlsx files for tests, written with python-docx and openpyxl."""

from __future__ import annotations

from pathlib import Path

import docx
from openpyxl import Workbook

from assistant.ingest.grid import Table


def docx_from_tables(tables: list[Table], path: Path) -> Path:
    """A Word document holding each table under its title, as the seeds were before extraction."""
    document = docx.Document()
    for table in tables:
        title = table.name.split(" ", 1)[-1]
        document.add_paragraph(title)
        width = max(len(r.cells) for r in table.rows)
        out = document.add_table(rows=len(table.rows), cols=width)
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row.cells):
                out.cell(r, c).text = text
    document.save(str(path))
    return path


STANDARD_HEADER = [
    "单位代码",
    "单位（专项）名称",
    "资金总额",
    "实施期绩效目标",
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
]


def budget_system_xlsx(path: Path, sheets: dict[str, list[list[object]]], merges=None) -> Path:
    """An export as a budget system writes it: a few title rows, then the header, then rows.

    `sheets` maps a sheet name to its data rows (below the header); `merges` maps a sheet name
    to ranges such as "B5:B8" to merge after writing.
    """
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(["项目支出绩效目标表"])
        sheet.append(["单位：衡阳市测试局", None, None, None, None, None, "金额单位：万元"])
        sheet.append([])
        sheet.append(STANDARD_HEADER)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    book.save(str(path))
    return path
