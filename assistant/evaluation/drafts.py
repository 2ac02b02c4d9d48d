"""Do drafts fit their projects? Each drafted row judged specific, generic or foreign (draft/judge.py)
and, where the project's real filing is known, coverage: the share of its rows that a drafted row
matches (same 二级 and a measured object in common; a real row that measures nothing specific —
项目完成时限 — is matched by any drafted row of its 二级; two money rows of 经济成本 match; and
服务对象满意度指标 has one object by the framework's definition, the served people's
satisfaction, so any two of its rows match, whoever they name as respondents). Because the
first rule lets any row cover a real row of nothing specific, coverage is also reported on the
real rows that measure an object, cost and satisfaction aside (`object_coverage`).

Sets: the test split's published projects (briefs from their own filing: name, unit, amount,
year, goal; the filing itself is left out of the index while drafting), the dev split's, the
team's dev briefs (labels/briefs.csv: no real filing, so no coverage), and the seeds (in-sample).
The judge's agreement with rows the team judged (labels/draft_judgments.csv) is reported beside.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from ..draft.facts import read_brief
from ..draft.judge import brief_terms, judge, objects_of, objects_shared
from ..draft.models import Brief, Draft
from ..errors import IngestError
from ..index import CorpusIndex
from ..ingest import read_filing
from ..models import Horizon, Indicator, Level2, Project, Scope
from ..review.registry import Severity
from .labels import Labels

Drafter = Callable[[Brief, list[str]], Draft]
REQUIRED = (Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.SATISFACTION)
EFFECTS = {Level2.ECONOMIC_BENEFIT, Level2.SOCIAL_BENEFIT, Level2.ECOLOGICAL_BENEFIT, Level2.SUSTAINABILITY}


class FitScore(BaseModel):
    briefs: int = 0
    rows: int = 0
    specific: int = 0
    generic: int = 0
    foreign: int = 0
    real_rows: int = 0  # rows of the real filings (coverage's denominator)
    matched: int = 0  # real rows a drafted row matches
    real_objects: int = 0  # real rows, cost and satisfaction aside, that measure an object
    matched_objects: int = 0  # of those, the ones a drafted row matches by a shared object
    missing_required: int = 0  # drafts lacking a 二级 the framework requires (or any 效益)
    error_rows: int = 0  # drafted rows with an error-level finding
    seconds: float = 0.0  # per draft
    origins: dict[str, int] = Field(default_factory=dict)
    foreign_rows: list[str] = Field(default_factory=list)  # "brief › row (reason)", for tuning on dev

    def share(self, verdict: str) -> float:
        return getattr(self, verdict) / self.rows if self.rows else 0.0

    @property
    def coverage(self) -> float | None:
        return self.matched / self.real_rows if self.real_rows else None

    @property
    def object_coverage(self) -> float | None:
        """Coverage of the real rows that measure something specific, the project's one cost and
        its served people's satisfaction aside: a real row of nothing specific (资金支付及时率) is
        covered by any row of its 二级, these only by an object they share with a drafted row."""
        return self.matched_objects / self.real_objects if self.real_objects else None


class Agreement(BaseModel):
    rows: int = 0
    same: int = 0
    confusion: dict[str, int] = Field(default_factory=dict)  # "team→judge" → count

    @property
    def rate(self) -> float | None:
        return self.same / self.rows if self.rows else None


class DraftFitEvaluation(BaseModel):
    splits: dict[str, FitScore] = Field(default_factory=dict)
    agreement: Agreement = Field(default_factory=Agreement)


def amount_of(project: Project) -> float | None:
    """资金总额, or failing that the money its cost rows state (seed 000 writes it only there)."""
    if project.amount is not None:
        return project.amount
    from ..review.rules.cost_time_satisfaction import money_in_wan

    found = [money_in_wan(i) for i in project.indicators if i.level2 is Level2.ECONOMIC_COST]
    values = [v for v in found if v]
    return sum(values) if values else None


def brief_of(project: Project) -> Brief:
    """The brief a drafter of this project would have typed: its name, unit, amount, year, goal."""
    return Brief(
        name=project.name,
        unit_name=project.unit_name,
        amount=amount_of(project),
        year=project.year or 2024,
        goal=project.goal or project.goal_midterm or "",
    )


def _money(row: Indicator) -> bool:
    return row.level2 is Level2.ECONOMIC_COST and "元" in f"{row.unit or ''}{row.target or ''}"


def matches(drafted: Indicator, real: Indicator) -> bool:
    """Same 二级 and a measured object in common (see the module docstring)."""
    if drafted.level2 is None or drafted.level2 is not real.level2:
        return False
    if _money(drafted) and _money(real):
        return True
    if real.level2 is Level2.SATISFACTION:
        return True  # one object by the framework's definition: the served people's satisfaction
    ours, theirs = objects_of(drafted.name), objects_of(real.name)
    if not theirs:
        return True  # a real row that measures nothing specific is covered by any row of its 二级
    return bool(objects_shared(ours, theirs))


def _score_draft(score: FitScore, brief: Brief, draft: Draft, real: Sequence[Indicator]) -> None:
    facts = read_brief(brief)
    words = brief_terms(facts, brief.name, brief.goal)
    real_words = {o for r in real for o in objects_of(r.name)}
    score.briefs += 1
    for row in draft.indicators:
        verdict, why = judge(row.name, words, real_words)
        score.rows += 1
        setattr(score, verdict, getattr(score, verdict) + 1)
        score.origins[row.origin or "none"] = score.origins.get(row.origin or "none", 0) + 1
        if verdict == "foreign":
            score.foreign_rows.append(f"{brief.name} › {row.name}（{why}）")
    levels = {r.level2 for r in draft.indicators}
    score.missing_required += int(not all(lv in levels for lv in REQUIRED) or not levels & EFFECTS)
    errors = {f.indicator_index for f in draft.findings if f.severity is Severity.ERROR}
    score.error_rows += len(errors - {None})
    real_rows = [r for r in real if r.level2 is not None]
    score.real_rows += len(real_rows)
    for real_row in real_rows:
        hit = any(matches(d, real_row) for d in draft.indicators)
        score.matched += hit
        if real_row.level2 not in (Level2.SATISFACTION, Level2.ECONOMIC_COST) and objects_of(real_row.name):
            score.real_objects += 1
            score.matched_objects += hit


def _own_ids(index: CorpusIndex) -> dict[str, list[str]]:
    """Source file name → ids of every document read from it (left out while drafting it)."""
    out: dict[str, list[str]] = {}
    for doc_id, _, meta in index.project_docs():
        out.setdefault(meta.source or "", []).append(doc_id)
    return out


def _score_projects(index: CorpusIndex, projects: Iterable[tuple[str, Project]], drafter: Drafter) -> FitScore:
    score, own = FitScore(), _own_ids(index)
    started = time.perf_counter()
    for source, project in projects:
        brief = brief_of(project)
        _score_draft(score, brief, drafter(brief, own.get(source, [])), project.indicators)
    score.seconds = round((time.perf_counter() - started) / max(1, score.briefs), 3)
    return score


def _annual(project: Project) -> bool:
    return project.horizon is Horizon.ANNUAL and project.scope is Scope.PROJECT and bool(project.indicators)


def labelled_projects(corpus_dir: Path, labels: Labels, split: str) -> list[tuple[str, Project]]:
    out = []
    for file in sorted({p.file for p in labels.projects if labels.split_of(p.file) == split}):
        try:
            projects = read_filing(Path(corpus_dir) / file).projects
        except IngestError:
            continue  # the ingest figures say why
        out += [(Path(file).name, p) for p in projects if _annual(p)]
    return out


def dev_briefs(corpus_dir: Path) -> list[tuple[str, Brief]]:
    path = Path(corpus_dir) / "labels" / "briefs.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        return [
            (
                row["id"],
                Brief(
                    name=row["name"],
                    unit_name=row["unit"],
                    amount=float(row["amount"]) if row["amount"] else None,
                    year=int(row["year"]),
                    goal=row["goal"],
                ),
            )
            for row in csv.DictReader(handle)
        ]


def agreement(corpus_dir: Path) -> Agreement:
    """The judge against the team's judgments (labels/draft_judgments.csv: brief, goal, row)."""
    path = Path(corpus_dir) / "labels" / "draft_judgments.csv"
    result = Agreement()
    if not path.is_file():
        return result
    confusion: Counter[str] = Counter()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            brief = Brief(name=row["brief_name"], goal=row["brief_goal"], unit_name=row.get("brief_unit"), year=2025)
            words = brief_terms(read_brief(brief), brief.name, brief.goal)
            verdict, _ = judge(row["row_name"], words)
            result.rows += 1
            result.same += verdict == row["team_verdict"]
            confusion[f"{row['team_verdict']}→{verdict}"] += 1
    result.confusion = dict(confusion)
    return result


