"""Normalisation of what filings write: level names, comparators, numbers, years.

Real filings spell the fixed framework in variants (可持续发展影响指标, 社会公众或服务对象满意度指标,
"经济效\\n益指标" broken across lines, "产出\\n指标\\n(50分)"); these functions map them to the enums
and leave the as-written text to the caller.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from enum import StrEnum
from functools import lru_cache

from .framework import Comparator, Level1, Level2

_SPACE_RE = re.compile(r"[\s\u3000\u00a0]+")
# Characters XML (and so .xlsx/.docx) cannot hold; they carry no meaning in a filing.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: object) -> str:
    """Trim a cell: outer whitespace (full-width and NBSP too) and control characters go, the
    inner text stays as written."""
    if text is None:
        return ""
    return CONTROL_RE.sub("", str(text)).strip(" \t\r\n\u3000\u00a0")


@functools.cache
def _t2s():
    import opencc  # OpenCC's own binding: phrase-aware traditional → simplified

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def is_traditional(text: str) -> bool:
    """Written in traditional characters: at least 5% of its Chinese characters change under
    OpenCC's t2s (a simplified text changes in almost none)."""
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if han < 4:
        return False
    changed = sum(1 for a, b in zip(text, to_simplified(text)) if a != b)
    return changed >= max(2, 0.05 * han)


@lru_cache(maxsize=1 << 16)
def squash(text: str | None) -> str:
    """Remove all whitespace: for matching labels broken across lines ("经济效\\n益指标").
    Cached, with no wrapper around the cache: a review asks it of the same cells many times."""
    return _SPACE_RE.sub("", text) if text else ""


# Notes written into a level cell: points "(50分)", "(0-20)分", "(必填)", core marks ★ *.
_LABEL_NOTE_RE = re.compile(r"[（(][^（()）]*[)）]分?|[*＊★☆]")


def _label(text: str) -> str:
    return _LABEL_NOTE_RE.sub("", to_simplified(squash(text)))


# What some provinces' systems write before a 三级 name: a row number ("指标1:", "指标2："), seen
# in 安徽, 河北, 山西, 四川, 内蒙古 and 新疆 filings, and core marks ("★", "*") of 安徽 and 湖南 forms.
_ROW_PREFIX_RE = re.compile(r"^\s*(?:指标\s*\d+\s*[:：、.．]?|[*＊★☆]+)\s*")
# A cell's line break inside a word ("贷款付 息及时率").
_CJK_BREAK_RE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# A template's blank left in the name ("受益人口数(≥**人)", 安徽 and 云南 forms): the value cell
# holds the number.
_NAME_BLANK_RE = re.compile(r"\s*[（(]\s*[≥≤＞＜><=]*\s*[*＊]+\s*[^（()）]{0,4}[)）]\s*|[≥≤]\s*[*＊]+\s*\S{0,2}$")


def indicator_label(name: str | None) -> str:
    """A 三级 name without its form's row number, core mark or template blank: "指标1:机柜数量" →
    "机柜数量", "受益人口数(≥**人)" → "受益人口数"; what the row measures, for matching and for a
    new draft (the filing keeps the name as written)."""
    text = name or ""
    while (stripped := _ROW_PREFIX_RE.sub("", text, count=1)) != text:
        text = stripped
    return _NAME_BLANK_RE.sub("", rejoin(text)).strip()


def rejoin(text: str) -> str:
    """Text without the line breaks and spaces a cell or a PDF put inside words ("中央预算内
    投资项目"): Chinese is written without spaces between words."""
    return _CJK_BREAK_RE.sub("", text)


_LEVEL1_ALIASES: dict[str, Level1] = {
    "成本指标": Level1.COST,
    "成本": Level1.COST,
    "产出指标": Level1.OUTPUT,
    "产出": Level1.OUTPUT,
    "效益指标": Level1.EFFECT,
    "效益": Level1.EFFECT,
    "效果指标": Level1.EFFECT,
    "满意度指标": Level1.SATISFACTION,
    "满意度": Level1.SATISFACTION,
    "社会公众或服务对象满意度指标": Level1.SATISFACTION,
    "服务对象满意度指标": Level1.SATISFACTION,
    "项目完成指标": Level1.OUTPUT,
    "项目效益指标": Level1.EFFECT,
}
# A label not in the alias lists is read by the words it holds ("产出数量", "服务对象或受益者满意度
# 指标"): only a cell that reads as a label — ending in 指标 or 值, or of four characters at most —
# since an indicator's own name may hold the same words (产权证管理质量).
_LEVEL1_WORDS: tuple[tuple[str, Level1], ...] = (
    ("满意", Level1.SATISFACTION),
    ("成本", Level1.COST),
    ("产出", Level1.OUTPUT),
    ("效益", Level1.EFFECT),
    ("效果", Level1.EFFECT),
)
_LEVEL2_WORDS: tuple[tuple[str, Level2], ...] = (
    ("经济成本", Level2.ECONOMIC_COST),
    ("社会成本", Level2.SOCIAL_COST),
    ("生态环境成本", Level2.ECOLOGICAL_COST),
    ("生态成本", Level2.ECOLOGICAL_COST),
    ("环境成本", Level2.ECOLOGICAL_COST),
    ("经济效益", Level2.ECONOMIC_BENEFIT),
    ("社会效益", Level2.SOCIAL_BENEFIT),
    ("生态效益", Level2.ECOLOGICAL_BENEFIT),
    ("环境效益", Level2.ECOLOGICAL_BENEFIT),
    ("可持续", Level2.SUSTAINABILITY),
    ("满意", Level2.SATISFACTION),
    ("数量", Level2.QUANTITY),
    ("质量", Level2.QUALITY),
    ("时效", Level2.TIMELINESS),
    ("进度", Level2.TIMELINESS),
    ("成本", Level2.ECONOMIC_COST),  # 产出成本, 成本值: the older forms' 成本 under 产出
)
_MAX_LABEL_CHARS = 14

