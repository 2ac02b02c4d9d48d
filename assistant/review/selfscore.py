"""Recompute the points of a 自评表 from its actual values and flag self-scores that disagree.

The row's own 评（扣）分标准 is applied where it parses; a 自评表 without one (seed 004) is
scored as 财预〔2020〕10号 scores it: the ratio of actual to target (T1), when both are numbers
in the same unit. A full score claimed for an actual that cannot be measured is reported too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from ..models import Project
from .formula import Formula, parse_rule
from .lexicon import load_lexicon
from .text import numbers


class ScoreCheck(BaseModel):
    file: str | None
    project: str
    indicator: str
    indicator_index: int
    target: str | None
    actual: str | None
    weight: float | None
    claimed: float | None
    recomputed: float | None
    method: str  # the formula used, or why none could be
    verdict: str  # "agrees", "disagrees", "unverifiable"
    message: str


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _comparable(target: str | None, actual: str | None) -> tuple[float, float] | None:
    """One number each, in the same unit (both percentages, or both plain)."""
    t, a = numbers(target), numbers(actual)
    if len(t) != 1 or len(a) != 1:
        return None
    if bool(_PERCENT.search(target or "")) != bool(_PERCENT.search(actual or "")) and (a[0] != 100):
        return None
    return t[0], a[0]


def check_scores(projects: Sequence[Project], tolerance: float = 0.5) -> list[ScoreCheck]:
    words = load_lexicon().words.discretionary
    checks: list[ScoreCheck] = []
    for project in projects:
        for index, ind in enumerate(project.indicators):
            if ind.score is None and ind.actual is None:
                continue
            parsed = parse_rule(ind.scoring, words) if ind.scoring else None
            pair = _comparable(ind.target, ind.actual)
            recomputed = None
            if isinstance(parsed, Formula) and pair and (parsed.points or ind.weight):
                method = f"评分标准（{parsed.kind}）"
                recomputed = parsed.score(pair[1], pair[0], ind.weight)
            elif parsed is None and pair and ind.weight is not None:
                target, actual = pair
                if (ind.actual or "").strip().startswith("100%") and not _PERCENT.search(ind.target or ""):
                    target = 100.0  # a completion rate against a count or task target
                method = "财预〔2020〕10号 比率法：得分=分值×min(实际/目标,1)"
                recomputed = Formula(kind="ratio", points=ind.weight).score(actual, target)
            else:
                method = (
                    "无法换算：实际完成值或目标不是可比较的数字"
                    if parsed is None or pair is None
                    else "评分标准无法换算为公式"
                )
            if recomputed is None:
                full = ind.score is not None and ind.weight is not None and ind.score >= ind.weight
                verdict = "unverifiable"
                message = (
                    f"自评给了满分 {ind.score:g}，但实际完成值“{ind.actual}”无法按目标“{ind.target}”核验"
                    if full
                    else f"得分无法核验：{method}"
                )
            elif ind.score is not None and abs(recomputed - ind.score) > tolerance:
                verdict = "disagrees"
                message = f"自评得分 {ind.score:g}，按{method}应为 {recomputed:.1f}"
            else:
                verdict = "agrees"
                message = f"自评得分与重新计算一致（{recomputed:.1f}）"
            checks.append(
                ScoreCheck(
                    file=project.source.file if project.source else None,
                    project=project.name,
                    indicator=ind.name,
                    indicator_index=index,
                    target=ind.target,
                    actual=ind.actual,
                    weight=ind.weight,
                    claimed=ind.score,
                    recomputed=None if recomputed is None else round(recomputed, 2),
                    method=method,
                    verdict=verdict,
                    message=message,
                )
            )
    return checks