def evaluate_fit(corpus_dir: Path, labels: Labels, index: CorpusIndex, drafter: Drafter) -> DraftFitEvaluation:
    result = DraftFitEvaluation()
    for split in ("dev", "test"):
        result.splits[split] = _score_projects(index, labelled_projects(corpus_dir, labels, split), drafter)
    briefs = FitScore()
    started = time.perf_counter()
    for _, brief in dev_briefs(corpus_dir):
        _score_draft(briefs, brief, drafter(brief, []), [])
    briefs.seconds = round((time.perf_counter() - started) / max(1, briefs.briefs), 3)
    result.splits["dev briefs"] = briefs
    seeds = [(p.name, q) for p in sorted(Path(corpus_dir).glob("*.txt")) for q in read_filing(p).projects if _annual(q)]
    result.splits["seed"] = _score_projects(index, seeds, drafter)
    result.agreement = agreement(corpus_dir)
    return result


def format_fit(result: DraftFitEvaluation) -> str:
    lines = [
        "| set | briefs | rows | specific | generic | foreign | coverage | of rows with an object | missing 二级 "
        "| error rows | s/draft |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in result.splits.items():
        coverage = f"{s.matched}/{s.real_rows} = {s.coverage:.2f}" if s.coverage is not None else "—"
        objects = (
            f"{s.matched_objects}/{s.real_objects} = {s.object_coverage:.2f}" if s.object_coverage is not None else "—"
        )
        lines.append(
            f"| {name} | {s.briefs} | {s.rows} | {s.specific} = {s.share('specific'):.2f} | "
            f"{s.generic} = {s.share('generic'):.2f} | {s.foreign} = {s.share('foreign'):.2f} | {coverage} | "
            f"{objects} | {s.missing_required} | {s.error_rows} | {s.seconds:.2f} |"
        )
    a = result.agreement
    if a.rows:
        lines.append("")
        lines.append(
            f"Judge vs team on {a.rows} rows: agreement {a.same}/{a.rows} = {a.rate:.2f}; "
            + ", ".join(f"{k} {v}" for k, v in sorted(a.confusion.items()))
        )
    return "\n".join(lines)