_LEVEL2_ALIASES: dict[str, Level2] = {
    **{level.value: level for level in Level2},
    "经济成本": Level2.ECONOMIC_COST,
    "成本指标": Level2.ECONOMIC_COST,  # older forms: a 二级 under 产出
    "成本控制": Level2.ECONOMIC_COST,
    "社会成本": Level2.SOCIAL_COST,
    "生态环境成本": Level2.ECOLOGICAL_COST,
    "生态成本": Level2.ECOLOGICAL_COST,
    "生态成本指标": Level2.ECOLOGICAL_COST,
    "数量": Level2.QUANTITY,
    "质量": Level2.QUALITY,
    "时效": Level2.TIMELINESS,
    "经济效益": Level2.ECONOMIC_BENEFIT,
    "社会效益": Level2.SOCIAL_BENEFIT,
    "生态效益": Level2.ECOLOGICAL_BENEFIT,
    "环境效益": Level2.ECOLOGICAL_BENEFIT,
    "环境效益指标": Level2.ECOLOGICAL_BENEFIT,
    "可持续影响": Level2.SUSTAINABILITY,
    "可持续发展影响指标": Level2.SUSTAINABILITY,
    "可持续发展影响": Level2.SUSTAINABILITY,
    "服务对象满意度": Level2.SATISFACTION,
    "社会公众或服务对象满意度指标": Level2.SATISFACTION,
    "社会公众或服务对象满意度": Level2.SATISFACTION,
    "满意度指标": Level2.SATISFACTION,
}


def _by_words(label: str, words: tuple[tuple[str, StrEnum], ...]):
    if not label or len(label) > _MAX_LABEL_CHARS:
        return None
    if not (label.endswith(("指标", "值")) or len(label) <= 4):
        return None
    return next((level for word, level in words if word in label), None)


def level1_of(text: str | None) -> Level1 | None:
    label = _label(text or "")
    return _LEVEL1_ALIASES.get(label) or _by_words(label, _LEVEL1_WORDS)


def level2_of(text: str | None) -> Level2 | None:
    label = _label(text or "")
    if label in _LEVEL2_ALIASES:
        return _LEVEL2_ALIASES[label]
    if label in _LEVEL1_ALIASES and label not in ("满意度指标", "满意度"):
        return None  # a 一级 name where the 二级 goes (舒城's 实施效果指标 → 产出指标)
    return _by_words(label, _LEVEL2_WORDS)


def is_level_label(text: str | None) -> bool:
    return level1_of(text) is not None or level2_of(text) is not None


def level2_tokens(text: str) -> list[Level2]:
    """All 二级 names in a skeleton cell such as "经济成本指标 社会成本指标"."""
    found = []
    for token in _SPACE_RE.split(text or ""):
        level = level2_of(token)
        if level is not None:
            found.append(level)
    return found


_COMPARATORS: dict[str, Comparator] = {
    "=": Comparator.EQ,
    "＝": Comparator.EQ,
    "==": Comparator.EQ,
    "等于": Comparator.EQ,
    "≥": Comparator.GE,
    ">=": Comparator.GE,
    "＞＝": Comparator.GE,
    "≧": Comparator.GE,
    "大于等于": Comparator.GE,
    "≤": Comparator.LE,
    "<=": Comparator.LE,
    "＜＝": Comparator.LE,
    "≦": Comparator.LE,
    "小于等于": Comparator.LE,
    ">": Comparator.GT,
    "＞": Comparator.GT,
    "大于": Comparator.GT,
    "<": Comparator.LT,
    "＜": Comparator.LT,
    "小于": Comparator.LT,
    "定性": Comparator.QUALITATIVE,
    "定量": Comparator.QUANTITATIVE,
}


