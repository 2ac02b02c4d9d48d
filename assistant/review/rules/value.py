"""V: the target value (指标值) must be something a reviewer can verify."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...models import Comparator, Indicator, Level2
from ...normalize import split_value, squash
from ..registry import Context, Severity, rule
from ..text import (
    contains_any,
    contains_any_outside,
    has_number,
    is_date,
    is_period,
    is_placeholder,
    numbers,
    quote,
    without,
    without_dates,
    without_period,
)


def value_missing(ind: Indicator, ctx: Context) -> bool:
    return _value_missing(ind.target, ind.name, ctx.lexicon.words.placeholders)


@lru_cache(maxsize=1 << 14)
def _value_missing(target: str | None, name: str, placeholders: tuple[str, ...]) -> bool:
    """value_missing on the row's text: cached, as several rules ask it of the same cells."""
    return is_placeholder(target, placeholders) or squash(target or "") == squash(name)


def checkable_state(target: str, ctx: Context, name: str = "") -> bool:
    """A value without a number that still states something checkable (无遗失损坏, 良好以上,
    市级保护单位), or the answer to a yes-no name (是否造成影响 | 否)."""
    words = ctx.lexicon.words
    return _checkable_state(target, name, words.checkable_states, words.benchmark_pattern, words.graded_levels)


@lru_cache(maxsize=1 << 14)
def _checkable_state(
    target: str, name: str, states: tuple[str, ...], benchmark_pattern: str, graded_levels: tuple[str, ...]
) -> bool:
    """checkable_state on the lexicon's lists: cached, as the same values recur across projects."""
    if contains_any(target, states) or re.search(benchmark_pattern, target):
        return True
    if "是否" in name and squash(target) in ("是", "否", "有", "无"):
        return True
    if re.fullmatch(r"(国家|省|市|县|区)级[\u4e00-\u9fff]{0,8}", squash(target)):
        return True
    return bool(re.search("(" + "|".join(graded_levels) + ")(及)?以上", target))


def direction_word(text: str | None, ctx: Context) -> str | None:
    words = ctx.lexicon.words
    return contains_any_outside(text, words.direction_exceptions, words.direction)


def is_vague(ind: Indicator, ctx: Context) -> bool:
    """No number, no date and no checkable state: nothing to verify."""
    words = ctx.lexicon.words
    return _is_vague(
        ind.target or "",
        ind.name,
        words.placeholders,
        words.checkable_states,
        words.benchmark_pattern,
        words.graded_levels,
    )


@lru_cache(maxsize=1 << 14)
def _is_vague(
    target: str,
    name: str,
    placeholders: tuple[str, ...],
    states: tuple[str, ...],
    benchmark_pattern: str,
    graded_levels: tuple[str, ...],
) -> bool:
    """is_vague on the row's text and the lexicon's lists: cached, as the same rows recur."""
    if _value_missing(target, name, placeholders) or has_number(target) or is_date(target) or is_period(target):
        return False
    return not _checkable_state(target, name, states, benchmark_pattern, graded_levels)


