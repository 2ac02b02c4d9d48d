"""K: cost agrees with the money, deadlines are dates, satisfaction is a surveyed percentage."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...models import Indicator, Level2, Project
from ..registry import Context, Severity, rule
from ..text import contains_any, date_year, has_number, is_date, is_dated_task, is_period, numbers, quote


@rule(
    code="K501",
    name="cost-no-amount",
    severity=Severity.ERROR,
    summary="经济成本指标没有金额",
    why="成本上限要能与项目资金比对；“不超年初预算”“控制工资总额”无法核对。",
    source="indicator-rules.md §3.5（unverified）",
    bad="经济成本指标 › 工资 | 控制工资总额",
    good="经济成本指标 › 辅警人均月工资 | 3500 | 元/人·月 | ≤",
    fix="写明金额上限（万元）或单位成本（元/人·月）。",
    implements=("R-COST-NO-AMOUNT",),
    levels=(Level2.ECONOMIC_COST,),
)
def check_cost_no_amount(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not has_number(ind.target):
        yield f"经济成本指标{quote(ind.target or ind.name)}没有金额"


def _is_cost_row(ind: Indicator) -> bool:
    """A 经济成本 row; on a form with no 二级 column, a row whose name says 成本 (重庆丰都's
    自评报告 lists 项目成本概算 | 万元 | ≤ | 3584 among its outputs)."""
    if ind.level2 is Level2.ECONOMIC_COST:
        return True
    return ind.level2 is None and not ind.level2_raw and "成本" in ind.name


def money_in_wan(ind: Indicator) -> float | None:
    """A cost row's cap in 万元, from its value and unit."""
    values = numbers(ind.target)
    if len(values) != 1:
        return None
    target = ind.target or ""
    unit = ind.unit or ""
    if "万" in target or (unit == "万元" and "元" not in target.replace("万元", "")):
        return values[0]
    if "元" in target or unit == "元":
        return values[0] / 10000
    return None


