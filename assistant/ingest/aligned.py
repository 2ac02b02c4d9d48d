"""Reader for aligned indicator tables: every 三级 row sits beside its project, 一级 and 二级.

This is the standard 项目支出绩效目标表 layout of budget-system .xlsx exports, of .docx tables and
of seed 003; it also reads 自评表 (seed 004), whose project is named above the table rather than
in a column. Merged cells arrive blank (text extraction) or repeated (Word, Excel): both
forward-fill.
"""

from __future__ import annotations

import re

from ..errors import IngestError
from ..models import DocKind, Indicator, Project, Scope
from ..normalize import clean, level1_of, level2_of, parse_amount, squash
from .columns import (
    FIELD_LABELS,
    REQUIRED,
    cell,
    header_field,
    header_map,
    indicator_from,
    is_na_row,
    is_placeholder,
)
from .grid import Row, Table, is_indicator_header, title_of

INDICATOR_FIELDS = (
    "name",
    "nature",
    "target",
    "target_detail",
    "scoring",
    "unit",
    "comparator",
    "weight",
    "note",
    "actual",
    "score",
)
_PROJECT_LABELS = {"项目名称", "项目支出名称", "单位（专项）名称", "专项名称"}
_DEPARTMENT_LABELS = {"部门名称"}
_GOAL_LABELS = {"整体绩效目标", "实施期绩效目标", "年度绩效目标", "绩效目标"}
_UNIT_RE = re.compile(r"(?:填报单位|预算单位|^单位)[：:]\s*([^\s（(]+)")
_END_MARKS = {"总分", "合计"}
# A change in any of these cells starts a new project (merged cells repeat or stay blank).
_PROJECT_KEY = ("seq", "unit_code", "project", "amount", "goal")


def unit_name_in(text: str) -> str | None:
    """The filing unit named in a "填报单位：…（盖章）" or "单位：…" line."""
    for line in text.splitlines():
        for part in line.split("\t"):
            match = _UNIT_RE.search(clean(part))
            if match:
                return match.group(1)
    return None


def find_headers(table: Table) -> list[int]:
    """Indices of rows that head an aligned indicator table (a 三级指标 column)."""
    return [i for i, row in enumerate(table.rows) if is_indicator_header(row.cells)]


def has_project_columns(columns: dict[str, int]) -> bool:
    return "project" in columns or "level2" in columns


def _columns(table: Table, index: int, stop: int) -> dict[str, int]:
    """Header of row `index`, completed from the row above for cells merged over two rows,
    and read the way its rows show it is meant (see _value_columns, _level_in_name)."""
    columns = header_map(table.rows[index].cells)
    if index > 0:
        above = header_map(table.rows[index - 1].cells)
        for field, col in above.items():
            if field not in columns and field in ("unit_code", "project", "amount", "goal"):
                columns[field] = col
    rows = table.rows[index + 1 : stop]
    _level_in_name(columns, rows)
    _value_columns(columns, table.rows[index].cells)
    return columns


def _level_in_name(columns: dict[str, int], rows: list[Row]) -> None:
    """Forms whose 指标名称 column holds the 二级 (数量指标, 质量指标…) and whose 指标描述 says what
    is measured (临海): the name column is the 二级 and the description the 三级."""
    if "level2" in columns or "name" not in columns or "target_detail" not in columns:
        return
    names = [cell(r.cells, columns, "name") for r in rows]
    names = [n for n in names if n]
    if names and sum(1 for n in names if level2_of(n) or level1_of(n)) >= 0.8 * len(names):
        columns["level2"] = columns.pop("name")
        columns["name"] = columns.pop("target_detail")


def _value_columns(columns: dict[str, int], header: list[str]) -> None:
    """No value column but one target column per region after the indicator (福建's 专项转移支付
    tables: 指标解释 | 新罗区 | 永定区 …): the first region's column is the value."""
    if "target" in columns or "name" not in columns:
        return
    known = set(columns.values())
    after = max(known)
    for index in range(after + 1, len(header)):
        if squash(header[index]) and header_field(header[index]) is None:
            columns["target"] = index
            return


