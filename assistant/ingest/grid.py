"""Files → tables of cell rows, whatever the container (.txt, .docx, .xlsx).

Layout readers work on these grids only, so a 目标表 reads the same from a text extraction, a Word
table or an Excel sheet. Text extractions come in two shapes: one table row per line with
tab-separated cells (000/001), or one cell per line with rows separated by blank lines (002–004),
where a cell holding an empty paragraph also produces a blank line; rows of an indicator table are
therefore regrouped to the width of its header.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..models import SourceRef
from ..normalize import clean, squash


@dataclass
class Row:
    cells: list[str]
    number: int  # 1-based position in its table
    line: int | None = None  # 1-based line of a text file

    def texts(self) -> list[str]:
        return [clean(c) for c in self.cells]

    def nonempty(self) -> list[str]:
        return [t for t in self.texts() if t]

    def squashed(self) -> list[str]:
        return [squash(c) for c in self.cells]


@dataclass
class Table:
    file: str
    name: str
    rows: list[Row] = field(default_factory=list)

    def where(self, row: Row | None = None) -> SourceRef:
        if row is None:
            return SourceRef(file=self.file, table=self.name)
        return SourceRef(file=self.file, table=self.name, row=row.number, line=row.line)

    def text(self) -> str:
        return "\n".join("\t".join(r.cells) for r in self.rows)


_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
_TITLE_RE = re.compile(r"^.{0,24}(绩效目标表|绩效目标申报表|绩效自评表|评价基础数据表)$")


def title_of(text: str) -> str | None:
    """The table title a line announces ("项目支出绩效目标表"), or None."""
    text = squash(_BOOKMARK_RE.sub("", text))
    return text if _TITLE_RE.match(text) else None


def is_indicator_header(cells: list[str]) -> bool:
    squashed = {squash(c) for c in cells}
    return "三级指标" in squashed


# --- text files ---------------------------------------------------------------------------


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("文件为空 (empty file)", SourceRef(file=path.name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "，看起来是 GBK/GB18030 编码，请另存为 UTF-8 后再导入"
        except UnicodeDecodeError:
            pass
        raise IngestError(
            f"文件不是 UTF-8 编码{hint} (not UTF-8 text)", SourceRef(file=path.name, line=line)
        ) from None


def text_tables(path: Path) -> list[Table]:
    text = read_text(path)
    lines = text.splitlines()
    tabbed = [ln for ln in lines if "\t" in ln]
    multi = [ln for ln in tabbed if sum(1 for c in ln.split("\t") if clean(c)) >= 2]
    if tabbed and len(multi) / len(tabbed) >= 0.3:
        return _row_per_line_tables(path.name, lines)
    return _cell_per_line_tables(path.name, lines)


def _row_per_line_tables(file: str, lines: list[str]) -> list[Table]:
    tables = [Table(file=file, name="前言")]
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        title = title_of(line)
        if title:
            tables.append(Table(file=file, name=f"{len(tables)} {title}"))
            continue
        table = tables[-1]
        table.rows.append(Row(cells=line.split("\t"), number=len(table.rows) + 1, line=number))
    return [t for t in tables if t.rows]


@dataclass
class _Block:
    cells: list[str]
    line: int
    loose: bool = False  # a paragraph line outside any cell


def _blocks(lines: list[str]) -> list[_Block | None]:
    """Cells grouped by blank lines; None marks a title (a table break)."""
    out: list[_Block | None] = []
    current: _Block | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip() and not line.startswith("\t"):
            current = None
            continue
        fresh = current is None or current.loose or not any(c.strip() for c in current.cells)
        if line.startswith("\t") and fresh and title_of(line):
            out.append(None)
            current = _Block(cells=[line[1:]], line=number)
            out.append(current)
            continue
        if line.startswith("\t"):
            if current is None or current.loose:
                current = _Block(cells=[], line=number)
                out.append(current)
            current.cells.append(line[1:])
            continue
        if title_of(line):
            out.append(None)
            out.append(_Block(cells=[line], line=number, loose=True))
            current = None
        elif current is not None and not current.loose:
            current.cells[-1] += "\n" + line
        else:
            current = _Block(cells=[line], line=number, loose=True)
            out.append(current)
    return out


def _cell_per_line_tables(file: str, lines: list[str]) -> list[Table]:
    """Blocks become rows; after an indicator header (a row with 三级指标), blocks are joined
    until they reach the header's width, since a cell holding an empty paragraph splits a row
    with a blank line. A title line starts a new table."""
    tables = [Table(file=file, name="前言")]
    width = 0
    pending: _Block | None = None

    def emit(block: _Block) -> None:
        table = tables[-1]
        table.rows.append(Row(cells=block.cells, number=len(table.rows) + 1, line=block.line))

    for block in _blocks(lines):
        if block is None:
            if pending:
                emit(pending)
            pending, width = None, 0
            tables.append(Table(file=file, name=""))
            continue
        if not tables[-1].name:
            title = title_of(block.cells[0])
            tables[-1].name = f"{len(tables) - 1} {title or ''}".strip()
        if width and block.loose and pending is not None:
            pending.cells[-1] += "\n" + block.cells[0]
            continue
        if not width:
            emit(block)
            if is_indicator_header(block.cells) and len(block.cells) >= 6:
                width = len(block.cells)
            continue
        if pending is None:
            pending = _Block(cells=list(block.cells), line=block.line)
        elif len(pending.cells) + len(block.cells) <= width:
            pending.cells.extend(block.cells)
        else:
            emit(pending)
            pending = _Block(cells=list(block.cells), line=block.line)
        if len(pending.cells) >= width:
            emit(pending)
            pending = None
        if is_indicator_header(block.cells) and len(block.cells) >= 6:
            width = len(block.cells)
    if pending:
        emit(pending)
    for table in tables:
        if not table.name:
            table.name = str(tables.index(table))
    return [t for t in tables if t.rows]


# --- Word ----------------------------------------------------------------------------------


def docx_tables(path: Path) -> list[Table]:
    """Every table of a .docx; merged cells repeat their text (python-docx does so)."""
    import docx  # python-docx; imported here to keep start-up light

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            f"不是有效的 .docx 文件，可能已损坏或被截断 (not a valid .docx: {exc})",
            SourceRef(file=path.name),
        ) from None
    except Exception as exc:  # lxml and python-docx raise several kinds on corrupt parts
        raise IngestError(
            f"无法读取 .docx 文件 (cannot read .docx: {type(exc).__name__})",
            SourceRef(file=path.name),
        ) from None
    # Paragraph titles before each table name it, as in the text extractions.
    tables: list[Table] = []
    title = ""
    preface = Table(file=path.name, name="前言")  # paragraphs: 单位：…, （2024年度）
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            found = title_of(text)
            if found:
                title = found
            elif text.strip():
                preface.rows.append(Row(cells=[text], number=len(preface.rows) + 1))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            out = Table(file=path.name, name=f"{len(tables) + 1} {title}".strip())
            for number, row in enumerate(table.rows, start=1):
                out.rows.append(Row(cells=[c.text for c in row.cells], number=number))
            tables.append(out)
    return ([preface] if preface.rows else []) + tables


# --- Excel ---------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _merged_ranges(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Sheet name → merged ranges ("A1:O1"), read from the package XML.

    openpyxl's read-only mode skips merged cells, and its full mode binds them in quadratic
    time (1 s for a 100-project sheet); reading the refs ourselves keeps import linear.
    """
    from xml.etree import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("pkg:Relationship", _NS)}
    out: dict[str, list[str]] = {}
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['rel']}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member not in archive.namelist():
            continue
        xml = ElementTree.fromstring(archive.read(member))
        out[sheet.get("name", "")] = [m.get("ref", "") for m in xml.iterfind(".//main:mergeCell", _NS)]
    return out


