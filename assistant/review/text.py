"""Small text tests the rules share: numbers beside years, dates, words from a lexicon list."""

from __future__ import annotations

import re
from functools import lru_cache

from ..normalize import squash

_YEAR_RE = re.compile(r"20\d{2}\s*年度?")
_DATE_RE = re.compile(
    r"^(20\d{2}\s*[年\-/.]\s*)?(\d{1,2}\s*[月\-/.]\s*)?(\d{1,2}\s*日?)?\s*(底|末|年底|年末|底前|前|以前|之前|月底|月底前)?"
    r"(前|以前|之前)?(完成)?[。.]?$"
)
_DATE_WORD_RE = re.compile(
    r"20\d{2}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?|20\d{2}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|年底|年末|月底"
)
_NUMBER_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_STUTTER_RE = re.compile(r"([\u4e00-\u9fff]{2,4})\1")


@lru_cache(maxsize=1 << 16)
def contains_any(text: str | None, words: tuple[str, ...]) -> str | None:
    """The first word of `words` found in `text`, or None. Cached on the text and the word list
    (a tuple, as the lexicon holds them): rules ask it of the same cells again and again."""
    if not text:
        return None
    return next((w for w in words if w and w in text), None)


@lru_cache(maxsize=1 << 14)
def without(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, "")
    return text


@lru_cache(maxsize=1 << 16)
def contains_any_outside(text: str | None, exceptions: tuple[str, ...], words: tuple[str, ...]) -> str | None:
    """contains_any once the exception phrases are taken out ("下降" but not in "不下降"): one
    cache lookup for what rules ask of every row."""
    return contains_any(without(text or "", exceptions), words)


@lru_cache(maxsize=1 << 16)
def without_dates(text: str | None) -> str:
    """Text with its years and dates removed, so "2024年底前" has no number left."""
    return _DATE_WORD_RE.sub("", _YEAR_RE.sub("", text or ""))


@lru_cache(maxsize=1 << 16)
def has_number(text: str | None) -> bool:
    """A number other than a year or a date part."""
    return bool(_NUMBER_RE.search(without_dates(text)))


def numbers(text: str | None) -> list[float]:
    return list(_numbers(text))


@lru_cache(maxsize=1 << 16)
def _numbers(text: str | None) -> tuple[float, ...]:
    return tuple(float(m.group().replace(",", "")) for m in _NUMBER_RE.finditer(without_dates(text)))


_DATE_LEAD_RE = re.compile(r"^(完成时间为|完成时间|完成时限为|截至|截止|于|在|每年)")


@lru_cache(maxsize=1 << 16)
def is_date(text: str | None) -> bool:
    """A deadline written as a date: 2024年12月31日, 2024-12-31, 2024年底前, 12月底前, and the
    same after 完成时间为 / 每年."""
    value = _DATE_LEAD_RE.sub("", squash(text or ""))
    return (
        bool(value)
        and bool(_DATE_WORD_RE.search(value) or re.search(r"\d{4}-\d", value))
        and bool(_DATE_RE.match(value))
    )


_DATED_TASK_RE = re.compile(
    r"^(完成时间为|完成时限为|于|在)?(20\d{2}\s*年\s*)?(\d{1,2}\s*月\s*(\d{1,2}\s*日)?|底|末|年底|年末)\s*(底|末|中旬|下旬)?"
    r"\s*(前|以前|之前)?\s*[，,]?\s*(全面)?(完成|建成|发放|兑付|拨付|验收|实施|开展|达到|实现)"
)


@lru_cache(maxsize=1 << 16)
def is_dated_task(text: str | None) -> bool:
    """A deadline that opens a sentence saying what is done by then: "2021年12月底完成项目规划
    相关工作" (宁夏). Not a bare date (`is_date`): a 定性 row may hold it."""
    return bool(_DATED_TASK_RE.match(squash(text or "")))


_PERIOD_RE = re.compile(
    r"\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月"  # 1-12月
    r"|\d{1,2}\s*月\s*(?:份)?\s*(?:[-—~]+|至|到)\s*(?:20\d{2}\s*年)?\s*\d{1,2}\s*月"  # 1月-12月, 1月--2020年12月
    r"|20\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}\s*[-—~至到]+\s*(?:20\d{2}[.\-/])?\d{1,2}[.\-/]\d{1,2}"  # 2021.1.1-12.31
    r"|\d{1,2}\s*月\s*至|全年"
)


@lru_cache(maxsize=1 << 16)
def is_period(text: str | None) -> bool:
    """A span such as "2024年1-12月", "2022年1月至2022年12月" or "2021.1.1-12.31", which is not
    a deadline."""
    return bool(_PERIOD_RE.search(text or ""))


def without_period(text: str | None) -> str:
    return _PERIOD_RE.sub("", text or "")


def date_year(text: str | None) -> int | None:
    match = re.search(r"(20\d{2})", text or "")
    return int(match.group(1)) if match else None


@lru_cache(maxsize=1 << 16)
def is_placeholder(text: str | None, placeholders: tuple[str, ...]) -> bool:
    value = squash(text or "")
    return not value or value in placeholders


@lru_cache(maxsize=1 << 16)
def stutter(text: str | None) -> str | None:
    """A phrase written twice in a row ("按时按时"), a copy-and-paste slip reviewers notice."""
    match = _STUTTER_RE.search(text or "")
    return match.group(0) if match else None


def unstutter(text: str) -> str:
    """The text with each phrase `stutter` finds said once ("活动活动参与" → "活动参与")."""
    return _STUTTER_RE.sub(r"\1", text)


_NOT_LETTER_RE = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]")


def bigrams(text: str | None) -> set[str]:
    value = _NOT_LETTER_RE.sub("", text or "")
    return {value[i : i + 2] for i in range(len(value) - 1)} or ({value} if value else set())


def shares_bigram(short: str | None, long: str | None) -> bool:
    """`bigrams(short) & bigrams(long)`, without building the long text's set: a bigram of
    `short` is one of `long`'s exactly when it occurs in `long`'s letters."""
    mine = bigrams(short)
    letters = _NOT_LETTER_RE.sub("", long or "")
    if len(letters) < 2:
        return letters in mine  # bigrams(long) is {letters}, or empty
    return any(len(pair) == 2 and pair in letters for pair in mine)


def similarity(a: str | None, b: str | None) -> float:
    """Jaccard overlap of character bigrams: enough to match a project or row across years."""
    left, right = bigrams(a), bigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


@lru_cache(maxsize=1 << 16)
def quote(text: str | None, limit: int = 30) -> str:
    """The offending text as a reviewer quotes it: “…”, shortened when long."""
    text = (text or "").replace("\n", " ").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"
