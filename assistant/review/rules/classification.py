"""C: each row under the 二级 that matches what it measures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...models import Indicator, Level1, Level2
from ...normalize import squash
from ..registry import Context, Severity, rule
from ..text import contains_any, has_number, is_date, quote
from .type_unit import plain_unit

_MONEY_UNITS = ("万元", "元")


# 万 alone is money only at the end of the amount ("≤15万"), not before a counted thing (550万粒)
_MONEY_RE = re.compile(r"\d+(?:\.\d+)?\s*(万元|元|万(?![\u4e00-\u9fff]))")
_COST_RATIO = re.compile(r"(成本|预算|费用|支出)(控制|节约)率")  # actual cost over budget: a cost measure


def is_money(ind: Indicator) -> bool:
    return (ind.unit or "") in _MONEY_UNITS or bool(_MONEY_RE.search(ind.target or ""))


@rule(
    code="C301",
    name="misclassified-cost",
    severity=Severity.ERROR,
    summary="社会/生态环境成本填了金额，或经济成本不是金额",
    why="社会成本、生态环境成本是非货币的代价（投诉、事故、排放）；预算金额属于经济成本。",
    source="财预〔2021〕101号 成本指标定义（unverified）",
    bad="社会成本指标 › 社会成本控制在预算内 | 维稳工作经费9万元 | 万元 | ≤",
    good="经济成本指标 › 维稳工作经费支出 | 9 | 万元 | ≤\n社会成本指标 › 维稳处置引发投诉 | 0 | 件 | =",
    fix="把金额移到经济成本指标；社会/生态环境成本写非货币的代价，或写“无”并说明理由。",
    implements=("R-MISCLASS-COST",),
    allows=(
        "经济成本写成本控制率（实际支出/预算）的百分比：“建设项目成本控制率 | 100%”“成本控制率 | ≤100%”"
        "（湖北武汉 2020、河北廊坊 2019 的表式）",
    ),
)
def check_misclassified_cost(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.level2 in (Level2.SOCIAL_COST, Level2.ECOLOGICAL_COST) and is_money(ind):
        yield f"{ind.level2.value}填了金额：{quote(ind.target)}，金额应归经济成本指标"
    elif (
        ind.level2 is Level2.ECONOMIC_COST
        and has_number(ind.target)
        and ind.unit
        and not is_money(ind)
        and "元" not in (ind.unit or "")
        and not (_COST_RATIO.search(ind.name) and plain_unit(ind.unit) == "%")
    ):
        yield f"经济成本指标的单位是“{ind.unit}”，不是金额"


@rule(
    code="C302",
    name="misclassified-effect",
    severity=Severity.WARNING,
    summary="效益或产出指标里放了预算执行率、资金到位率等执行情况",
    why="预算执行率在自评中单独计分（10分），不是项目产生的效益。",
    source="财预〔2020〕10号 自评表（secondary）；seed 004",
    bad="经济效益指标 › 城乡居民养老保险预算执行率 | 90 | 百分比 | ≥",
    good="经济效益指标 › 参保居民月人均基础养老金 | 123 | 元 | ≥",
    fix="删去执行类指标，写项目产出带来的效益。",
    implements=("R-MISCLASS-EFFECT",),
)
def check_misclassified_effect(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.level1 is Level1.OUTPUT:
        word = contains_any(ind.name, ctx.lexicon.levels.budget_execution)
        if word:
            yield f"{quote(ind.name, 20)}是预算执行情况（{word}），不是产出"
        return
    if ind.level1 is not Level1.EFFECT:
        return
    word = contains_any(ind.name, ctx.lexicon.levels.execution)
    if word:
        yield f"{quote(ind.name, 20)}是执行情况（{word}），不是效益"
        return
    if delivers_output(ind.target or "", ctx):
        yield f"效益指标的指标值{quote(ind.target)}写的是要完成的产出，不是效益"
        return
    rate = next((r for r in ctx.lexicon.levels.output_rates if squash(ind.name).endswith(r)), None)
    if rate:
        yield f"{quote(ind.name, 20)}是产出的完成情况（{rate}），应列在产出指标下，不是效益"


def delivers_output(value: str, ctx: Context) -> bool:
    """ "完成招商工作", "按时按质完成…审计", "100%完成…项目": the value is work to be done
    (but "完成率提高5个百分点" is a measure)."""
    return _delivers_output(value, ctx.lexicon.levels.output_leads, ctx.lexicon.levels.output_verbs)


@lru_cache(maxsize=1 << 14)
def _delivers_output(value: str, leads: tuple[str, ...], verbs: tuple[str, ...]) -> bool:
    """delivers_output on the lexicon's lists: cached, as the same values recur across projects."""
    text = re.sub(r"^[\d.]+[%％]?", "", squash(value))
    while lead := next((w for w in leads if text.startswith(w)), None):
        text = text[len(lead) :]
    return any(text.startswith(v) and not text[len(v) :].startswith("率") for v in verbs)


