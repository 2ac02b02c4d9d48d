"""Measurable rows and operational scoring rules the drafters fall back on.

Every template passes the review rules on its own: a specific name, a number or a date, a unit
from the list, a direction, and a scoring rule that parses into a formula with the row's points.
"""

from __future__ import annotations

import re

from ..models import Comparator, Level2
from .models import Brief, DraftIndicator

# 二级 and points of a full table: 成本 20 / 产出 40 / 效益 20 / 满意度 10 = 90 (预算执行率 10 apart).
PLAN: tuple[tuple[Level2, float], ...] = (
    (Level2.ECONOMIC_COST, 20),
    (Level2.QUANTITY, 15),
    (Level2.QUALITY, 15),
    (Level2.TIMELINESS, 10),
    (Level2.SOCIAL_BENEFIT, 20),
    (Level2.SATISFACTION, 10),
)
EFFECTS = (Level2.SOCIAL_BENEFIT, Level2.ECONOMIC_BENEFIT, Level2.ECOLOGICAL_BENEFIT, Level2.SUSTAINABILITY)
COUNT_UNITS = set("家人个台套件次项户所座处条份本场辆")


def _g(value: float) -> str:
    return f"{value:g}"


def scoring_for(comparator: Comparator | None, unit: str, weight: float, target: str = "") -> str:
    """An operational 评（扣）分标准 for a row of this type, worth `weight` points."""
    w = _g(weight)
    step = _g(max(0.5, round(weight / 10, 1)))
    if comparator is Comparator.QUALITATIVE:
        return f"达到目标得{w}分，否则不得分"
    if comparator in (Comparator.LE, Comparator.LT):
        if unit in ("万元", "元"):
            return f"{w}分；不超过目标值得满分，每超过10%扣{_g(max(1, round(weight / 5)))}分，扣完为止"
        if unit == "小时":
            return f"{w}分；不超过目标值得满分，每超过1小时扣{step}分，扣完为止"
        if unit in ("日", "天", "工作日") and target.strip().replace(".", "", 1).isdigit():
            return f"{w}分；不超过目标值得满分，每超过1{unit}扣{step}分，扣完为止"
        if unit in ("日期", "日", "天", "工作日", "月"):
            return f"{w}分；按期完成得满分，每逾期5天扣{step}分，扣完为止"
        return f"{w}分；每增加1个百分点扣{step}分，扣完为止"
    if comparator is Comparator.EQ and target.strip() in ("0", "0.0"):
        return f"{w}分；每发生1{unit if unit in COUNT_UNITS else '件'}扣{_g(max(1, round(weight / 4)))}分，扣完为止"
    if unit in ("%", "％"):
        return f"{w}分；每低于目标1个百分点扣{step}分，扣完为止"
    if unit in COUNT_UNITS:
        return f"{w}分；每少1{unit}扣{step}分，扣完为止"
    return f"{w}分；得分={w}×min(实际值/目标值,1)"


def subject_of(project_name: str) -> str:
    """The project name as the subject of a row name, without its year ("2025年…") or a
    trailing 项目; "本项目" when it lists several things ("信访工作经费、应急管理工作经费": a row
    named after it would read as two indicators) or is too long to lead a row's name."""
    name = re.sub(r"^20\d{2}年度?", "", project_name).strip()
    name = name.removesuffix("项目") if len(name) > 4 else name
    if any(sep in name for sep in "、，,；;") or len(name) > 16:
        return "本项目"
    return name


# 二级 → (name, target, unit, comparator, what the value means); {name}, {year}, {amount} filled in.
_TEMPLATES: dict[Level2, tuple[str, str, str, Comparator, str]] = {
    Level2.ECONOMIC_COST: (
        "{name}支出",
        "{amount}",
        "万元",
        Comparator.LE,
        "全年支出控制在资金总额{amount}万元以内",
    ),
    Level2.QUANTITY: (
        "年度计划任务完成率",
        "100",
        "%",
        Comparator.GE,
        "{year}年计划任务清单中按期完成的任务数占任务总数的比例",
    ),
    Level2.QUALITY: ("工作成果验收合格率", "100", "%", Comparator.GE, "通过验收或考核的成果数占成果总数的比例"),
    Level2.TIMELINESS: (
        "年度任务完成时间",
        "{year}年12月31日",
        "日期",
        Comparator.LE,
        "{year}年12月31日前完成全部年度任务并结算",
    ),
    Level2.SATISFACTION: (
        "{name}服务对象满意度",
        "90",
        "%",
        Comparator.GE,
        "随机抽样问卷调查，评价为满意和比较满意的问卷数占有效问卷数的比例",
    ),
}
_EFFECT_TEMPLATE = ("服务对象有效投诉数", "0", "件", Comparator.EQ, "{year}年内经核实的有效投诉件数")


def template_row(level2: Level2, brief: Brief, weight: float) -> DraftIndicator:
    """A measurable row for a 二级 no past project supplied."""
    name, target, unit, comparator, detail = _TEMPLATES.get(level2, _EFFECT_TEMPLATE)
    values = {
        "name": subject_of(brief.name),
        "year": brief.year,
        "amount": _g(brief.amount) if brief.amount is not None else "",
    }
    target = target.format(**values)
    return DraftIndicator(
        level2=level2,
        name=name.format(**values),
        target=target,
        target_detail=detail.format(**values),
        scoring=scoring_for(comparator, unit, weight, target),
        unit=unit,
        comparator_raw=comparator.value,
        weight=weight,
        sources=[],
        origin="generic",
        origin_note=f"通用：框架要求{level2.value}，申报内容、同类项目和指标库中都没有更具体的",
        rationale=f"通用写法：往年同类项目和指标库中没有可直接借用的{level2.value}，按审核要求给出可衡量的写法，请按实际修改",
    )