@rule(
    code="K502",
    name="cost-over-budget",
    severity=Severity.ERROR,
    summary="经济成本合计超过项目资金总额",
    why="成本控制是绩效目标的一部分，成本上限高于资金总额说明其中一方填错。",
    source="财预〔2021〕101号（official）；核对方法为内部规则（unverified）",
    bad="项目：公车管理专项经费 · 资金总额：40.00\n经济成本指标 › 衡阳市公车管理工作成本控制情况 | 57.6万元 | 万元 | ≤",
    good="项目：公车管理专项经费 · 资金总额：40.00\n经济成本指标 › 公车管理专项经费支出 | 40 | 万元 | ≤",
    fix="成本上限与资金总额保持一致，或说明差额来源。",
    scope="project",
    implements=("R-COST-BUDGET-MISMATCH",),
)
def check_cost_over_budget(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    if not project.amount:
        return
    money = [(i, money_in_wan(ind)) for i, ind in enumerate(project.indicators) if _is_cost_row(ind)]
    rows = [(i, v) for i, v in money if v is not None]
    total = sum(v for _, v in rows)
    if rows and total > project.amount * (1 + ctx.lexicon.thresholds.budget_tolerance):
        yield (f"经济成本合计 {total:g} 万元，超过资金总额 {project.amount:g} 万元", rows[0][0])


@rule(
    code="K503",
    name="time-vague",
    severity=Severity.ERROR,
    summary="时效指标不是日期、时长或及时率",
    why="“及时”“按时”“最短时间内”无法判断是否逾期。",
    source="indicator-rules.md §3.5（unverified）",
    bad="时效指标 › 维修时间 | 最短时间内完成",
    good="时效指标 › 报修响应时间 | 24 | 小时 | ≤",
    fix="写完成日期（如2024-12-31）、时长（小时、工作日）或按期完成率。",
    implements=("R-TIME-VAGUE",),
    allows=("以日期开头、写明届时完成什么的句子：“2021年12月底完成项目规划相关工作”（宁夏 2019）",),
    levels=(Level2.TIMELINESS,),
)
def check_time_vague(ind: Indicator, ctx: Context) -> Iterator[str]:
    target = ind.target or ""
    if not target.strip() or is_period(target):
        return  # K504 speaks for periods
    if not is_date(target) and not is_dated_task(target) and not has_number(target):
        yield f"时效指标的指标值{quote(target)}不是日期、时长或比率"


_END_MONTH = re.compile(r"[-—~至到]+\s*(?:20\d{2}\s*[年.\-/])?\s*\d{1,2}\s*(?:月|[.\-/]\d{1,2})")


@rule(
    code="K504",
    name="time-period-not-deadline",
    severity=Severity.WARNING,
    summary="时效指标写的是整个预算期，或截止日期不在预算年度内",
    why="期间不是截止时间，无法判断是否按期；跨年度的日期与本年预算不对应。",
    source="indicator-rules.md §3.5（unverified）",
    bad="时效指标 › 补助资金发放时间 | 全年 | 月 | 定性",
    good="时效指标 › 补贴按月发放及时率 | 100 | % | = · 内容：每月10日前",
    fix="写具体截止日期或按期完成率；日期落在预算年度内。",
    implements=("R-TIME-PERIOD-NOT-DEADLINE",),
    allows=("写明起止月份的期间，其终点即截止时间：“2021年1月-12月”“2021.1.1-12.31”（四川昭化、山西吕梁）",),
    levels=(Level2.TIMELINESS,),
)
def check_time_period(ind: Indicator, ctx: Context) -> Iterator[str]:
    target = ind.target or ""
    if is_period(target) and not _END_MONTH.search(target):
        yield f"时效指标{quote(target)}是一段期间，不是截止时间"
        return
    year = date_year(target)
    if year and ctx.project.year and is_date(target) and year != ctx.project.year:
        yield f"截止日期{quote(target)}不在预算年度 {ctx.project.year} 年内"


@rule(
    code="K505",
    name="satisfaction-not-percent",
    severity=Severity.ERROR,
    summary="满意度指标值是文字（满意、较好水平），或只写了提升幅度",
    why="满意度须是调查得出的比例，并设定达标线。",
    source="indicator-rules.md §3.5（unverified）",
    bad="服务对象满意度指标 › 国有企业满意度 | 满意度达到较好水平",
    good="服务对象满意度指标 › 监管企业满意度 | 90 | % | ≥",
    fix="写成百分比目标（如 ≥90%），内容说明调查对象、样本和计算方法。",
    implements=("R-SAT-NOT-PERCENT",),
    levels=(Level2.SATISFACTION,),
)
def check_satisfaction_not_percent(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not (ind.target or "").strip():
        return
    words = ctx.lexicon.words
    if not has_number(ind.target):
        yield f"满意度指标值{quote(ind.target)}不是百分比"
    elif contains_any(ind.target, words.direction) and not contains_any(ind.target, words.baseline):
        yield f"满意度指标值{quote(ind.target)}只写了变化，没有达标线"


@rule(
    code="K506",
    name="satisfaction-wrong-subject",
    severity=Severity.WARNING,
    summary="满意度的调查对象是上级或出资方，而不是服务对象",
    why="满意度指标针对项目影响的社会公众或服务对象，上级机关不是服务对象。",
    source="财预〔2020〕10号 释义（secondary）",
    bad="服务对象满意度指标 › 省政府 | 满意",
    good="服务对象满意度指标 › 收文单位满意度 | 95 | % | ≥",
    fix="改为项目实际服务的对象（群众、使用单位、参会人员…）。",
    implements=("R-SAT-WRONG-SUBJECT",),
    levels=(Level2.SATISFACTION,),
)
def check_satisfaction_subject(ind: Indicator, ctx: Context) -> Iterator[str]:
    word = contains_any(ind.name, ctx.lexicon.subjects.wrong)
    if word:
        yield f"满意度调查对象是“{word}”，不是服务对象"


@rule(
    code="K507",
    name="satisfaction-target-range",
    severity=Severity.INFO,
    summary="满意度目标为100%或低于合理下限",
    why="100%的满意度不现实，等于宣布必然扣分；过低的目标又失去意义。常见取值为90%–95%。",
    source="indicator-rules.md §6（unverified）",
    bad="服务对象满意度指标 › 满意度 | 100 | % | ≥",
    good="服务对象满意度指标 › 信访群众满意度 | 95 | % | ≥",
    fix="参照以往调查结果设定 80%–98% 之间的目标。",
    levels=(Level2.SATISFACTION,),
)
def check_satisfaction_range(ind: Indicator, ctx: Context) -> Iterator[str]:
    thresholds = ctx.lexicon.thresholds
    percent = "%" in (ind.unit or "") + (ind.target or "") or "％" in (ind.unit or "") + (ind.target or "")
    if ind.target_number is not None and percent:
        if ind.target_number > thresholds.satisfaction_ceiling:
            yield f"满意度目标 {ind.target} 过高（高于 {thresholds.satisfaction_ceiling:g}%）"
        elif ind.target_number < thresholds.satisfaction_floor:
            yield f"满意度目标 {ind.target} 过低（低于 {thresholds.satisfaction_floor:g}%）"
