"""N: the name (三级指标) must be a measurable object of this project."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...models import Indicator, Level2
from ...normalize import split_value, squash
from ..registry import Context, Severity, rule
from ..text import contains_any, is_date, is_dated_task, quote


def is_activity(name: str, ctx: Context) -> bool:
    names = ctx.lexicon.names
    return _is_activity(
        name, ctx.lexicon.words.slogans, names.activity_prefixes, names.activity_suffixes, names.measurable
    )


@lru_cache(maxsize=1 << 14)
def _is_activity(
    name: str,
    slogans: tuple[str, ...],
    prefixes: tuple[str, ...],
    suffixes: tuple[str, ...],
    measurable_ends: tuple[str, ...],
) -> bool:
    """is_activity on the lexicon's lists: cached, as the same names recur across projects."""
    text = squash(name)
    if not text:
        return False
    slogan = contains_any(text, slogans)
    starts = text.startswith(prefixes)
    ends = text.endswith(suffixes)
    measurable = text.endswith(measurable_ends)
    rated = ends and not starts and bool(re.search("率|满意度", text))  # 知晓率显著提升: a rate, worded as a change
    return bool(slogan) or ((starts or ends) and not measurable and not rated)


def counted(ind: Indicator) -> bool:
    """The value is one count with its unit (12500名, ≥70村): it names what is counted even when
    the name is worded as work to be done."""
    split = split_value(ind.target)
    return bool(split and split[2] and split[2] not in ("%", "％"))


@rule(
    code="N201",
    name="name-activity",
    severity=Severity.ERROR,
    summary="指标名称是工作动作或口号，不是可计量的对象",
    why="三级指标应当指明计量或评判的对象（数、率、量、时间、成本、满意度），“加大…力度”无从计量。",
    source="量化易评原则（unverified）；indicator-rules.md §3.2",
    bad="加大国企改革力度 | 推动国企改革 | 程度 | 定性",
    good="深化提升行动方案印发数 | 1 | 个 | =",
    fix="改为“对象+计量”的名词短语，如“…完成率”“…人数”“…完成时间”。",
    implements=("R-NAME-ACTIVITY",),
    allows=("动作式名称配一个带单位的计数：“完成2021年护工培训任务 | 12500名”（山西吕梁）：计的是什么已经清楚",),
)
def check_name_activity(ind: Indicator, ctx: Context) -> Iterator[str]:
    if squash(ind.name) in ctx.lexicon.names.generic:
        return  # N202 speaks for bare category words
    if counted(ind):
        return
    if is_activity(ind.name, ctx):
        yield f"指标名称{quote(ind.name)}是工作动作或口号，没有可计量的对象"


def explained(ind: Indicator) -> bool:
    """A 指标值内容 / 指标解释 that says more than the name: it carries the object."""
    return _explained(ind.target_detail, ind.name)


@lru_cache(maxsize=1 << 14)
def _explained(detail: str | None, name: str) -> bool:
    detail = squash(detail or "")
    return len(detail) >= 8 and squash(name) not in (detail, "") and not detail.startswith(squash(name))


@rule(
    code="N202",
    name="name-generic",
    severity=Severity.WARNING,
    summary="指标名称只是类别词（满意度、成本控制、完成时限…）",
    why="类别词与本项目无关，换到任何项目都成立，无法说明计量的是什么。",
    source="财预〔2015〕88号 相关性（unverified）",
    bad="满意度 | 100 | % | ≥",
    good="信访接访群众满意度 | 95 | % | ≥",
    fix="写明对象：谁的满意度、哪项工作的完成时间、哪笔经费的支出。",
    implements=("R-NAME-GENERIC",),
    allows=(
        "类别词名称由“指标值内容/指标解释”一栏写明对象：“服务对象满意度 · 内容：享受高龄津贴的对象对老龄工作的满意度”（河北成安）",
        "时效指标下的“完成时限”配具体日期：“完成时限 | 2025年10月底前”“完成时限 | 2021年12月底完成项目规划相关工作”"
        "（宁夏同心、宁夏长庆、安徽淮北；衡阳种子标注从严，各省审核从宽）",
    ),
)
def check_name_generic(ind: Indicator, ctx: Context) -> Iterator[str]:
    if explained(ind):
        return
    if ind.level2 is Level2.TIMELINESS and (is_date(ind.target) or is_dated_task(ind.target)):
        return  # 完成时限 | 2025年10月底前: a project has one deadline, the date says which
    if squash(ind.name) in ctx.lexicon.names.generic:
        yield f"指标名称{quote(ind.name)}只是类别词，没有指明本项目的对象"