@rule(
    code="C303",
    name="satisfaction-as-effect",
    severity=Severity.WARNING,
    summary="效益指标写的是满意度",
    why="把满意度当作效益是评价中常见的问题：满意度不能替代项目带来的实际变化。",
    source="indicator-rules.md §3.3（secondary）",
    bad="社会效益指标 › 群众满意度 | 90 | % | ≥",
    good=("社会效益指标 › 机关大院安全事故 | 0 | 起 | =\n服务对象满意度指标 › 政府工作人员满意度 | 90 | % | ≥"),
    fix="效益指标写项目带来的变化；满意度放在满意度指标里。",
    implements=("R-SAT-AS-EFFECT",),
    allows=("项目没有效益指标时的满意度行：缺效益指标是 P702 的事，不是满意度行的错",),
)
def check_satisfaction_as_effect(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.level1 is Level1.EFFECT and "满意" in ind.name:
        yield f"效益指标{quote(ind.name)}其实是满意度"


@rule(
    code="C304",
    name="input-as-output",
    severity=Severity.WARNING,
    summary="数量/质量指标填的是本项目的支出或收入金额",
    why="绩效目标是产出和效果，不是投入；花了多少钱属于成本指标。",
    source="财预〔2021〕101号（official）；indicator-rules.md §3.3",
    bad="数量指标 › 社会保险征缴收入 | 4900 | 万元 | ≥",
    good="数量指标 › 按月领取基础养老金人数 | 1200 | 人 | ≥",
    fix="数量指标写服务或产出的数量；金额放进经济成本指标。",
    implements=("R-INPUT-AS-OUTPUT",),
    levels=(Level2.QUANTITY, Level2.QUALITY),
)
def check_input_as_output(ind: Indicator, ctx: Context) -> Iterator[str]:
    if is_money(ind) or ind.name.endswith("金额"):
        word = contains_any(ind.name + (ind.target or ""), ctx.lexicon.levels.spending)
        if word:
            yield f"{ind.level2.value if ind.level2 else ''}{quote(ind.name)}是资金（{word}），不是产出"


@rule(
    code="C305",
    name="deadline-outside-timeliness",
    severity=Severity.WARNING,
    summary="完成时间、期限类指标没有放在时效指标下",
    why="时效指标专门计量完成时间；日期放在质量或效益下会与时效重复或缺位。",
    source="indicator-rules.md §6",
    bad="质量指标 › 完成时限 | 2024年底前",
    good="时效指标 › 财务决算审计完成时间 | 2024-10-31 | 日期 | ≤",
    fix="把日期类指标移到时效指标下。",
)
def check_deadline_outside_timeliness(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.level2 in (None, Level2.TIMELINESS):
        return
    named = contains_any(ind.name, ctx.lexicon.levels.time_names)
    if named and is_date(ind.target):
        yield f"{quote(ind.name, 20)}是完成时间，却放在{ind.level2.value}下"