def _fill_merged(grid: list[list[str]], refs: list[str]) -> None:
    from openpyxl.utils.cell import range_boundaries

    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row > len(grid):
            continue
        top_row = grid[min_row - 1]
        top = top_row[min_col - 1] if min_col - 1 < len(top_row) else ""
        for r in range(min_row - 1, min(max_row, len(grid))):
            row = grid[r]
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = top


def xlsx_tables(path: Path) -> list[Table]:
    """One table per sheet; a merged range repeats its top-left value over the whole range."""
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            merged = _merged_ranges(archive)
        workbook = openpyxl.load_workbook(str(path), data_only=True, read_only=True)
        grids = {
            sheet.title: [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
        workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise IngestError(
            f"不是有效的 .xlsx 文件，可能已损坏或被截断 (not a valid .xlsx: {exc})",
            SourceRef(file=path.name),
        ) from None
    except Exception as exc:  # openpyxl and the XML parser raise several kinds on corrupt parts
        raise IngestError(
            f"无法读取 .xlsx 文件，可能已损坏 (cannot read .xlsx: {type(exc).__name__})",
            SourceRef(file=path.name),
        ) from None
    tables = []
    for name, grid in grids.items():
        _fill_merged(grid, merged.get(name, []))
        table = Table(file=path.name, name=name)
        for number, cells in enumerate(grid, start=1):
            if any(clean(c) for c in cells):
                table.rows.append(Row(cells=cells, number=number))
        tables.append(table)
    return tables


def read_tables(path: Path) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return text_tables(path)
    if suffix == ".docx":
        return docx_tables(path)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_tables(path)
    raise IngestError(
        f"不支持的文件类型 {suffix or '(无扩展名)'}，支持 .txt .docx .xlsx (unsupported file type)",
        SourceRef(file=path.name),
    )