@rule(
    code="N203",
    name="name-compound",
    severity=Severity.WARNING,
    summary="一个指标名称里塞了几项内容，或超过100字",
    why="一行只计量一件事；系统限定三级指标名称不超过100字。",
    source="省级系统字段要求（system）",
    bad="降低能耗，节约水资源，推动碳达峰碳中和工程… | 持续",
    good="人均水耗同比下降率 | 1 | % | ≥\n人均能耗同比下降率 | 1 | % | ≥",
    fix="拆成几行，每行一个对象和一个数值。",
    implements=("R-NAME-COMPOUND",),
    allows=(
        "用顿号列出一次计数所含的对象：“慰问麻风村休养员、村外康复者 | 32人”（四川昭化）",
        "用顿号列出一个比率所含的对象：“5000吨稻谷、500吨成品粮储备到位率 | 100%”（湖南衡山）",
    ),
)
def check_name_compound(ind: Indicator, ctx: Context) -> Iterator[str]:
    names = ctx.lexicon.names
    if len(ind.name) > names.max_chars:
        yield f"指标名称长达 {len(ind.name)} 字，超过 {names.max_chars} 字"
        return
    parts = _compound_parts(ind.name, names.compound_separators)
    if len(parts) < 2 and not counted(ind):
        listed = tuple(ind.name.split(names.enumeration_separator))
        if (
            len(listed) >= 2
            and all(len(p.strip()) >= names.enumeration_min_chars for p in listed)
            and not _one_rate_over(listed)
        ):
            parts = listed
    if len(parts) >= 2:
        yield f"指标名称{quote(ind.name)}包含 {len(parts)} 项内容，应拆分"


def _one_rate_over(listed: tuple[str, ...]) -> bool:
    """The objects of one rate listed before it: 5000吨稻谷、500吨成品粮储备到位率."""
    return listed[-1].strip().endswith("率") and not any("率" in p for p in listed[:-1])


@lru_cache(maxsize=1 << 14)
def _compound_parts(name: str, separators: tuple[str, ...]) -> tuple[str, ...]:
    """The name split at the lexicon's separators and line breaks, parts of two characters or more."""
    return tuple(p for p in re.split("[" + "".join(separators) + r"\n]", name) if len(p.strip()) >= 2)


@rule(
    code="N204",
    name="name-rate-unnamed",
    severity=Severity.WARNING,
    summary="指标值是百分比，名称却没有说明是什么比率",
    why="“工程质量管理 ≥95%”不知道95%是合格率、验收通过率还是别的什么，评价时无法核实。",
    source="量化易评原则（secondary）",
    bad="质量指标 › 文明施工 | ≥95%",
    good="质量指标 › 文明施工检查合格率 | ≥95%",
    fix="在名称里写明比率的口径：…合格率、…完成率、…覆盖率、…占比。",
    allows=(
        "名称写明了比率（…率、…度、…比例、…占比、…指数）；说明栏写明口径的",
        "安全感、获得感、幸福感：与满意度一样是受访群众的比例：“提升群众安全感 | ≥90%”（安徽黄山）",
        "工作名称配100%：“文保单位抢险维修 | 100%”读作全部完成（山西永济）",
    ),
)
def check_rate_unnamed(ind: Indicator, ctx: Context) -> Iterator[str]:
    target = squash(ind.target or "")
    percent = "%" in target or "％" in target or (ind.unit or "").strip() in ("%", "％")
    bare_hundred = not ind.unit and target == "100"
    if not (percent or bare_hundred) or ind.level2 is Level2.ECONOMIC_COST or explained(ind):
        return
    if percent and ind.target_number == 100:
        return  # 抢险维修 | 100%: the work done in full, a completion rate in all but name
    if _COUNT_TAIL.search(squash(ind.name)):
        return  # a count in % is T406's
    if not _RATE_WORDS.search(ind.name):
        yield f"指标值是{quote(ind.target)}，名称{quote(ind.name, 20)}却没有说明是什么比率"


_COUNT_TAIL = re.compile(r"(人数|人次|户数|个数|次数|数量|场次|件数|家数|台数|套数|面积|长度|里程)$")
# 安全感, 获得感, 幸福感: a share of people asked, as a 满意度 is
_RATE_WORDS = re.compile(r"率|度|比|占|%|％|百分|指数|覆盖|知晓|达标|合格|到位|程度|份额|(安全|获得|幸福|认同|归属)感")
