"""N: the name (三级指标) must be a measurable object of this project."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...models import Indicator
from ...normalize import squash
from ..registry import Context, Severity, rule
from ..text import contains_any, quote


def is_activity(name: str, ctx: Context) -> bool:
    names = ctx.lexicon.names
    text = squash(name)
    if not text:
        return False
    slogan = contains_any(text, ctx.lexicon.words.slogans)
    starts = any(text.startswith(p) for p in names.activity_prefixes)
    ends = any(text.endswith(s) for s in names.activity_suffixes)
    measurable = any(text.endswith(m) for m in names.measurable)
    return bool(slogan) or ((starts or ends) and not measurable)


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
)
def check_name_activity(ind: Indicator, ctx: Context) -> Iterator[str]:
    if squash(ind.name) in ctx.lexicon.names.generic:
        return  # N202 speaks for bare category words
    if is_activity(ind.name, ctx):
        yield f"指标名称{quote(ind.name)}是工作动作或口号，没有可计量的对象"


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
)
def check_name_generic(ind: Indicator, ctx: Context) -> Iterator[str]:
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
)
def check_name_compound(ind: Indicator, ctx: Context) -> Iterator[str]:
    names = ctx.lexicon.names
    if len(ind.name) > names.max_chars:
        yield f"指标名称长达 {len(ind.name)} 字，超过 {names.max_chars} 字"
        return
    parts = [p for p in re.split("[" + "".join(names.compound_separators) + r"\n]", ind.name) if len(p.strip()) >= 2]
    if len(parts) < 2:
        listed = ind.name.split(names.enumeration_separator)
        if len(listed) >= 2 and all(len(p.strip()) >= names.enumeration_min_chars for p in listed):
            parts = listed
    if len(parts) >= 2:
        yield f"指标名称{quote(ind.name)}包含 {len(parts)} 项内容，应拆分"
