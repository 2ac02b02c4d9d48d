"""Leave-one-project-out over the corpus: each annual project drafted from the others, by its
name, unit, amount, year and goal only.

Reported: share of required 二级 covered, share of drafted rows with no error-level finding
(and with no warning either), and how close the drafted 三级 names are to the real ones
(character F1 of the best match, averaged over the real rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from pydantic import BaseModel

from ..draft.models import Brief, Draft
from ..index import CorpusIndex
from ..models import Horizon, Level2, Project, Scope
from ..review.registry import Severity

REQUIRED = (Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.SATISFACTION)


class DraftEvaluation(BaseModel):
    mode: str
    projects: int
    coverage: float  # required 二级 present (an effect row counts as one more requirement)
    clean_rows: float  # rows with no error-level finding
    quiet_rows: float  # rows with no error- or warning-level finding
    name_f1: float
    fallbacks: int  # LLM drafts that fell back to offline
    seconds_per_draft: float


def char_f1(a: str, b: str) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def cost_total(project: Project) -> float | None:
    """资金总额, or failing that the money its cost rows state (000 writes it only there)."""
    if project.amount is not None:
        return project.amount
    from ..review.rules.cost_time_satisfaction import money_in_wan

    found = [money_in_wan(i) for i in project.indicators if i.level2 is Level2.ECONOMIC_COST]
    values = [v for v in found if v]
    return sum(values) if values else None


EFFECTS = {Level2.ECONOMIC_BENEFIT, Level2.SOCIAL_BENEFIT, Level2.ECOLOGICAL_BENEFIT, Level2.SUSTAINABILITY}


def _flagged(draft: Draft, severities: tuple[Severity, ...]) -> set[int]:
    return {f.indicator_index for f in draft.findings if f.severity in severities and f.indicator_index is not None}


def evaluate_drafts(index: CorpusIndex, drafter: Callable[[Brief, list[str]], Draft]) -> DraftEvaluation:
    import time

    docs = index.project_docs()
    by_source: dict[tuple[str, str], list[str]] = {}
    for doc_id, _, meta in docs:
        by_source.setdefault((meta.source or "", meta.name), []).append(doc_id)
    projects = [(m, i) for i, _, m in docs if m.horizon is Horizon.ANNUAL and m.scope is Scope.PROJECT]
    covered = required = clean = quiet = rows = fallbacks = 0
    f1s: list[float] = []
    started = time.perf_counter()
    mode = "offline"
    for meta, doc_id in projects:
        real = index.project_indicators(doc_id)
        project = Project(doc_kind=meta.doc_kind, name=meta.name, amount=meta.amount, indicators=real)
        brief = Brief(
            name=meta.name,
            unit_name=meta.unit_name,
            amount=cost_total(project),
            year=meta.year or 2024,
            goal=meta.goal or "",
        )
        draft = drafter(brief, by_source[(meta.source or "", meta.name)])
        mode = draft.mode if draft.mode == "llm" else mode
        fallbacks += int(any("离线起草" in n for n in draft.notices))
        levels = {i.level2 for i in draft.indicators}
        required += len(REQUIRED) + 1
        covered += sum(lv in levels for lv in REQUIRED) + int(bool(levels & EFFECTS))
        rows += len(draft.indicators)
        clean += len(draft.indicators) - len(_flagged(draft, (Severity.ERROR,)))
        quiet += len(draft.indicators) - len(_flagged(draft, (Severity.ERROR, Severity.WARNING)))
        names = [i.name for i in draft.indicators]
        f1s += [max((char_f1(ind.name, n) for n in names), default=0.0) for ind in real]
    n = max(1, len(projects))
    return DraftEvaluation(
        mode=mode,
        projects=len(projects),
        coverage=round(covered / max(1, required), 3),
        clean_rows=round(clean / max(1, rows), 3),
        quiet_rows=round(quiet / max(1, rows), 3),
        name_f1=round(sum(f1s) / max(1, len(f1s)), 3),
        fallbacks=fallbacks,
        seconds_per_draft=round((time.perf_counter() - started) / n, 3),
    )


def format_drafts(results: list[DraftEvaluation], llm_configured: bool) -> str:
    lines = [
        f"{'mode':<9}{'projects':>9}{'二级覆盖':>9}{'无错误行':>9}{'无警告行':>9}{'名称F1':>8}{'回退':>6}{'秒/稿':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.mode:<9}{r.projects:>9}{r.coverage:>10.3f}{r.clean_rows:>10.3f}{r.quiet_rows:>10.3f}"
            f"{r.name_f1:>9.3f}{r.fallbacks:>7}{r.seconds_per_draft:>9.3f}"
        )
    if not llm_configured:
        lines.append("（未配置大模型：只评估离线起草）")
    return "\n".join(lines)
