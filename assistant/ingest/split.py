"""Reader for the split 目标表 layout (seeds 000/001).

The project list with its 一级/二级 skeleton comes first; every 三级 row of every project follows
in one long table with no project or 二级 column. `align_rows` puts each row back under its
project and 二级 from what a reader would use: the order, the cost rows that open each project,
the skeleton, and the meaning of the row. The department-wide 整体支出绩效目标表 splits its rows
across two tables (levels and names, then values and rules) that pair up row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import IngestError
from ..models import LEVEL2_ORDER, DocKind, Level1, Level2, Project, Scope
from ..normalize import is_level_label, level2_of, level2_tokens, parse_amount, squash
from .columns import cell, header_map, indicator_from, is_placeholder
from .grid import Row, Table

_LEVEL1_NAMES = {level.value for level in Level1}
_CODE_RE = re.compile(r"^\d{6}$")
_AMOUNT_RE = re.compile(r"[\d,]+(\.\d+)?")
_MONEY_RE = re.compile(r"\d+(?:\.\d+)?\s*万?元")
_TIME_RE = re.compile(r"时限|时间|时效|进度|期限")
_DATE_RE = re.compile(r"(20\d{2}\s*年)?\s*(\d{1,2}\s*月|年底|年末|底前)")
_QUALITY_RE = re.compile(r"质量|合格|差错|错漏|出错|准确|完整|达标|验收|完好")
_EFFECT_KEYWORDS: tuple[tuple[Level2, re.Pattern[str]], ...] = (
    (Level2.SUSTAINABILITY, re.compile(r"可持续|持续|长效|制度|机制|改革")),
    (Level2.ECOLOGICAL_BENEFIT, re.compile(r"生态|环境|能耗|节能|水资源|碳|绿色|低碳|排放|环保")),
    (Level2.ECONOMIC_BENEFIT, re.compile(r"经济|收益|创收|增收|产值|税收")),
)
_SECOND_COST: tuple[tuple[Level2, re.Pattern[str]], ...] = (
    (Level2.SOCIAL_COST, re.compile(r"社会")),
    (Level2.ECOLOGICAL_COST, re.compile(r"生态|环境")),
)


@dataclass
class SkeletonProject:
    code: str
    name: str
    amount: float | None
    goal: str | None
    skeleton: list[Level2] = field(default_factory=list)
    row: Row | None = None
    table: Table | None = None


@dataclass
class LooseRow:
    """A 三级 row before alignment: its fields as written and where it came from."""

    fields: dict[str, str]
    row: Row
    table: Table

    def text(self, *names: str) -> str:
        return " ".join(self.fields.get(n, "") for n in names)


def is_split_layout(tables: list[Table]) -> bool:
    return any(_is_project_row(r) for t in tables for r in t.rows) and any(
        _loose_header(r) for t in tables for r in t.rows
    )


def _is_project_row(row: Row) -> bool:
    texts = row.texts()
    return any(_CODE_RE.match(t) for t in texts[:-1])


def _loose_header(row: Row) -> dict[str, int] | None:
    """Header of a 三级 table with no project or 二级 column."""
    columns = header_map(row.cells)
    if "name" in columns and "target" in columns and "level2" not in columns and "project" not in columns:
        return columns
    return None


def read_split(tables: list[Table], base: Project) -> list[Project]:
    unit_name = base.unit_name
    skeletons: list[SkeletonProject] = []
    loose: list[LooseRow] = []
    overall: list[Table] = []
    for table in tables:
        if "整体" in table.name:
            overall.append(table)
            continue
        columns: dict[str, int] | None = None
        for row in table.rows:
            header = _loose_header(row)
            if header:
                columns = header
                continue
            if columns is not None:
                fields = {f: cell(row.cells, columns, f) for f in columns}
                if not all(is_placeholder(v) for v in fields.values()):
                    loose.append(LooseRow(fields=fields, row=row, table=table))
                continue
            _read_skeleton_row(row, table, skeletons, unit_name)
    projects = [p for p in skeletons if p.name != unit_name]
    if loose and not projects:
        raise IngestError(
            "三级指标表之前没有项目清单，无法对应到项目",
            loose[0].table.where(loose[0].row),
        )
    out = []
    for assigned, sk in zip(align_rows(projects, loose), projects):
        project = base.model_copy(
            update={
                "unit_code": sk.code,
                "name": sk.name,
                "amount": sk.amount,
                "goal": sk.goal,
                "source": sk.table.where(sk.row) if sk.table and sk.row else None,
                "indicators": [],
            }
        )
        for item, level2 in assigned:
            where = item.table.where(item.row)
            project.indicators.append(indicator_from(item.fields, "", "", where, level2=level2))
        out.append(project)
    department = _read_overall(overall, base)
    if department is not None:
        out.append(department)
    return out


def _read_skeleton_row(row: Row, table: Table, skeletons: list[SkeletonProject], unit_name: str | None) -> None:
    texts = row.texts()
    code_at = next((i for i, t in enumerate(texts[:-1]) if _CODE_RE.match(t)), None)
    if code_at is not None:
        name = texts[code_at + 1]
        rest = texts[code_at + 2 :]
        amount = next((parse_amount(t) for t in rest if _AMOUNT_RE.fullmatch(t)), None)
        goals = [t for t in rest if t and not is_level_label(t) and not level2_tokens(t)]
        goals = [t for t in goals if not _AMOUNT_RE.fullmatch(t)]
        existing = next((p for p in skeletons if p.name == name), None)
        if existing is None:
            existing = SkeletonProject(
                code=texts[code_at], name=name, amount=amount, goal=goals[0] if goals else None, row=row, table=table
            )
            skeletons.append(existing)
        else:  # the same project again after a page break
            existing.amount = existing.amount if existing.amount is not None else amount
            existing.goal = existing.goal or (goals[0] if goals else None)
        skeletons.append(skeletons.pop(skeletons.index(existing)))
    if not skeletons:
        return
    current = skeletons[-1]
    for text in texts:
        for level in level2_tokens(text):
            if level not in current.skeleton:
                current.skeleton.append(level)


# --- alignment -------------------------------------------------------------------------------


def _is_opening_cost(item: LooseRow) -> bool:
    """A cost row with a money figure: it opens a project's rows."""
    unit = item.fields.get("unit", "")
    money_text = item.text("name", "target", "target_detail")
    if "万元" in unit or unit == "元":
        return bool(re.search(r"\d", item.text("target", "target_detail")))
    return bool(_MONEY_RE.search(money_text)) and bool(re.search(r"经费|成本|预算|费", money_text))


