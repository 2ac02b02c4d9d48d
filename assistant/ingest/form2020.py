"""Reader for the 2020 专项资金绩效目标申报表 (seed 002): one form per project.

Each form sets a 中长期 and a 年度 column of indicators side by side; both are kept, as two
projects of the same name with horizon "midterm" and "annual". Cost sits under 产出 as a 二级
(成本指标) in this generation of forms: it is normalised to 经济成本指标, the as-written text kept.
"""

from __future__ import annotations

from ..errors import IngestError
from ..models import DocKind, Horizon, Project
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


def read_form(table: Table, base: Project) -> list[Project]:
    name = unit = ""
    name_row: Row | None = None
    amounts: list[float | None] = []
    goals: list[str] = []
    header: list[str] | None = None
    body: list[Row] = []
    goal_next = False
    for row in table.rows:
        squashed = row.squashed()
        if header is not None:
            if "财政部门审核意见" in squashed:
                break
            body.append(row)
            continue
        if not name and _after(row, "项目名称"):
            name, name_row = _after(row, "项目名称"), row
        if not unit and _after(row, "预算单位"):
            unit = _after(row, "预算单位")
        if any("财政拨款" in s for s in squashed):
            amounts = [parse_amount(s.split("财政拨款")[-1]) for s in squashed if "财政拨款" in s]
        if goal_next:
            goals = row.nonempty()
            goal_next = False
        if "年度目标" in squashed:
            goal_next = True
        if "一级指标" in squashed and "三级指标" in squashed:
            header = squashed
    if not name or header is None or name_row is None:
        raise IngestError(
            "申报表缺少项目名称或绩效指标表头 (form without 项目名称 or indicator header)",
            table.where(table.rows[0] if table.rows else None),
        )
    mid_goal = goals[0] if goals else None
    annual_goal = goals[1] if len(goals) > 1 else mid_goal
    level1_at = header.index("一级指标")
    sides = [[i for i, h in enumerate(header) if h == label] for label in ("二级指标", "三级指标", "指标值")]
    if any(len(s) != 2 for s in sides):
        raise IngestError(
            "申报表的绩效指标表头应有中长期和年度两组 二级/三级/指标值 列 (expected two column groups)",
            table.where(name_row),
        )
    projects = []
    for side, horizon in enumerate((Horizon.MIDTERM, Horizon.ANNUAL)):
        level2_col, name_col, value_col = (s[side] for s in sides)
        amount = amounts[side] if side < len(amounts) else None
        project = base.model_copy(
            update={
                "doc_kind": DocKind.APPLICATION_FORM,
                "unit_name": unit or base.unit_name,
                "name": name,
                "amount": amount,
                "goal": mid_goal if horizon is Horizon.MIDTERM else annual_goal,
                "goal_midterm": mid_goal,
                "horizon": horizon,
                "source": table.where(name_row),
                "indicators": [],
            }
        )
        level1_raw = level2_raw = ""
        for row in body:
            texts = row.texts()
            if len(texts) != len(header):
                if any(texts):
                    raise IngestError(
                        f"申报表指标行应有 {len(header)} 格，实际 {len(texts)} 格 (row width mismatch)",
                        table.where(row),
                    )
                continue
            level1_raw = clean(texts[level1_at]) or level1_raw
            level2_raw = clean(texts[level2_col]) or level2_raw
            fields = {"name": texts[name_col], "target": texts[value_col]}
            if is_placeholder(fields["name"]) and is_placeholder(fields["target"]):
                continue
            project.indicators.append(indicator_from(fields, level1_raw, level2_raw, table.where(row)))
        projects.append(project)
    return projects
