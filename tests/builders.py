"""Real .docx and .xlsx files for tests, written with python-docx and openpyxl."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
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
        # row.cells once per row: table.cell(r, c) walks the whole table on every call
        for row, written in zip(table.rows, out.rows):
            cells = written.cells
            for c, text in enumerate(row.cells):
                cells[c].text = text
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


def sheet_xml(rows: int) -> Iterator[bytes]:
    """Sheet XML for `rows` rows of two cells, streamed (a million rows never sit in memory)."""
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    for r in range(1, rows + 1):
        yield f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>第{r}行</t></is></c><c r="B{r}"><v>{r}</v></c></row>'.encode()
    yield b"</sheetData></worksheet>"


_PKG = "http://schemas.openxmlformats.org/package/2006"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8"?>'


def _rels(relations: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="rId{n}" Type="{_OFFICE}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(relations, start=1)
    )
    return f'{_XML}<Relationships xmlns="{_PKG}/relationships">{body}</Relationships>'


def raw_xlsx(path: Path, sheet_members: dict[str, object]) -> Path:
    """A minimal valid .xlsx whose sheet XML is streamed in (no spreadsheet library involved)."""
    names = list(sheet_members)
    numbers = range(1, len(names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>' for i in numbers
    )
    sheets = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in zip(numbers, names))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            (
                f'{_XML}<Types xmlns="{_PKG}/content-types">'
                f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                f'<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>{overrides}</Types>'
            ),
        )
        z.writestr("_rels/.rels", _rels([("officeDocument", "xl/workbook.xml")]))
        z.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>{sheets}</sheets></workbook>',
        )
        z.writestr("xl/_rels/workbook.xml.rels", _rels([("worksheet", f"worksheets/sheet{i}.xml") for i in numbers]))
        for i, name in zip(numbers, names):
            content = sheet_members[name]
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as member:
                for chunk in content if not isinstance(content, bytes) else [content]:  # type: ignore[attr-defined]
                    member.write(chunk)
    return path


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A valid workbook whose one sheet is `megabytes` MB of whitespace: a few hundred KB on disk."""

    def content():
        yield from list(sheet_xml(1))[:-1]
        block = b" " * 1_000_000
        for _ in range(megabytes):
            yield block
        yield b"</sheetData></worksheet>"

    return raw_xlsx(path, {"炸弹": content()})
