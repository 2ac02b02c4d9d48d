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

from ..config import InputLimits
from ..errors import IngestError
from ..models import SourceRef
from ..normalize import clean, squash


@dataclass
class Row:
    cells: list[str]
    number: int  # 1-based position in its table (a filing record's header is 0: its data rows count from 1)
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
    """A row heading an indicator table: a 三级指标 column, or an indicator-name column under
    another published heading (指标名称, 指标内容, 三级, 三級指標) beside a value or level column."""
    from .columns import header_field

    fields = {header_field(c) for c in cells if c}
    if "三级指标" in {squash(c) for c in cells}:
        return True
    return "name" in fields and bool(fields & {"target", "level1", "level2"})


# --- text files ---------------------------------------------------------------------------


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("文件为空", SourceRef(file=path.name))
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
        raise IngestError(f"文件不是 UTF-8 编码{hint}", SourceRef(file=path.name, line=line)) from None


def text_tables(path: Path, limits: InputLimits | None = None) -> list[Table]:
    text = read_text(path)
    lines = text.splitlines()
    tabbed = [ln for ln in lines if "\t" in ln]
    multi = [ln for ln in tabbed if sum(1 for c in ln.split("\t") if clean(c)) >= 2]
    if tabbed and len(multi) / len(tabbed) >= 0.3:
        tables = _row_per_line_tables(path.name, lines)
    else:
        tables = _cell_per_line_tables(path.name, lines)
    budget = _Budget(path, limits or InputLimits())
    for table in tables:
        for row in table.rows:
            budget.row(table.name, row.number, len(row.cells))
    return tables


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


