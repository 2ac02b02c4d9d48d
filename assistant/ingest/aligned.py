"""Reader for aligned indicator tables: every 三级 row sits beside its project, 一级 and 二级.

This is the standard 项目支出绩效目标表 layout of budget-system .xlsx exports, of .docx tables and
of seed 003; it also reads 自评表 (seed 004), whose project is named above the table rather than
in a column. Merged cells arrive blank (text extraction) or repeated (Word, Excel): both
forward-fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import IngestError
from ..models import DocKind, Project, Scope
from ..normalize import clean, level1_of, level2_of, parse_amount, squash
from .columns import (
    FIELD_LABELS,
    REQUIRED,
    cell,
    declares_na,
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
            elif label in _GOAL_LABELS and "goal" not in found:
                found["goal"] = following[0] if following else ""
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
                f"指标表缺少必需的列：{'、'.join(missing)}",
                table.where(table.rows[start]),
            )
        kind = DocKind.SELF_EVALUATION if "actual" in columns else base.doc_kind
        previous_stop = headers[n - 1] + 1 if n else 0
        context = {} if "project" in columns else (known or _context(table.rows[previous_stop:start]))
        projects.extend(_read_section(table, table.rows[start + 1 : stop], columns, base, kind, context))
    return projects


def _read_section(
    table: Table, rows: list[Row], columns: dict[str, int], base: Project, kind: DocKind, context: dict[str, str]
) -> list[Project]:
    section = _Section(table, columns, base, kind, context)
    for row in rows:
        first = next(iter(row.nonempty()), "")
        if squash(first) in _END_MARKS or title_of(first):
            break
        if len(header_map(row.cells)) >= 3:  # a header repeated after a page break
            continue
        section.read(row)
    return section.projects


@dataclass
class _Section:
    """The rows under one header: which project each belongs to, and the 一级/二级 filled down
    over merged cells."""

    table: Table
    columns: dict[str, int]
    base: Project
    kind: DocKind
    context: dict[str, str]
    projects: list[Project] = field(default_factory=list)
    current: Project | None = None
    key: tuple[str, ...] = ()
    level1_raw: str = ""
    level2_raw: str = ""

    def _start(self, name: str, row: Row, department: bool) -> Project:
        cells, columns = row.cells, self.columns
        project = self.base.model_copy(
            update={
                "doc_kind": self.kind,
                "scope": Scope.DEPARTMENT if department else Scope.PROJECT,
                "unit_code": cell(cells, columns, "unit_code") or self.base.unit_code,
                "name": name,
                "amount": parse_amount(cell(cells, columns, "amount") or self.context.get("amount", "")),
                "goal": self._goal(cells),
                "columns": sorted(columns, key=columns.__getitem__),
                "source": self.table.where(row),
                "indicators": [],
                "level2_na": [],
            }
        )
        self.projects.append(project)
        self.level1_raw = self.level2_raw = ""
        return project

    def _goal(self, cells: list[str]) -> str | None:
        """The goal; "" when the form has a goal box left empty (a fault), None when it has none."""
        written = cell(cells, self.columns, "goal") if "goal" in self.columns else None
        return written or self.context.get("goal", written)

    def _project(self, row: Row) -> Project:
        """The project of a row: a new one where a project cell changes, else the current one, or
        the one the table's context names (自评表, 部门整体支出)."""
        name = cell(row.cells, self.columns, "project")
        key = tuple(cell(row.cells, self.columns, f) for f in _PROJECT_KEY)
        changed = any(k and k != was for k, was in zip(key, self.key))
        if "project" in self.columns and name and (self.current is None or changed):
            self.current, self.key = self._start(name, row, department=False), key
        if self.current is None:
            if not self.context.get("name"):
                raise IngestError("找不到这一行所属的项目名称", self.table.where(row))
            # A department-wide table names the unit (部门名称); the project is its 整体支出.
            department = bool(self.context.get("department"))
            self.current = self._start("部门整体支出" if department else self.context["name"], row, department)
            if department:
                self.current.unit_name = self.context["name"]
        return self.current

    def read(self, row: Row) -> None:
        project = self._project(row)
        cells = row.cells
        new_level1 = cell(cells, self.columns, "level1")
        if new_level1 and new_level1 != self.level1_raw:
            self.level2_raw = ""  # a 二级 merged down never crosses into another 一级
        self.level1_raw = new_level1 or self.level1_raw
        new_level2 = cell(cells, self.columns, "level2")
        self.level2_raw = new_level2 or self.level2_raw
        fields = {f: cell(cells, self.columns, f) for f in INDICATOR_FIELDS if f in self.columns}
        if is_na_row(fields) or declares_na(fields):
            level2 = level2_of(self.level2_raw)
            stated = squash(fields.get("name", "")) == "无" or declares_na(fields)
            if new_level2 and level2 and stated:
                project.level2_na.append(level2)
            return
        if is_placeholder(fields.get("name", "")) and is_placeholder(fields.get("target", "")):
            return
        project.indicators.append(indicator_from(fields, self.level1_raw, self.level2_raw, self.table.where(row)))