def _context(rows: list[Row]) -> dict[str, str]:
    """Project name, amount and goal written above a 自评表's indicator rows."""
    found: dict[str, str] = {}
    for i, row in enumerate(rows):
        texts = row.texts()
        for j, text in enumerate(texts):
            label = squash(text)
            following = [t for t in texts[j + 1 :] if t and squash(t) != label]
            if label in _PROJECT_LABELS and following and "name" not in found:
                found["name"] = following[0]
            elif label in _DEPARTMENT_LABELS and following and "name" not in found:
                found["name"] = following[0]
                found["department"] = "1"
            elif label.startswith(("年度资金总额", "资金总额")) and "amount" not in found:
                inline = parse_amount(label)
                if inline is not None:
                    found["amount"] = str(inline)
                elif following:
                    found["amount"] = following[0]
            elif label in _GOAL_LABELS and following and "goal" not in found:
                found["goal"] = following[0]
            elif label == "预期目标" and "goal" not in found and i + 1 < len(rows):
                below = rows[i + 1].texts()
                if j < len(below) and below[j]:
                    found["goal"] = below[j]
    return found


def read_aligned(table: Table, base: Project, known: dict[str, str] | None = None) -> list[Project]:
    """All projects of one table; `base` carries the filing-level fields (unit, year, kind).

    `known` gives the project's name, amount and goal when they are not in the table (a filing
    record states them beside it)."""
    projects: list[Project] = []
    headers = find_headers(table)
    for n, start in enumerate(headers):
        stop = headers[n + 1] if n + 1 < len(headers) else len(table.rows)
        columns = _columns(table, start, stop)
        missing = [FIELD_LABELS[f] for f in REQUIRED if f not in columns]
        if missing:
            raise IngestError(
                f"指标表缺少必需的列：{'、'.join(missing)} (missing required columns)",
                table.where(table.rows[start]),
            )
        kind = DocKind.SELF_EVALUATION if "actual" in columns else base.doc_kind
        previous_stop = headers[n - 1] + 1 if n else 0
        context = {} if "project" in columns else (known or _context(table.rows[previous_stop:start]))
        projects.extend(_read_section(table, table.rows[start + 1 : stop], columns, base, kind, context))
    return projects


def _read_section(
    table: Table,
    rows: list[Row],
    columns: dict[str, int],
    base: Project,
    kind: DocKind,
    context: dict[str, str],
) -> list[Project]:
    projects: list[Project] = []
    current: Project | None = None
    current_key: tuple[str, ...] = ()
    level1_raw = level2_raw = ""

    def start(name: str, row: Row, cells: list[str], department: bool) -> Project:
        amount_text = cell(cells, columns, "amount") or context.get("amount", "")
        return base.model_copy(
            update={
                "doc_kind": kind,
                "scope": Scope.DEPARTMENT if department else Scope.PROJECT,
                "unit_code": cell(cells, columns, "unit_code") or base.unit_code,
                "name": name,
                "amount": parse_amount(amount_text),
                "goal": cell(cells, columns, "goal") or context.get("goal") or None,
                "source": table.where(row),
                "indicators": [],
                "level2_na": [],
            }
        )

    for row in rows:
        cells = row.cells
        first = next(iter(row.nonempty()), "")
        if squash(first) in _END_MARKS or title_of(first):
            break
        if len(header_map(cells)) >= 3:  # a header repeated after a page break
            continue
        name = cell(cells, columns, "project")
        key = tuple(cell(cells, columns, f) for f in _PROJECT_KEY)
        changed = any(k and k != was for k, was in zip(key, current_key))
        if "project" in columns and name and (current is None or changed):
            current, current_key = start(name, row, cells, department=False), key
            projects.append(current)
            level1_raw = level2_raw = ""
        if current is None:
            department = bool(context.get("department"))
            if not context.get("name"):
                raise IngestError("找不到这一行所属的项目名称 (no project name for this row)", table.where(row))
            # A department-wide table names the unit (部门名称); the project is its 整体支出.
            current = start("部门整体支出" if department else context["name"], row, cells, department)
            if department:
                current.unit_name = context["name"]
            projects.append(current)
        level1_raw = cell(cells, columns, "level1") or level1_raw
        new_level2 = cell(cells, columns, "level2")
        if new_level2:
            level2_raw = new_level2
        fields = {f: cell(cells, columns, f) for f in INDICATOR_FIELDS if f in columns}
        if is_na_row(fields):
            level2 = level2_of(level2_raw)
            if new_level2 and level2 and squash(fields.get("name", "")) == "无":
                current.level2_na.append(level2)
            continue
        if is_placeholder(fields.get("name", "")) and is_placeholder(fields.get("target", "")):
            continue
        indicator: Indicator = indicator_from(fields, level1_raw, level2_raw, table.where(row))
        current.indicators.append(indicator)
    return projects
