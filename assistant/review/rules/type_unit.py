"""T: 指标值类型 and 度量单位 agree with the value."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from ...models import Comparator, Indicator, Level2
from ...normalize import split_value, squash
from ..registry import Context, Severity, rule
from ..text import contains_any, has_number, is_date, is_period, quote

_DIRECTIONAL = (Comparator.EQ, Comparator.GE, Comparator.LE, Comparator.GT, Comparator.LT)
_QUANTITATIVE = (*_DIRECTIONAL, Comparator.QUANTITATIVE)


@rule(
    code="T401",
    name="type-symbol",
    severity=Severity.ERROR,
    summary="指标值类型不在 ≥ ＞ ＝ ＜ ≤ 定性 之内（单写“定量”缺方向）",
    why="系统只接受这六种类型；“定量”没有说明是不低于、不高于还是等于，无法计分。",
    source="省级预算绩效系统取值表（system）",
    bad="…专项审计专项工作 | 5 | 家 | 定量",
    good="专项审计覆盖监管企业数 | 5 | 家 | =",
    fix="按指标方向选 ≥、≤ 或 =；无法量化的选“定性”。",
    implements=("R-TYPE-SYMBOL",),
    allows=("类型写“定量”、方向随数值写在指标值里（“定量 | ≥95%”）或另有“指标方向（正向/反向）”一栏",),
)
def check_type_symbol(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not ind.comparator_raw:
        return
    if ind.comparator is Comparator.QUANTITATIVE:
        split = split_value(ind.target)
        if (split and split[0] is not None) or ind.nature:
            return  # 定量 | ≥95%: the direction is in the value cell (or a 指标方向 column)
        yield f"指标值类型写的是{quote(ind.comparator_raw)}，缺少方向（≥、≤ 或 =）"
    elif ind.comparator is None:
        yield f"指标值类型{quote(ind.comparator_raw)}不是 ≥ ＞ ＝ ＜ ≤ 定性 之一"


def _reverse_row(ind: Indicator, ctx: Context) -> bool:
    """Rows where less is better: cost, time, errors, incidents."""
    if ind.level2 is Level2.ECONOMIC_COST:
        return True
    return bool(contains_any(ind.name, ctx.lexicon.levels.reverse_names)) and ind.level2 is not Level2.SATISFACTION


def _positive_row(ind: Indicator, ctx: Context) -> bool:
    """Rows where more is better: satisfaction, people served, coverage, pass rates; and any
    数量指标 that is not a cost, time or incident (an output counted, however it is named:
    宣传美工制作个数, 车辆采购数量 — both typed ≤ and returned on the dev filings)."""
    if ind.level2 is Level2.QUANTITY and not contains_any(ind.name, ctx.lexicon.levels.reverse_names):
        return True
    return ind.level2 is Level2.SATISFACTION or bool(contains_any(ind.name, ctx.lexicon.levels.positive_names))


@rule(
    code="T402",
    name="type-direction",
    severity=Severity.ERROR,
    summary="类型方向与指标性质相反（成本、时间、差错用 ≥；人数、覆盖率、满意度、数量指标的产出用 ≤）",
    why="正向和反向指标计分方式不同，方向写反后达标与否会颠倒。",
    source="省级系统校验（system）",
    bad="享受补贴人数 | 136 | 人 | <",
    good="享受补贴人数 | 136 | 人 | ≥",
    fix="成本、时间、差错、事故类用 ≤（或 =0）；人数、覆盖率、合格率、满意度和数量指标的产出用 ≥。",
    implements=("R-TYPE-DIRECTION",),
    allows=("单价、补助标准用“=”：“补助合作社平均标准 | =23万元/个”（湖南南岳）",),
)
def check_type_direction(ind: Indicator, ctx: Context) -> Iterator[str]:
    comparator = ind.comparator
    if comparator not in _DIRECTIONAL:
        return
    if ind.nature == "正向" and comparator in (Comparator.LE, Comparator.LT):
        yield f"指标性质为“正向”，类型却是“{comparator.value}”"
        return
    if ind.nature == "反向" and comparator in (Comparator.GE, Comparator.GT):
        yield f"指标性质为“反向”，类型却是“{comparator.value}”"
        return
    if _reverse_row(ind, ctx) and not _positive_row(ind, ctx):
        if comparator in (Comparator.GE, Comparator.GT):
            yield f"{quote(ind.name, 20)}越低越好，类型却是“{comparator.value}”"
        elif (
            comparator is Comparator.EQ
            and ind.level2 is Level2.ECONOMIC_COST
            and ind.target_number
            and not _is_rate(ind)
        ):
            yield f"成本上限应用“≤”，不是“=”：{quote(ind.target)}"
    elif _positive_row(ind, ctx) and comparator in (Comparator.LE, Comparator.LT):
        yield f"{quote(ind.name, 20)}越高越好，类型却是“{comparator.value}”"


def _is_rate(ind: Indicator) -> bool:
    """A unit price or standard (23万元/个, 补助标准): "=" states it, it is not a ceiling."""
    return "/" in (ind.unit or "") + (ind.target or "") or "标准" in ind.name


def is_real_unit(unit: str | None, ctx: Context) -> bool:
    return squash(unit or "") in ctx.lexicon.units.valid


@rule(
    code="T403",
    name="type-value-mismatch",
    severity=Severity.ERROR,
    summary="类型与指标值不符：定量类型配文字，定性配数字、日期或计量单位",
    why="只有定性指标可以不写单位；定量类型必须有可比较的数值。",
    source="省级系统校验（system）",
    bad="保质保量完成线索、案件办理工作 | 严格按照规定完成 | % | 定量",
    good="问题线索按期办结率 | 95 | % | ≥",
    fix="定量指标填数值；日期和数量不要标“定性”；定性指标的单位写“无”。",
    implements=("R-TYPE-VALUE-MISMATCH",),
)
def check_type_value_mismatch(ind: Indicator, ctx: Context) -> Iterator[str]:
    target = ind.target or ""
    if not squash(target):
        return
    if squash(target) == squash(ind.name):
        return  # V101: the value is missing altogether
    if ind.comparator in _QUANTITATIVE and not has_number(target) and not is_date(target) and not is_period(target):
        yield f"类型为“{ind.comparator.value}”，指标值{quote(target)}却没有数值"
    elif ind.comparator is Comparator.QUALITATIVE:
        if is_date(target) or re.fullmatch(r"[\d.,]+%?", squash(target)):
            yield f"指标值{quote(target)}是数值或日期，类型却是“定性”"
        elif is_real_unit(ind.unit, ctx):
            yield f"定性指标却写了计量单位“{ind.unit}”"


@rule(
    code="T404",
    name="unit-invalid",
    severity=Severity.ERROR,
    summary="度量单位缺失，或是“程度”“时间”一类伪单位、一句话",
    why="除定性指标外都须有计量单位；伪单位（程度、时间）和整句话无法用于比较。",
    source="省级系统单位表（system）",
    bad="基础养老金发放时间 | 每月按时发放 | 每月按时发放 | 定性",
    good="基础养老金每月发放截止日 | 15 | 日 | ≤",
    fix="写计量单位：人、家、个、项、次、万元、元、%、天、工作日、日期…；定性指标写“无”。",
    implements=("R-UNIT-INVALID",),
    allows=(
        "单位表外的量词和计量单位：村、只、头、株、名、条、倍、万平方米、公顷…（各地的单位表不同）",
        "复合单位：元/亩、次/月、元/人·月、万元/个",
        "单位随数值写在指标值里而单位栏空着：“≥70村”“=100%”",
        "“百分比”作单位（“≥98百分比”，天津法院系统导出的格式），同 %",
        "单位栏空着的计数，名称已说明数的是什么：“办结案件数量 | 70”（内蒙古扎赉特旗）",
    ),
)
def check_unit_invalid(ind: Indicator, ctx: Context) -> Iterator[str]:
    units = ctx.lexicon.units
    unit = plain_unit(ind.unit)
    if ind.unit is None and ind.comparator_raw is None:
        return  # a layout without a unit column (2020 申报表, 自评表)
    if unit in units.pseudo:
        yield f"度量单位“{ind.unit}”不是计量单位"
    elif unit == "年" and is_date(ind.target) and not re.fullmatch(r"\d+", squash(ind.target or "")):
        yield f"指标值是日期{quote(ind.target)}，单位却写“年”"
    elif unit in units.none:
        if ind.comparator in _QUANTITATIVE and not _unit_in_value(ind.target) and not _COUNT_NAME.search(ind.name):
            yield "定量指标没有填写度量单位"
    elif not is_unit_like(unit, units.valid):
        yield f"度量单位{quote(ind.unit)}不是计量单位"


# a count whose name says what is counted: the unit (件, 辆, 人) goes without saying
_COUNT_NAME = re.compile(r"(数量|个数|件数|次数|人数|户数|人次)\s*$")


@lru_cache(maxsize=1 << 14)
def plain_unit(unit: str | None) -> str:
    """The unit without its gloss, as a symbol where it has one: "%(百分比)" and "百分比" are "%"."""
    unit = _GLOSS.sub("", squash(unit or "")) or squash(unit or "")
    return "%" if unit in _PERCENT_WORDS else unit


_GLOSS = re.compile(r"[（(][^）)]*[）)]")
_PERCENT_WORDS = ("百分比",)  # 天津's budget system writes "≥98百分比"
_UNIT_PART = re.compile(r"[\u4e00-\u9fffA-Za-z%％‰²³㎡·]{1,5}")


def is_unit_like(unit: str, known: Sequence[str]) -> bool:
    """A unit from the table, or one that reads as one: a short measure word or metric unit, or
    a rate of two (元/亩, 次/月). A phrase or a sentence is not."""
    if unit in known:
        return True
    parts = re.split(r"[/／]", unit)
    return len(parts) <= 2 and all(_UNIT_PART.fullmatch(p) and not _VERB.search(p) for p in parts)


_VERB = re.compile(r"[按完发开保做提达实确每及程情况率度]")  # what a phrase has and a unit has not


def _unit_in_value(target: str | None) -> bool:
    split = split_value(target)
    return bool(split and split[2])


def _same_unit(written: str, declared: str) -> bool:
    """元 and 元整, 月 and 个月, ㎡ and 平方米 are one unit; 元 and 万元 are not."""

    def plain(unit: str) -> str:
        unit = squash(unit).removeprefix("个").removesuffix("整")
        return _SYNONYMS.get(unit, unit)

    a, b = plain(written), plain(declared)
    return a == b or a.split("/")[0] == b or b.split("/")[0] == a


_SYNONYMS = {
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "km": "公里",
    "t": "吨",
    "％": "%",
    "人民币": "元",
    **dict.fromkeys(_PERCENT_WORDS, "%"),
}


@rule(
    code="T405",
    name="unit-scale",
    severity=Severity.ERROR,
    summary="指标值自带的单位与度量单位不同（元与万元、人与%）",
    why="元与万元相差一万倍，单位不一致时比较结果完全错误。",
    source="indicator-rules.md §3.4（unverified）",
    bad="成本控制 | 国有资产监管经费不超过850000元 | 万元 | 定量 · 内容：国有资产监管经费不超过85万元",
    good="国有资产监管经费支出 | 85 | 万元 | ≤",
    fix="指标值只写数字，并与度量单位保持同一量纲。",
    implements=("R-UNIT-SCALE",),
    allows=("同一单位的不同写法：“1个月”配“月”、“300㎡”配“平方米”、“1次/月”配“次”",),
)
def check_unit_scale(ind: Indicator, ctx: Context) -> Iterator[str]:
    unit = plain_unit(ind.unit)
    if not unit or unit in ctx.lexicon.units.none:
        return
    target = squash(ind.target or "")
    split = split_value(target)
    if split is not None:
        written = split[2]
        if written and not _same_unit(written, unit):
            yield f"指标值写的是“{target}”，度量单位却是“{ind.unit}”"
        return
    for match in _MONEY_IN_TEXT.finditer(target):
        if unit in ("万元", "元", "亿元") and match.group(1) != unit:
            yield f"指标值写的是“{match.group(0)}”，度量单位却是“{ind.unit}”"
            return


_MONEY_IN_TEXT = re.compile(r"\d+(?:\.\d+)?\s*(亿元|万元|元)")


_COUNT_NAME = re.compile(r"(人数|人次|户数|个数|次数|数量|场次|件数|家数|台数|套数|面积|长度|里程)$")
_RATE_NAME = re.compile(r"(率|比例|占比|满意度)$")
_COUNT_UNITS = ("人", "人次", "户", "个", "次", "家", "台", "套", "件", "场", "项", "所", "座", "辆")


@rule(
    code="T406",
    name="unit-name-mismatch",
    severity=Severity.ERROR,
    summary="名称是数量却以%计，或名称是比率却以人、个计",
    why="数量以%计、比率以个计，无法判断目标是多少，评价时也无法核对。",
    source="省级系统校验（system）",
    bad="质量指标 › 培训人数 | 95 | % | ≥",
    good="质量指标 › 培训考核合格率 | 95 | % | ≥",
    fix="数量指标写计量单位（人、个、次…）；比率写“%”，并在名称中写明口径。",
)
def check_unit_name_mismatch(ind: Indicator, ctx: Context) -> Iterator[str]:
    unit = plain_unit(ind.unit) or (split_value(ind.target) or (None, 0, ""))[2]
    name = squash(ind.name)
    if unit in ("%", "％") and _COUNT_NAME.search(name):
        yield f"{quote(ind.name, 20)}是数量，单位却是“%”"
    elif unit in _COUNT_UNITS and _RATE_NAME.search(name):
        yield f"{quote(ind.name, 20)}是比率，单位却是“{unit}”"