def _is_time(item: LooseRow) -> bool:
    return bool(_TIME_RE.search(item.fields.get("name", ""))) or bool(
        _DATE_RE.fullmatch(squash(item.fields.get("target", "")).removesuffix("前"))
    )


def _is_satisfaction(item: LooseRow) -> bool:
    return "满意" in item.fields.get("name", "")


def _segments(rows: list[LooseRow]) -> list[list[LooseRow]]:
    segments: list[list[LooseRow]] = []
    previous_cost = False
    for item in rows:
        cost = _is_opening_cost(item)
        if not segments or (cost and not previous_cost):
            segments.append([])
        segments[-1].append(item)
        previous_cost = cost
    return segments


def align_rows(projects: list[SkeletonProject], rows: list[LooseRow]) -> list[list[tuple[LooseRow, Level2]]]:
    """Each project's rows with their 二级, in order."""
    if not rows:
        return [[] for _ in projects]
    segments = _segments(rows)
    if len(segments) != len(projects):
        first = rows[0]
        raise IngestError(
            f"三级指标行分成了 {len(segments)} 段（以成本行开头），而项目清单有 {len(projects)} 个项目，无法可靠地对应",
            first.table.where(first.row),
        )
    return [_assign_levels(segment) for segment in segments]


def _assign_levels(segment: list[LooseRow]) -> list[tuple[LooseRow, Level2]]:
    levels: list[Level2 | None] = [None] * len(segment)
    i = 0
    while i < len(segment) and (i == 0 or _is_opening_cost(segment[i])):
        level = Level2.ECONOMIC_COST
        if i > 0:
            name = segment[i].fields.get("name", "")
            level = next((lv for lv, rx in _SECOND_COST if rx.search(name)), Level2.ECONOMIC_COST)
        levels[i] = level
        i += 1
    satisfaction = [j for j in range(i, len(segment)) if _is_satisfaction(segment[j])]
    end = satisfaction[0] if satisfaction else len(segment)
    for j in range(end, len(segment)):
        levels[j] = Level2.SATISFACTION
    time_at = next((j for j in range(i, end) if _is_time(segment[j])), None)
    output_end = time_at if time_at is not None else end
    _assign_outputs(segment, levels, i, output_end)
    if time_at is not None:
        levels[time_at] = Level2.TIMELINESS
        _assign_effects(segment, levels, time_at + 1, end)
    return [(item, level or Level2.SOCIAL_BENEFIT) for item, level in zip(segment, levels)]


def _assign_outputs(segment: list[LooseRow], levels: list[Level2 | None], start: int, stop: int) -> None:
    """数量 rows come before 质量 rows: split at the first quality-like row, else at the last."""
    span = range(start, stop)
    if not span:
        return
    quality_at = next((j for j in span if _QUALITY_RE.search(segment[j].text("name", "target"))), None)
    if quality_at is None:
        quality_at = stop - 1 if len(span) > 1 else stop
    for j in span:
        levels[j] = Level2.QUANTITY if j < quality_at else Level2.QUALITY


