"""Reader for the 2020 专项资金绩效目标申报表 (seed 002): one form per project.

Each form sets a 中长期 and a 年度 column of indicators side by side; both are kept, as two
projects of the same name with horizon "midterm" and "annual". Cost sits under 产出 as a 二级
(成本指标) in this generation of forms: it is normalised to 经济成本指标, the as-written text kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import IngestError
from ..models import DocKind, Horizon, Indicator, Project
from ..normalize import clean, parse_amount, squash
from .columns import indicator_from, is_placeholder
from .grid import Row, Table

FORM_TITLE = "专项资金绩效目标申报表"


def is_form_table(table: Table) -> bool:
    return FORM_TITLE in table.name


def _after(row: Row, label: str) -> str:
    texts = row.texts()
    squashed = [squash(t) for t in texts]
    if label not in squashed:
        return ""
    following = [t for t in texts[squashed.index(label) + 1 :] if t]
    return following[0] if following else ""


@dataclass
class _Form:
    """What the top of a 申报表 says (name, unit, amounts, goals) and its indicator rows."""

    name: str = ""
    unit: str = ""
    name_row: Row | None = None
    amounts: list[float | None] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    header: list[str] | None = None
    body: list[Row] = field(default_factory=list)


def _read_top(table: Table) -> _Form:
    form = _Form()
    goal_next = False
    for row in table.rows:
        squashed = row.squashed()
        if form.header is not None:
            if "财政部门审核意见" in squashed:
                break
            form.body.append(row)
            continue
        if not form.name and _after(row, "项目名称"):
            form.name, form.name_row = _after(row, "项目名称"), row
        if not form.unit and _after(row, "预算单位"):
            form.unit = _after(row, "预算单位")
        if any("财政拨款" in s for s in squashed):
            form.amounts = [parse_amount(s.split("财政拨款")[-1]) for s in squashed if "财政拨款" in s]
        if goal_next:
            form.goals, goal_next = row.nonempty(), False
        goal_next = goal_next or "年度目标" in squashed
        if "一级指标" in squashed and "三级指标" in squashed:
            form.header = squashed
    return form


def read_form(table: Table, base: Project) -> list[Project]:
    """The 中长期 and 年度 projects of one 申报表: two column groups of 二级/三级/指标值."""
    form = _read_top(table)
    if not form.name or form.header is None or form.name_row is None:
        raise IngestError("申报表缺少项目名称或绩效指标表头", table.where(table.rows[0] if table.rows else None))
    header, name_row = form.header, form.name_row
    mid_goal = form.goals[0] if form.goals else None
    annual_goal = form.goals[1] if len(form.goals) > 1 else mid_goal
    sides = [[i for i, h in enumerate(header) if h == label] for label in ("二级指标", "三级指标", "指标值")]
    if any(len(s) != 2 for s in sides):
        raise IngestError("申报表的绩效指标表头应有中长期和年度两组 二级/三级/指标值 列", table.where(name_row))
    projects = []
    for side, horizon in enumerate((Horizon.MIDTERM, Horizon.ANNUAL)):
        project = base.model_copy(
            update={
                "doc_kind": DocKind.APPLICATION_FORM,
                "unit_name": form.unit or base.unit_name,
                "name": form.name,
                "amount": form.amounts[side] if side < len(form.amounts) else None,
                "goal": mid_goal if horizon is Horizon.MIDTERM else annual_goal,
                "goal_midterm": mid_goal,
                "horizon": horizon,
                "source": table.where(name_row),
                "indicators": [],
            }
        )
        project.indicators = _side_rows(table, form.body, header, header.index("一级指标"), [s[side] for s in sides])
        projects.append(project)
    return projects


def _side_rows(table: Table, body: list[Row], header: list[str], level1_at: int, cols: list[int]) -> list[Indicator]:
    """The indicators of one column group (二级, 三级, 指标值 at `cols`), levels filled down."""
    level2_col, name_col, value_col = cols
    indicators = []
    level1_raw = level2_raw = ""
    for row in body:
        texts = row.texts()
        if len(texts) != len(header):
            if any(texts):
                raise IngestError(f"申报表指标行应有 {len(header)} 格，实际 {len(texts)} 格", table.where(row))
            continue
        level1_raw = clean(texts[level1_at]) or level1_raw
        level2_raw = clean(texts[level2_col]) or level2_raw
        fields = {"name": texts[name_col], "target": texts[value_col]}
        if not (is_placeholder(fields["name"]) and is_placeholder(fields["target"])):
            indicators.append(indicator_from(fields, level1_raw, level2_raw, table.where(row)))
    return indicators