def comparator_of(text: str | None) -> Comparator | None:
    """指标值类型 → Comparator; 定量（其他） and the like count as 定量."""
    key = squash(text or "")
    if key in _COMPARATORS:
        return _COMPARATORS[key]
    if key.startswith("定量"):
        return Comparator.QUANTITATIVE
    if key.startswith("定性"):
        return Comparator.QUALITATIVE
    return None


_NUMBER_RE = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


def numbers_in(text: str | None) -> list[float]:
    return [float(m.group().replace(",", "")) for m in _NUMBER_RE.finditer(text or "")]


@lru_cache(maxsize=1 << 16)
def parse_number(text: str | None) -> float | None:
    """The number in a cell like "842.07", "4,500.00", "20分", "≥95%"; None if zero or several."""
    found = numbers_in(text)
    return found[0] if len(found) == 1 else None


_WAN_YUAN_RE = re.compile(r"(-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)?")


def parse_amount(text: str | None) -> float | None:
    """资金总额 in 万元, from "133.00", "资金总额：1367.36万元" or "其中：财政拨款：457.5"."""
    match = _WAN_YUAN_RE.search(squash(text or ""))
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    if match.group(2) == "元":
        value = value / 10000
    return value


_YEAR_MARK_RE = re.compile(r"[（(]\s*(20\d{2})\s*年度?\s*[)）]")
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


def detect_year(text: str) -> int | None:
    """The budget year: an explicit "（2022年度）" mark wins, else the year most often written."""
    marked = _YEAR_MARK_RE.search(text)
    if marked:
        return int(marked.group(1))
    counts = Counter(int(y) for y in _YEAR_RE.findall(text))
    if not counts:
        return None
    return counts.most_common(1)[0][0]


_WEIGHT_PATTERNS = (
    re.compile(r"分值为?\s*(\d+(?:\.\d+)?)\s*分"),
    re.compile(r"^\s*(\d+(?:\.\d+)?)\s*分\s*$"),
    re.compile(r"[得计]\s*(\d+(?:\.\d+)?)\s*分"),
)


def weight_from_text(text: str | None) -> float | None:
    """分值 stated in a 备注 ("20分") or a scoring rule ("该指标分值为20分", "不超额得20分")."""
    for pattern in _WEIGHT_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return float(match.group(1))
    return None


# A value cell that carries its comparator and unit, as many provinces' systems export it:
# "≥95%", ">=95%", "=10个", "<=6962人", "≧90%", "95%及以上", "不低于90%", "≤65万元".
_VALUE_RE = re.compile(
    r"^(?P<lead>≥|≤|>=|<=|＞＝|＜＝|≧|≦|=|＝|==|>|<|＞|＜|大于等于|小于等于|不低于|不少于|不高于|不超过|不大于|不小于|大于|小于|等于)?"
    r"\s*(?P<number>-?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>[^\d\s≥≤<>=＜＞＝]{0,6}?)\s*"
    r"(?P<tail>及以上|以上|及以下|以下|以内)?$"
)
_WORD_COMPARATORS = {
    "不低于": Comparator.GE,
    "不少于": Comparator.GE,
    "不小于": Comparator.GE,
    "不高于": Comparator.LE,
    "不超过": Comparator.LE,
    "不大于": Comparator.LE,
    "及以上": Comparator.GE,
    "以上": Comparator.GE,
    "及以下": Comparator.LE,
    "以下": Comparator.LE,
    "以内": Comparator.LE,
}


@lru_cache(maxsize=1 << 16)
def split_value(text: str | None) -> tuple[Comparator | None, float, str] | None:
    """(comparator, number, unit) of a value cell written as one measurement, else None."""
    match = _VALUE_RE.match(squash(text or "").rstrip("。.；;，,"))
    if not match:
        return None
    lead, tail = match.group("lead"), match.group("tail")
    comparator = (comparator_of(lead) or _WORD_COMPARATORS.get(lead or "")) if lead else None
    if comparator is None and tail:
        comparator = _WORD_COMPARATORS[tail]
    return comparator, float(match.group("number").replace(",", "")), match.group("unit")


# a value that says its comparison itself: a leading sign, or the words split_value reads, or 至少
_STATED_COMPARISON_RE = re.compile(r"^(≥|≤|>|<|=|＞|＜|＝|≧|≦)|" + "|".join([*_WORD_COMPARATORS, "至少"]))


def value_text(comparator: str | None, target: str | None, unit: str | None) -> str:
    """指标值 as a reader says it, in one cell (≥ 95 %): the comparator only when it is one (not
    定量 or 定性) and the value does not say it already (不少于2次, ≥90%); the unit only when the
    value does not hold it (95%及以上, ≤90万元)."""
    target = (target or "").strip()
    kind = comparator_of(comparator)
    says = bool(_STATED_COMPARISON_RE.search(squash(target)))
    lead = kind.value if kind and kind not in (Comparator.QUALITATIVE, Comparator.QUANTITATIVE) and not says else ""
    tail = unit if unit and unit not in target and unit not in ("无", "—", "/") else ""
    return " ".join(x for x in (lead, target, tail) if x)