def _effect_class(item: LooseRow, fieldname: str) -> Level2 | None:
    text = item.fields.get(fieldname, "")
    return next((lv for lv, rx in _EFFECT_KEYWORDS if rx.search(text)), None)


def _assign_effects(segment: list[LooseRow], levels: list[Level2 | None], start: int, stop: int) -> None:
    """By meaning, kept in skeleton order; a row repeating its neighbour's 二级 moves on when its
    value points to a later one (节能 then 持续 → 可持续影响)."""
    order = {lv: k for k, lv in enumerate(LEVEL2_ORDER)}
    previous: Level2 | None = None
    for j in range(start, stop):
        level = _effect_class(segment[j], "name") or Level2.SOCIAL_BENEFIT
        if previous is not None and order[level] <= order[previous]:
            by_value = _effect_class(segment[j], "target")
            if by_value is not None and order[by_value] > order[previous]:
                level = by_value
            elif order[level] < order[previous]:
                level = previous
        levels[j] = level
        previous = level


# --- 整体支出 --------------------------------------------------------------------------------


@dataclass
class _Overall:
    """The two halves of a 整体支出绩效目标表 (levels and names; values and rules) and its head."""

    names: list[tuple[Table, Row, dict[str, str]]] = field(default_factory=list)
    values: list[dict[str, str]] = field(default_factory=list)
    code: str | None = None
    amount: float | None = None
    goal: str | None = None


def _overall_halves(tables: list[Table]) -> _Overall:
    found = _Overall()
    for table in tables:
        mode = None
        columns: dict[str, int] = {}
        for row in table.rows:
            header = header_map(row.cells)
            if "name" in header and "level2" in header:
                mode, columns = "names", header
                continue
            if "target" in header and "scoring" in header:
                mode, columns = "values", header
                continue
            texts = row.texts()
            if mode is None:
                code_at = next((i for i, t in enumerate(texts) if _CODE_RE.match(t)), None)
                if code_at is not None:
                    found.code = texts[code_at]
                    numbers = [parse_amount(t) for t in texts[code_at + 1 :] if _AMOUNT_RE.fullmatch(t)]
                    found.amount = numbers[0] if numbers else None
            elif mode == "names":
                entry = _overall_names_row(texts, columns)
                if found.goal is None and "level1" in columns:
                    candidates = [t for t in texts[: columns["level1"]] if len(t) > 8]
                    found.goal = candidates[0] if candidates else None
                if entry is not None:
                    found.names.append((table, row, entry))
            else:
                found.values.append({f: cell(row.cells, columns, f) for f in columns})
    return found


def _read_overall(tables: list[Table], base: Project) -> Project | None:
    """Pair the levels table with the values table of a 整体支出绩效目标表, row by row."""
    halves = _overall_halves(tables)
    if not halves.names:
        return None
    first_table, first_row, _ = halves.names[0]
    if len(halves.values) != len(halves.names):
        raise IngestError(
            f"整体支出绩效目标表的两部分行数不一致（{len(halves.names)} 行指标，{len(halves.values)} 行指标值）",
            first_table.where(first_row),
        )
    project = base.model_copy(
        update={
            "scope": Scope.DEPARTMENT,
            "doc_kind": DocKind.TARGET_TABLE,
            "unit_code": halves.code,
            "name": "部门整体支出",
            "amount": halves.amount,
            "goal": halves.goal,
            "source": first_table.where(first_row),
            "indicators": [],
        }
    )
    level1_raw = level2_raw = ""
    for (table, row, entry), values in zip(halves.names, halves.values):
        level1_raw = entry.get("level1") or level1_raw
        level2_raw = entry.get("level2") or level2_raw
        fields = {**values, "name": entry["name"], "comparator": entry.get("comparator", "")}
        project.indicators.append(indicator_from(fields, level1_raw, level2_raw, table.where(row)))
    return project


def _overall_names_row(texts: list[str], columns: dict[str, int]) -> dict[str, str] | None:
    """One row of the levels half; rows shifted left in the extraction are put back."""
    entry: dict[str, str] = {}
    start = columns.get("level1", 0)
    rest = [t for t in texts[start:] if t]
    for text in rest:
        if squash(text) in _LEVEL1_NAMES and not entry:
            entry["level1"] = text
        elif level2_of(text) is not None and "level2" not in entry and "name" not in entry:
            entry["level2"] = text
        elif "name" not in entry:
            entry["name"] = text
        else:
            entry["comparator"] = text
    if "name" not in entry:
        return None
    return entry
