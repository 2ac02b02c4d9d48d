"""A project beside similar past ones: which 二级 each covers, what the others measured for the
same 二级, and where a percentage target sits among the corpus's comparable targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .index import CorpusIndex, Filters, Hit
from .models import Horizon, Indicator, Level2
from .normalize import parse_number


@dataclass
class Neighbour:
    hit: Hit
    rows: list[Indicator]


def neighbours(index: CorpusIndex, query: str, k: int, *, project_id: str | None = None) -> list[Neighbour]:
    """The annual projects most like a typed query, or like a corpus project (`project_id`: its
    class, kind of spending and measured objects count too), each with its indicators. All k are
    returned; `Neighbour.hit.relevant` says which are like it beyond words."""
    annual = Filters(horizon=Horizon.ANNUAL.value)
    hits = index.like_project(project_id, k, annual) if project_id else index.search(query, "projects", k, annual)
    return [Neighbour(h, index.project_indicators(h.id)) for h in hits]


def coverage(rows: Sequence[Indicator]) -> dict[Level2, int]:
    """How many rows a project has under each 二级."""
    return {level: sum(r.level2 is level for r in rows) for level in Level2}


def same_level(found: Sequence[Neighbour], level: Level2) -> list[tuple[Neighbour, Indicator]]:
    """The rows the neighbours have under one 二级, best neighbour first."""
    return [(n, r) for n in found for r in n.rows if r.level2 is level]


def percent_targets(index: CorpusIndex, level: Level2) -> list[tuple[float, str]]:
    """(target %, project) of every annual corpus indicator under `level` whose target is a percentage."""
    out = []
    for meta in index.level2_rows(level.value):
        value = parse_number(meta.target)
        percent = meta.unit in ("%", "％") or "%" in (meta.target or "")
        if meta.horizon is Horizon.ANNUAL and value is not None and percent:
            out.append((value, meta.project_name))
    return out


def own_target(rows: Sequence[Indicator], level: Level2) -> float | None:
    return next((r.target_number for r in rows if r.level2 is level and r.target_number is not None), None)