def docx_tables(path: Path, limits: InputLimits | None = None) -> list[Table]:
    """Every table of a .docx; merged cells repeat their text (python-docx does so)."""
    import docx  # python-docx; imported here to keep start-up light

    limits = limits or InputLimits()
    budget = _Budget(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            check_package(path, archive, limits)
        document = docx.Document(str(path))
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise IngestError(
            f"不是有效的 .docx 文件，可能已损坏或被截断（{_reason(exc)}）", SourceRef(file=path.name)
        ) from None
    except Exception as exc:  # noqa: BLE001 — lxml and python-docx raise several kinds on corrupt parts
        raise IngestError(f"无法读取 .docx 文件（{type(exc).__name__}）", SourceRef(file=path.name)) from None
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
                cells = [c.text for c in row.cells]
                budget.row(out.name, number, len(cells))
                out.rows.append(Row(cells=cells, number=number))
            tables.append(out)
    return ([preface] if preface.rows else []) + tables


# --- limits ------------------------------------------------------------------------------


def _too_big(path: Path, what: str, limit: str) -> IngestError:
    return IngestError(f"{what}，超过上限 {limit}，未导入（上限可在设置中调整）", SourceRef(file=path.name))


def check_size(path: Path, limits: InputLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * 1_000_000:
        raise _too_big(path, f"文件大小 {size / 1_000_000:.1f} MB", f"{limits.max_file_mb:g} MB")


def check_package(path: Path, archive: zipfile.ZipFile, limits: InputLimits) -> None:
    """Refuse a zip bomb from the package's directory, before anything is decompressed.

    Reading a member never yields more than the size its directory entry declares, so these
    declared sizes bound what parsing can unpack."""
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_mb * 1_000_000:
        raise _too_big(path, f"解压后共 {total / 1_000_000:.0f} MB", f"{limits.max_unpacked_mb:g} MB")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 10_000_000 and ratio > limits.max_ratio:
            raise _too_big(
                path, f"其中 {member.filename} 的压缩比为 {ratio:.0f} 倍（疑似压缩炸弹）", f"{limits.max_ratio:g} 倍"
            )
    sheets = sum(1 for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"))
    if sheets > limits.max_sheets:
        raise _too_big(path, f"工作簿有 {sheets} 个工作表", f"{limits.max_sheets} 个")


class _Budget:
    """Rows and cells read so far, against the limits (counted while streaming)."""

    def __init__(self, path: Path, limits: InputLimits) -> None:
        self.path, self.limits, self.cells = path, limits, 0

    def row(self, table: str, number: int, width: int) -> None:
        if number > self.limits.max_rows:
            raise IngestError(
                f"超过每张表 {self.limits.max_rows} 行的上限，未导入（上限可在设置中调整）",
                SourceRef(file=self.path.name, table=table, row=number),
            )
        self.cells += width
        if self.cells > self.limits.max_cells:
            raise IngestError(
                f"单元格超过 {self.limits.max_cells} 个的上限，未导入（上限可在设置中调整）",
                SourceRef(file=self.path.name, table=table, row=number),
            )


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


def _open_workbook(path: Path):
    """openpyxl's reader up to the sheets: strings, styles (which numbers are dates) and the
    list of worksheets, as (name, part). load_workbook's read-only mode would also scan every
    sheet to its end to size it (9 s for a million rows) before a single row is read."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(str(path), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    sheets = [
        (sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    return reader, sheets


def _sheet_rows(reader, name: str, part: str, path: Path, budget: _Budget) -> tuple[dict[int, list[str]], list[str]]:
    """Stream one sheet: its non-empty rows by sheet row number, and its merged ranges.

    openpyxl's read-only mode streams cell values but drops merged cells, and its full mode
    binds them in quadratic time; its streaming parser sees the <mergeCells> element after the
    rows, so one pass gives both. A formula cell with no cached value would read as empty:
    it is refused instead, since its value is not in the file."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    uncached: list[str] = []

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            if element.find(FORMULA_TAG) is not None:
                value = element.find(VALUE_TAG)
                # an empty cached text result is written t="str" with <v></v>; anything else
                # with no text has never been calculated
                if value is None or (not value.text and element.get("t") != "str"):
                    uncached.append(element.get("r") or "?")
            return super().parse_cell(element)

    workbook = reader.wb
    rows: dict[int, list[str]] = {}
    with reader.archive.open(part) as source:
        parser = Parser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            width = max((c["column"] for c in cells), default=0)
            budget.row(name, number, width)
            if uncached:
                raise IngestError(
                    f"单元格 {uncached[0]} 是公式，但文件中没有保存它的计算结果（常见于程序生成、未经 Excel 保存的文件）；"
                    "请在 Excel 或 WPS 中打开并保存后再导入",
                    SourceRef(file=path.name, table=name, row=number),
                )
            row = [""] * width
            for c in cells:
                row[c["column"] - 1] = _cell_text(c["value"])
            if any(clean(t) for t in row):
                rows[number] = row
        merged = [str(r) for r in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return rows, merged


def _fill_merged(rows: dict[int, list[str]], refs: list[str]) -> None:
    """A merged range repeats its top-left value over the whole range (rows that exist)."""
    from openpyxl.utils.cell import range_boundaries

    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        top_row = rows.get(min_row)
        if top_row is None:
            continue
        top = top_row[min_col - 1] if min_col - 1 < len(top_row) else ""
        for r in range(min_row, max_row + 1):
            row = rows.get(r)
            if row is None:
                continue
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = top


def xlsx_tables(path: Path, limits: InputLimits) -> list[Table]:
    """One table per sheet, read as a stream within the limits; merged ranges repeat their
    top-left value; each row keeps its sheet row number."""
    budget = _Budget(path, limits)
    tables = []
    try:
        with zipfile.ZipFile(path) as archive:
            check_package(path, archive, limits)
        reader, sheets = _open_workbook(path)
        try:
            for name, part in sheets:
                rows, merged = _sheet_rows(reader, name, part, path, budget)
                _fill_merged(rows, merged)
                table = Table(file=path.name, name=name)
                table.rows = [Row(cells=cells, number=number) for number, cells in sorted(rows.items())]
                tables.append(table)
        finally:
            reader.archive.close()
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise IngestError(
            f"不是有效的 .xlsx 文件，可能已损坏或被截断（{_reason(exc)}）", SourceRef(file=path.name)
        ) from None
    except Exception as exc:  # noqa: BLE001 — openpyxl and the XML parser raise several kinds on corrupt parts
        raise IngestError(
            f"无法读取 .xlsx 文件，可能已损坏（{type(exc).__name__}）", SourceRef(file=path.name)
        ) from None
    return tables


def _reason(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "不是 zip 格式"
    if isinstance(exc, KeyError):
        return "缺少必需的组成部分"
    if isinstance(exc, EOFError):
        return "文件不完整"
    return type(exc).__name__


def read_tables(path: Path, limits: InputLimits | None = None) -> list[Table]:
    limits = limits or InputLimits()
    check_size(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return text_tables(path, limits)
    if suffix == ".docx":
        return docx_tables(path, limits)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_tables(path, limits)
    raise IngestError(
        f"不支持的文件类型 {suffix or '（无扩展名）'}，支持 .txt .docx .xlsx .json",
        SourceRef(file=path.name),
    )
