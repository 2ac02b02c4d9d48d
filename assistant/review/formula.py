"""评（扣）分标准 → a small formula that computes points from an actual value.

A scoring rule is operational when it parses: its points are stated, every branch gives a number
and someone else applying it to the same actual value gets the same score. The forms follow
indicator-rules.md §5 (T1–T13); anything discretionary (视情况, 酌情, 按完成情况予以扣分…) is
refused with the reason, so the review can say why.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from ..models import Comparator

Kind = Literal[
    "ratio",  # T1: A≥T → P, else P×A/T
    "reverse_ratio",  # T2
    "per_unit_short",  # T4/T5: P − k×(T−A)/step
    "per_unit_over",  # a rate that must stay low: P − k×(A−T)/step
    "overspend_money",  # T6: P − k×⌈(A−T)/step⌉, step in 万元
    "overspend_percent",  # T7: P − k×⌈(A−T)/T ÷ step%⌉
    "threshold_linear",  # T8: c=A/T; c<floor → 0, else P×(c−floor)/(1−floor)
    "tiers",  # T9
    "lateness",  # T10: P − k per step late
    "all_or_nothing",  # T12
    "per_incident",  # T13: P − k×incidents
]


class Tier(BaseModel):
    lower: float | None  # None: no lower bound
    upper: float | None
    lower_inclusive: bool = True
    upper_inclusive: bool = False
    points: float

    def contains(self, value: float) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.lower_inclusive)):
            return False
        return not (
            self.upper is not None and (value > self.upper or (value == self.upper and not self.upper_inclusive))
        )


class Formula(BaseModel):
    kind: Kind
    points: float | None = None  # P as the rule states it (None: taken from 分值)
    step: float = 1.0
    deduction: float = 0.0
    floor: float = 0.0  # threshold_linear, as a fraction
    multiplier: float | None = None  # threshold_linear: the factor written in the formula
    tiers: list[Tier] = []
    stated_maxima: list[float] = []  # every "N分" the text gives as a maximum

    def score(self, actual: float, target: float | None, points: float | None = None) -> float:
        """Points for an actual value; floor at 0 ("扣完为止" is assumed)."""
        p = self.points if self.points is not None else points
        if p is None:
            raise ValueError("scoring rule states no points")
        if self.kind == "tiers":
            return next((tier.points for tier in self.tiers if tier.contains(actual)), 0.0)
        if self.kind == "lateness":  # the actual is days (or steps) late; no target involved
            return max(0.0, p - self.deduction * math.ceil(max(0.0, actual) / self.step - 1e-9))
        if self.kind == "per_incident":
            return max(0.0, p - self.deduction * actual)
        if target is None:
            raise ValueError("a target value is needed")
        return self._against_target(actual, target, p)

    def _against_target(self, actual: float, t: float, p: float) -> float:
        if self.kind == "ratio":
            return p if actual >= t else max(0.0, p * actual / t) if t else 0.0
        if self.kind == "reverse_ratio":
            if actual <= t:
                return p
            return max(0.0, p * (1 - (actual - t) / t)) if t else 0.0
        if self.kind == "per_unit_short":
            short = max(0.0, t - actual)
            return max(0.0, p - self.deduction * math.ceil(short / self.step - 1e-9))
        if self.kind == "per_unit_over":
            over = max(0.0, actual - t)
            return max(0.0, p - self.deduction * math.ceil(over / self.step - 1e-9))
        if self.kind == "overspend_money":
            over = max(0.0, actual - t)
            return max(0.0, p - self.deduction * math.ceil(over / self.step - 1e-9))
        if self.kind == "overspend_percent":
            over = max(0.0, (actual - t) / t * 100) if t else 0.0
            return max(0.0, p - self.deduction * math.ceil(over / self.step - 1e-9))
        if self.kind == "threshold_linear":
            rate = actual / t if t else 0.0
            if rate < self.floor:
                return 0.0
            factor = self.multiplier if self.multiplier is not None else p
            return min(factor, factor * (min(rate, 1.0) - self.floor) / (1 - self.floor))
        if self.kind == "all_or_nothing":
            return p if actual >= t else 0.0
        raise ValueError(self.kind)

    @property
    def rewards_higher(self) -> bool | None:
        """Whether a higher actual scores better (None when the form says nothing)."""
        if self.kind in ("ratio", "per_unit_short", "threshold_linear", "all_or_nothing", "tiers"):
            return True
        if self.kind in (
            "reverse_ratio",
            "per_unit_over",
            "overspend_money",
            "overspend_percent",
            "per_incident",
            "lateness",
        ):
            return False
        return None


class Refusal(BaseModel):
    reason: Literal["missing", "discretionary", "no_amount", "unrecognised"]
    phrase: str = ""


_CN_DIGITS = {
    "一": "1",
    "两": "2",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
    "半": "0.5",
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９％（）：，；．＝×＜＞", "0123456789%():,;.=*<>")
_NUM = r"(\d+(?:\.\d+)?)"


def normalise_rule(text: str) -> str:
    text = re.sub(r"\s+", "", (text or "").translate(_FULLWIDTH))
    # Chinese numerals in "每少一家", "扣两分", "每超过一万"
    return re.sub(
        r"(?<=[每少超扣减低有过额计得])([一两二三四五六七八九十半])(?=[家个人台套件次项户分万元%百天日起例周月])",
        lambda m: _CN_DIGITS[m.group(1)],
        text,
    )


def stated_points(text: str) -> list[float]:
    """Every maximum the rule states: 分值为N分, 得N分, 计N分 (not deductions)."""
    found = [float(x) for x in re.findall(r"^" + _NUM + r"分(?=[;,:]|$)", text)]
    found += [float(x) for x in re.findall(r"分值为?" + _NUM + "分", text)]
    found += [float(x) for x in re.findall(r"(?:^|[,;。]|[^扣])(?:得|计)" + _NUM + "分", text)]
    return found


@lru_cache(maxsize=16384)
def parse_rule(text: str | None, discretionary_words: tuple[str, ...] = ()) -> Formula | Refusal:
    """Parse a rule; results are cached here and below, since several rules ask about the same
    text (this cache spares the strip and the call for the text as written)."""
    return _parse_rule((text or "").strip(), discretionary_words)


@lru_cache(maxsize=16384)
def _parse_rule(raw: str, discretionary_words: tuple[str, ...]) -> Formula | Refusal:
    if not raw:
        return Refusal(reason="missing")
    t = normalise_rule(raw)
    for phrase in discretionary_words:
        if phrase in t:
            return Refusal(reason="discretionary", phrase=phrase)
    maxima = stated_points(t)
    zero_points = [m for m in maxima if m == 0]
    maxima = [m for m in maxima if m > 0]
    points = maxima[0] if maxima else None
    formula = _match(t, points)
    if formula is None:
        if re.search(r"扣分|予以扣|扣除", t) and not re.search(r"扣" + _NUM + "分", t):
            return Refusal(reason="no_amount", phrase=_snippet(raw, "扣"))
        return Refusal(reason="unrecognised", phrase=raw[:30])
    formula.stated_maxima = maxima + zero_points
    return formula


def _snippet(text: str, word: str) -> str:
    at = text.find(word)
    return text[max(0, at - 8) : at + 4] if at >= 0 else text[:12]


def _match(t: str, points: float | None) -> Formula | None:
    linear = re.search(
        r"小于" + _NUM + r"%.*?不得分.*?得分=\(实际完成率-" + _NUM + r"%\)/\(1-" + _NUM + r"%\)\*" + _NUM, t
    )
    if linear:
        return Formula(
            kind="threshold_linear",
            points=points,
            floor=float(linear.group(2)) / 100,
            multiplier=float(linear.group(4)),
        )
    tiers = _tiers(t)
    if len(tiers) >= 2:
        return Formula(kind="tiers", points=points or max(x.points for x in tiers), tiers=tiers)
    money = re.search(r"每超(?:过|出|额|支)?" + _NUM + r"(万元|万|元)[,]?扣" + _NUM + "分", t)
    if money:
        step = float(money.group(1)) / (10000 if money.group(2) == "元" else 1)
        return Formula(kind="overspend_money", points=points, step=step, deduction=float(money.group(3)))
    percent = re.search(r"每超(?:过|出|额|支)?" + _NUM + r"%[,]?扣" + _NUM + "分", t)
    if percent:
        return Formula(
            kind="overspend_percent", points=points, step=float(percent.group(1)), deduction=float(percent.group(2))
        )
    rising = re.search(r"每(?:增加|增长|上升|多)" + _NUM + r"?(?:%|个百分点)?[,]?扣" + _NUM + "分", t)
    if rising:
        return Formula(
            kind="per_unit_over", points=points, step=float(rising.group(1) or 1), deduction=float(rising.group(2))
        )
    incident = re.search(r"每(?:有|发生|出现|增加)" + _NUM + r"?(?:件|起|次|例|个)[^,;]*?扣" + _NUM + "分", t)
    if incident:
        return Formula(kind="per_incident", points=points, deduction=float(incident.group(2)))
    late = re.search(
        r"每(?:逾期|延迟|推迟|超期|滞后|晚|超过|超出|超)"
        + _NUM
        + r"?个?(?:工作日|天|日|周|月|小时|分钟)[,]?扣"
        + _NUM
        + "分",
        t,
    )
    if late:
        return Formula(kind="lateness", points=points, step=float(late.group(1) or 1), deduction=float(late.group(2)))
    short = re.search(
        r"(?:每(?:少|低|减少|差|低于目标|下降)|少于)"
        + _NUM
        + r"?(?:%|个百分点|[家人个台套件次项户所座处条份本场辆])?[,]?扣"
        + _NUM
        + "分",
        t,
    )
    if short:
        return Formula(
            kind="per_unit_short", points=points, step=float(short.group(1) or 1), deduction=float(short.group(2))
        )
    if re.search(r"得分=.*实际.*/.*(目标|指标值|计划)|按(实际)?完成(比例|率)[计得赋]分|\*min\(", t):
        return Formula(kind="ratio", points=points)
    if re.search(
        r"(达到|完成|实现).{0,8}(得|计)(满分|" + _NUM + r"分).*(否则|未达到|未完成).{0,6}(不得分|得0分|计0分)", t
    ) or re.search(r"未(达到|完成|实现).{0,8}(不得分|得0分|计0分)", t):
        return Formula(kind="all_or_nothing", points=points)
    return None


def _tiers(t: str) -> list[Tier]:
    """Bands written in words (95%（含）以上计10分，85%-95%计8分) or symbols (85%≤x<95%:8分).

    A range whose ends say neither 含 nor 不含 is read as including both, which is exactly the
    ambiguity reviewers object to; 以下 without 含 excludes its bound.
    """
    tiers: list[Tier] = []
    pts = r"[,:]?(?:计|得)?" + _NUM + "分"
    for m in re.finditer(_NUM + r"%?(\((?:不)?含\))?(?:及)?以上" + pts, t):
        tiers.append(
            Tier(lower=float(m.group(1)), upper=None, lower_inclusive=m.group(2) != "(不含)", points=float(m.group(3)))
        )
    for m in re.finditer(_NUM + r"%?(\((?:不)?含\))?[-~—至到]" + _NUM + r"%?(\((?:不)?含\))?" + pts, t):
        tiers.append(
            Tier(
                lower=float(m.group(1)),
                upper=float(m.group(3)),
                lower_inclusive=m.group(2) != "(不含)",
                upper_inclusive=m.group(4) != "(不含)",
                points=float(m.group(5)),
            )
        )
    for m in re.finditer(_NUM + r"%?(\((?:不)?含\))?以下" + pts, t):
        tiers.append(
            Tier(lower=None, upper=float(m.group(1)), upper_inclusive=m.group(2) == "(含)", points=float(m.group(3)))
        )
    for m in re.finditer(r"(?:^|[;,])(≥|>)" + _NUM + r"%?" + pts, t):
        tiers.append(
            Tier(lower=float(m.group(2)), upper=None, lower_inclusive=m.group(1) == "≥", points=float(m.group(3)))
        )
    for m in re.finditer(_NUM + r"%?(≤|<)x(<|≤)" + _NUM + r"%?" + pts, t):
        tiers.append(
            Tier(
                lower=float(m.group(1)),
                upper=float(m.group(4)),
                lower_inclusive=m.group(2) == "≤",
                upper_inclusive=m.group(3) == "≤",
                points=float(m.group(5)),
            )
        )
    for m in re.finditer(r"(?:^|[;,])(<|≤)" + _NUM + r"%?" + pts, t):
        tiers.append(
            Tier(lower=None, upper=float(m.group(2)), upper_inclusive=m.group(1) == "≤", points=float(m.group(3)))
        )
    return tiers


def tier_problems(tiers: list[Tier]) -> list[str]:
    """Overlaps (a boundary in two bands) and gaps (a value in none), as readable phrases."""
    problems: list[str] = []
    ordered = sorted(tiers, key=lambda x: (x.lower is not None, x.lower or 0.0))
    for low, high in itertools.pairwise(ordered):
        if low.upper is None or high.lower is None:
            continue
        if low.upper > high.lower or (low.upper == high.lower and low.upper_inclusive and high.lower_inclusive):
            problems.append(f"{_fmt(high.lower)} 同时落在两个档次")
        elif low.upper < high.lower or (
            low.upper == high.lower and not low.upper_inclusive and not high.lower_inclusive
        ):
            problems.append(f"{_fmt(low.upper)} 与 {_fmt(high.lower)} 之间没有档次")
    if ordered and ordered[0].lower is not None:
        problems.append(f"低于 {_fmt(ordered[0].lower)} 的情况没有写明得分")
    return problems


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def direction_of(comparator: Comparator | None) -> bool | None:
    """Whether the type asks for a high value (≥, >), a low one (≤, <), or says nothing."""
    if comparator in (Comparator.GE, Comparator.GT):
        return True
    if comparator in (Comparator.LE, Comparator.LT):
        return False
    return None