@rule(
    code="V101",
    name="value-missing",
    severity=Severity.ERROR,
    summary="指标值为空、为占位符或照抄指标名称",
    why="没有指标值就没有目标，评价时无从比对；预算绩效管理系统会直接拒收。",
    source="财预〔2021〕101号 绩效目标定义（official）；省级系统校验（system）",
    bad="监管企业2024年经营收益上缴 | 监管企业2024年经营收益上缴",
    good="足额上缴收益的监管企业数 | 5 | 家 | ≥",
    fix="填写可核验的数值或日期；该二级确不适用时整行写“无”并说明理由。",
    implements=("R-VALUE-MISSING",),
    allows=(
        "某个二级确不适用时写“无”或“本项目不适用此指标”并说明（框架的要求）",
        "★汇总行不写指标值、由下方分项行给出（安徽萧县等地）",
    ),
)
def check_value_missing(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not value_missing(ind, ctx):
        return
    if ctx.index_of(ind) in ctx.parts.headings:
        return  # a ★ heading: its details below carry the values
    if is_placeholder(ind.target, ctx.lexicon.words.placeholders):
        yield f"{quote(ind.name)}没有填写指标值"
    else:
        yield f"指标值{quote(ind.target)}照抄了指标名称，不是目标值"


@rule(
    code="V102",
    name="vague-value",
    severity=Severity.ERROR,
    summary="指标值不可衡量：没有数字、日期或可核验的状态",
    why="指标值须量化或可核验，只有无法量化的才用分级的定性描述；“有效”“规范”“较好水平”无法判断是否达成。",
    source="量化易评原则（secondary）；indicator-rules.md §3.1",
    bad="降低机关运行成本 | 有效 | 万元 | 定性",
    good="公务用车运行费同比下降率 | 3 | % | ≥",
    fix="改为数字（数量、比率、金额）或日期；确需定性的，写明可核验的等级或状态（如“通过验收”）。",
    implements=("R-VAGUE-VALUE",),
)
def check_vague_value(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.level2 is Level2.ECONOMIC_COST:
        return  # K501 speaks for cost rows
    if ind.level2 is Level2.TIMELINESS and not contains_any(ind.target, ctx.lexicon.words.evaluative):
        return  # K503 speaks for vague deadlines
    if contains_any(ind.target, ctx.lexicon.words.scope):
        return  # V105 names the missing base
    if is_vague(ind, ctx):
        yield f"指标值{quote(ind.target)}没有可衡量的数字、日期或状态"


@rule(
    code="V103",
    name="trend-no-baseline",
    severity=Severity.ERROR,
    summary="只有方向没有幅度，或有幅度没有基数",
    why="“提升”“下降”要写明变化多少、相对于哪一年的基数，否则无法判断是否达成。",
    source="历史标准（secondary）；indicator-rules.md §3.1",
    bad="人民群众满意度 | 信访回复满意度提升5%",
    good="信访回复满意度 | 90 | % | ≥ · 内容：2022年实际85%",
    fix="写成目标水平（如“≥90%”），或写明幅度和基数（“较2023年下降3%”）。",
    implements=("R-TREND-NO-BASELINE",),
)
def check_trend(ind: Indicator, ctx: Context) -> Iterator[str]:
    words = ctx.lexicon.words
    target = ind.target or ""
    word = direction_word(target, ctx)
    if not word or value_missing(ind, ctx):
        return
    if not has_number(target):
        yield f"指标值{quote(target)}只有方向“{word}”，没有幅度"
    elif not contains_any(target, words.baseline):
        yield f"指标值{quote(target)}写了变化幅度，但没有说明相对的基数（如“较上年”）"


@rule(
    code="V104",
    name="hedge-word",
    severity=Severity.WARNING,
    summary="指标值或内容含含糊措辞（基本、力争、左右、合理…）",
    why="含糊措辞让达标线可以争辩，评价时各执一词。",
    source="indicator-rules.md §3.1（unverified）",
    bad="保安转辅警人数 | 基本一致，在可控范围内调整",
    good="保安转辅警人数 | 30 | 人 | =",
    fix="删去含糊措辞，写明确定的数值或区间。",
    implements=("R-HEDGE-WORD",),
)
def check_hedge(ind: Indicator, ctx: Context) -> Iterator[str]:
    words = ctx.lexicon.words
    for field, label in ((ind.target, "指标值"), (ind.target_detail, "指标值内容")):
        word = contains_any_outside(field, words.hedge_exceptions, words.hedges)
        if word:
            yield f"{label}{quote(field)}含含糊措辞“{word}”"
            return


@rule(
    code="V105",
    name="scope-no-denominator",
    severity=Severity.WARNING,
    summary="“全部”“所有”“应保尽保”没有数量或比率",
    why="“全部”只有写成对明确基数的比率才能评分。",
    source="indicator-rules.md §3.1（unverified）",
    bad="保民生 | 应保尽保",
    good="符合条件人员补助覆盖率 | 100 | % | =",
    fix="写成覆盖率或完成率（分母写在指标值内容里），或写明数量。",
    implements=("R-SCOPE-NO-DENOMINATOR",),
)
def check_scope(ind: Indicator, ctx: Context) -> Iterator[str]:
    word = contains_any(ind.target, ctx.lexicon.words.scope)
    if word and not has_number(ind.target):
        yield f"指标值{quote(ind.target)}用“{word}”表示范围，但没有数量或比率"


_QUANT_NAME = re.compile(r"时间|日期|数|率|量|金额|成本")
_NOT_QUANT = ("质量", "保量")


@rule(
    code="V106",
    name="qualitative-where-quantitative",
    severity=Severity.WARNING,
    summary="日期、数量、比率或金额类指标标为“定性”",
    why="能量化的应当量化，定性只留给确实无法计量的内容。",
    source="indicator-rules.md §3.1（secondary）",
    bad="公车平台集中管理 | 规范 | 无 | 定性 · 评分：该指标分值为10分，按公车调度出错率扣分，出错率每增加10%，扣1分，扣完为止。",
    good="公车调度差错率 | 1 | % | ≤",
    fix="改为定量：选 ≥/≤/= 并填写数值和单位。",
    implements=("R-QUAL-WHERE-QUANT",),
)
def check_qualitative_where_quantitative(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.comparator is not Comparator.QUALITATIVE:
        return
    name = without(ind.name, _NOT_QUANT)
    by_rule = bool(re.search(r"率", ind.scoring or ""))
    real_unit = squash(ind.unit or "") in ctx.lexicon.units.valid
    if _QUANT_NAME.search(name) or by_rule or real_unit or is_date(ind.target) or is_period(ind.target):
        yield f"{quote(ind.name, 20)}可以量化，却标为“定性”"


_COMPARATOR_WORDS = (
    "以上",
    "以下",
    "不少于",
    "不低于",
    "不超过",
    "不高于",
    "以内",
    "达到",
    "高于",
    "低于",
    "≥",
    "≤",
    ">",
    "<",
    "＞",
    "＜",
    "大于",
    "小于",
    "超过",
)
_UNIT_TAIL = re.compile(r"^(万元|元|%|％|[\u4e00-\u9fff]{1,2}单位|[\u4e00-\u9fff]{1,3})?$")


@rule(
    code="V107",
    name="value-format",
    severity=Severity.WARNING,
    summary="指标值是一句话，或写了几个数，看不出目标是哪一个数",
    why="系统把指标值、单位和类型分列保存；一句话或几个数的指标值无法比较和计分。",
    source="省级系统字段要求（system）",
    bad="年度任务完成情况 | 按计划完成全年工作的95%，力争达到98%",
    good="年度任务完成率 | ≥95% · 内容：完成任务数/计划任务数",
    fix="指标值只写一个目标数（可连同比较符和单位，如“≥95%”“=10个”）；说明写入“指标值内容”。",
    implements=("R-VALUE-FORMAT",),
    allows=(
        "比较符和单位随数值写在指标值里：“≥95%”“>=90%”“=10个”“≤1125万元”“95%及以上”“不低于90%”"
        "（安徽、湖南、四川、陕西、天津等地系统导出的格式）",
        "指标值前的“达到”“实现”“完成”（“达到95%以上”）",
        "日期、期间（“2024年12月31日前”“1-12月”）和区间（“90%-95%”由 S605/K507 判断）",
        "表中没有度量单位一栏时，复述对象、以一个数和单位结尾的指标值：“实施乡镇社区基层医疗机构37个”"
        "“当年在校学生数4953”（四川旺苍、宁夏银川）；有单位栏的表（衡阳）数和单位应分列",
    ),
)
def check_value_format(ind: Indicator, ctx: Context) -> Iterator[str]:
    target = squash(ind.target or "").rstrip("。.；;")
    found = numbers(target)
    if not found or is_date(target) or one_measurement(target):
        return
    if is_period(target) and not numbers(without_period(target)):
        return  # 2021.1.1-12.31: the numbers are the period's
    if one_measurement(_DONE_TAIL.sub("", _DEADLINE_LEAD.sub("", without_dates(target)))):
        return  # 12月底前100%到位: a deadline and one measurement
    if direction_word(target, ctx):
        return  # a change statement: V103 judges it
    if _RANGE.fullmatch(target):
        return
    if len(found) == 1 and _COUNT_TAIL.search(target) and _no_unit_column(ctx):
        return  # 补助村卫生室352个 where the form has no unit column: the value cell is its only place
    if len(found) >= 2:
        yield f"指标值{quote(ind.target)}含多个数字，看不出目标是哪一个"
    else:
        yield f"指标值{quote(ind.target)}是一句话而不是数值"


def _no_unit_column(ctx: Context) -> bool:
    """The form is known (its columns were read) and has no 度量单位 column."""
    return bool(ctx.project.columns) and "unit" not in ctx.project.columns


_LEAD_VERBS = re.compile(r"^(达到|实现|完成|保持|确保|控制在)")
_DEADLINE_LEAD = re.compile(r"^(底|末)?(前|以前|之前)?")
_DONE_TAIL = re.compile(r"(前|以前|之前)?(到位|完成|办结|发放|拨付)$")
_COUNT_TAIL = re.compile(r"\d+(?:\.\d+)?[\u4e00-\u9fff%‰]{0,3}$")
_RANGE = re.compile(r"\d+(?:\.\d+)?%?[-—~至到]\d+(?:\.\d+)?%?[\u4e00-\u9fff%/]{0,3}")


@lru_cache(maxsize=1 << 14)
def one_measurement(target: str) -> bool:
    """A value cell holding one number, with its comparator and unit or not: ≥95%, =10个, 95%以上."""
    return split_value(_LEAD_VERBS.sub("", target)) is not None


_GE_WORDS = ("不少于", "不低于", "以上", "至少", "高于", "超过")
_LE_WORDS = ("不超过", "不高于", "以内", "以下", "不突破", "控制在", "低于")


@rule(
    code="V108",
    name="value-content-conflict",
    severity=Severity.ERROR,
    summary="指标值与指标值内容的数字或方向互相矛盾",
    why="同一行前后矛盾，评价时不知以哪个为准。",
    source="indicator-rules.md §3.1（unverified）",
    bad="项目总成本 | 842.07 | 万元 | ≤ · 内容：发放岗位补贴实际金额不少于500万元",
    good="项目总成本 | 842.07 | 万元 | ≤ · 内容：岗位补贴支出不超过842.07万元",
    fix="让指标值内容复述同一个数字和方向，或改正其中之一。",
    implements=("R-VALUE-CONTENT-CONFLICT",),
)
def check_value_content_conflict(ind: Indicator, ctx: Context) -> Iterator[str]:
    detail = ind.target_detail or ""
    if not detail or ind.target_number is None:
        return
    if ind.comparator in (Comparator.LE, Comparator.LT):
        word = next((w for w in _GE_WORDS if w in without(detail, _LE_WORDS)), None)
        if word:
            yield f"类型为“{ind.comparator.value}”，内容却写“{word}”：{quote(detail)}"
            return
    if ind.comparator in (Comparator.GE, Comparator.GT):
        word = next((w for w in _LE_WORDS if w in without(detail, _GE_WORDS)), None)
        if word:
            yield f"类型为“{ind.comparator.value}”，内容却写“{word}”：{quote(detail)}"
            return
    percents = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*[%％]", detail)]
    if (ind.unit or "") in ("%", "％") and percents and ind.target_number not in percents:
        yield f"指标值为 {ind.target}，内容却写 {percents[0]:g}%：{quote(detail)}"


@rule(
    code="V109",
    name="value-in-wrong-field",
    severity=Severity.WARNING,
    summary="指标值没有数字，数字和单位却写在指标值内容里",
    why="计分只读指标值一栏，写在内容里的数字不参与比对。",
    source="indicator-rules.md §3.1（unverified）",
    bad="节约水电气，降低能耗 | 下降 | % | 定性 · 内容：人均能耗同比下降1%",
    good="人均能耗同比下降率 | 1 | % | ≥",
    fix="把内容里的数字移到指标值，单位写入度量单位。",
    implements=("R-VALUE-IN-WRONG-FIELD",),
)
def check_value_in_wrong_field(ind: Indicator, ctx: Context) -> Iterator[str]:
    if has_number(ind.target) or is_date(ind.target):
        return
    for field, label in ((ind.target_detail, "指标值内容"), (ind.unit, "度量单位")):
        if field and re.search(r"\d+(?:\.\d+)?\s*(%|万元|元|[\u4e00-\u9fff]{1,2})", field) and has_number(field):
            yield f"数字写在了{label}里：{quote(field)}，指标值却是{quote(ind.target or '空')}"
            return


@rule(
    code="V110",
    name="target-too-low",
    severity=Severity.INFO,
    summary="应当足额的发放率/到位率低于100%，或自评实际值远超目标",
    why="明显偏低的目标会在评价时被扣分；实际值超过目标30%以上说明目标定得太低。",
    source="财预〔2020〕10号（unverified）；省级系统130%提示（system）",
    bad="基础养老金发放到位率 | 95 | % | ≥",
    good="基础养老金发放到位率 | 100 | % | =",
    fix="足额类指标定为100%；参照上年实际值设定目标。",
    implements=("R-TARGET-TOO-LOW",),
)
def check_target_too_low(ind: Indicator, ctx: Context) -> Iterator[str]:
    levels = ctx.lexicon.levels
    if contains_any(ind.name, levels.entitlement) and ind.target_number is not None and ind.target_number < 100:
        yield f"{quote(ind.name, 20)}应当足额，目标却只有 {ind.target}"
        return
    if ind.actual and ind.target_number:
        actual = numbers(ind.actual)
        ratio = ctx.lexicon.thresholds.target_too_high_ratio
        if len(actual) == 1 and actual[0] >= ratio * ind.target_number:
            yield f"实际完成值 {ind.actual} 超过目标 {ind.target} 的 {ratio:.0%}，目标定得偏低"
