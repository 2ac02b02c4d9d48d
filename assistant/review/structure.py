"""How a project's rows hang together: a heading row and the detail rows under it.

Some forms (安徽萧县, the ★ core-indicator tables) give one row the points and leave its value
empty — "★补助各类粮食作物种植面积 | 分值 10" — and list what it counts in the rows below, with
values and no points: "其中红薯种植面积 | 5.5亩". The heading has no value and the details no
points by design; neither is a fault.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Indicator, Project


@dataclass(frozen=True)
class Parts:
    headings: frozenset[int]  # rows with points and no value, heading the details below
    details: frozenset[int]  # rows with a value and no points, counted in the heading above


def _has_value(ind: Indicator) -> bool:
    return bool((ind.target or "").strip())


def parts(project: Project) -> Parts:
    headings: set[int] = set()
    details: set[int] = set()
    rows = project.indicators
    heading: int | None = None
    for index, ind in enumerate(rows):
        starts_detail = ind.name.startswith("其中")
        if ind.weight is not None and not _has_value(ind):
            heading = index
            continue
        if (
            ind.weight is None
            and _has_value(ind)
            and (starts_detail or (heading is not None and rows[heading].level2 is ind.level2))
        ):
            details.add(index)
            if heading is not None:
                headings.add(heading)
            continue
        if ind.weight is not None:
            heading = None
    return Parts(frozenset(headings), frozenset(details))
