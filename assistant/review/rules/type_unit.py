"""T: 指标值类型 and 度量单位 agree with the value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...models import Comparator, Indicator, Level2
from ...normalize import squash
from ..registry import Context, Severity, rule
from ..text import contains_any, has_number, is_date, quote

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
)
def check_type_symbol(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not ind.comparator_raw:
        return
    if ind.comparator is Comparator.QUANTITATIVE:
        yield f"指标值类型写的是{quote(ind.comparator_raw)}，缺少方向（≥、≤ 或 =）"
    elif ind.comparator is None:
        yield f"指标值类型{quote(ind.comparator_raw)}不是 ≥ ＞ ＝ ＜ ≤ 定性 之一"


def _reverse_row(ind: Indicator, ctx: Context) -> bool:
    """Rows where less is better: cost, time, errors, incidents."""
    if ind.level2 is Level2.ECONOMIC_COST:
        return True
    return bool(contains_any(ind.name, ctx.lexicon.levels.reverse_names)) and ind.level2 is not Level2.SATISFACTION


def _positive_row(ind: Indicator, ctx: Context) -> bool:
    return ind.level2 is Level2.SATISFACTION or bool(contains_any(ind.name, ctx.lexicon.levels.positive_names))


@rule(
    code="T402",
    name="type-direction",
    severity=Severity.ERROR,
    summary="类型方向与指标性质相反（成本、时间、差错用 ≥；人数、覆盖率、满意度用 ≤）",
    why="正向和反向指标计分方式不同，方向写反后达标与否会颠倒。",
    source="省级系统校验（system）",
    bad="享受补贴人数 | 136 | 人 | <",
    good="享受补贴人数 | 136 | 人 | ≥",
    fix="成本、时间、差错、事故类用 ≤（或 =0）；人数、覆盖率、合格率、满意度用 ≥。",
    implements=("R-TYPE-DIRECTION",),
)
def check_type_direction(ind: Indicator, ctx: Context) -> Iterator[str]:
    comparator = ind.comparator
    if comparator not in _DIRECTIONAL:
        return
    if _reverse_row(ind, ctx) and not _positive_row(ind, ctx):
        if comparator in (Comparator.GE, Comparator.GT):
            yield f"{quote(ind.name, 20)}越低越好，类型却是“{comparator.value}”"
        elif comparator is Comparator.EQ and ind.level2 is Level2.ECONOMIC_COST and ind.target_number:
            yield f"成本上限应用“≤”，不是“=”：{quote(ind.target)}"
    elif _positive_row(ind, ctx) and comparator in (Comparator.LE, Comparator.LT):
        yield f"{quote(ind.name, 20)}越高越好，类型却是“{comparator.value}”"


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
    if ind.comparator in _QUANTITATIVE and not has_number(target) and not is_date(target):
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
    summary="度量单位缺失、不在单位表内，或是“程度”“时间”一类伪单位",
    why="除定性指标外都须有计量单位；伪单位（程度、时间）和整句话无法用于比较。",
    source="省级系统单位表（system）",
    bad="基础养老金发放时间 | 每月按时发放 | 每月按时发放 | 定性",
    good="基础养老金每月发放截止日 | 15 | 日 | ≤",
    fix="从单位表中选：人、家、个、项、次、万元、元、%、天、工作日、日期…；定性指标写“无”。",
    implements=("R-UNIT-INVALID",),
)
def check_unit_invalid(ind: Indicator, ctx: Context) -> Iterator[str]:
    units = ctx.lexicon.units
    unit = squash(ind.unit or "")
    if ind.unit is None and ind.comparator_raw is None:
        return  # a layout without a unit column (2020 申报表, 自评表)
    if unit in units.pseudo:
        yield f"度量单位“{ind.unit}”不是计量单位"
    elif unit == "年" and is_date(ind.target) and not re.fullmatch(r"\d+", squash(ind.target or "")):
        yield f"指标值是日期{quote(ind.target)}，单位却写“年”"
    elif unit in units.none:
        if ind.comparator in _QUANTITATIVE:
            yield "定量指标没有填写度量单位"
    elif unit not in units.valid:
        yield f"度量单位{quote(ind.unit)}不在单位表内"


_VALUE_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(万元|元|个|家|人|台|套|件|次|项|户)")


@rule(
    code="T405",
    name="unit-scale",
    severity=Severity.ERROR,
    summary="指标值自带的单位与度量单位不同（元与万元、个与家）",
    why="元与万元相差一万倍，单位不一致时比较结果完全错误。",
    source="indicator-rules.md §3.4（unverified）",
    bad="成本控制 | 国有资产监管经费不超过850000元 | 万元 | 定量 · 内容：国有资产监管经费不超过85万元",
    good="国有资产监管经费支出 | 85 | 万元 | ≤",
    fix="指标值只写数字，并与度量单位保持同一量纲。",
    implements=("R-UNIT-SCALE",),
)
def check_unit_scale(ind: Indicator, ctx: Context) -> Iterator[str]:
    unit = squash(ind.unit or "")
    if not unit:
        return
    for match in _VALUE_UNIT.finditer(squash(ind.target or "")):
        written = match.group(1)
        if written != unit and not (written == "元" and unit.startswith("元")):
            yield f"指标值写的是“{match.group(0)}”，度量单位却是“{ind.unit}”"
            return
