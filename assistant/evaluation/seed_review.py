"""Precision and recall of the rules against a labelled set of seed indicators.

Each labelled row names a seed file, the row's 三级 name and 指标值 as written, and the problems
a strict reviewer found (indicator-rules.md rule names, R-…). A rule counts for the labels it
`implements`; rows are matched by (file, name, target) in reading order.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from pydantic import BaseModel

from ..ingest import read_filing
from ..models import Horizon
from ..normalize import squash
from ..review.engine import review_projects
from ..review.registry import FAMILIES, all_rules


class LabelledRow(BaseModel):
    file: str
    seq: int
    name: str
    target: str
    labels: list[str]
    note: str = ""


class Score(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


class Evaluation(BaseModel):
    rows: int
    matched: int
    by_label: dict[str, Score]
    by_family: dict[str, Score]
    overall: Score
    misses: list[str]  # "file seq name: label" lines, for tuning


def load_labels(path: Path) -> list[LabelledRow]:
    return [
        LabelledRow.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def label_families() -> dict[str, str]:
    """R-label → the family letter of the rule that implements it."""
    return {label: rule.family for rule in all_rules() for label in rule.implements}


def _predicted(corpus_dir: Path) -> dict[tuple[str, str, str, int], set[str]]:
    """R-labels the rules give each annual seed row, keyed (file, name, value, occurrence)."""
    predicted: dict[tuple[str, str, str, int], set[str]] = {}
    code_labels = {rule.code: rule.implements for rule in all_rules()}
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in (".txt", ".docx", ".xlsx"):
            continue
        projects = [p for p in read_filing(path).projects if p.horizon is Horizon.ANNUAL]
        occurrence: Counter = Counter()
        row_of: dict[tuple[str, int], tuple[str, str, str, int]] = {}  # (project key, row index) → label key
        for project in projects:
            for i, ind in enumerate(project.indicators):
                base = (path.name[:3], squash(ind.name), squash(ind.target or ""))
                occurrence[base] += 1
                row_of[(project.key, i)] = (*base, occurrence[base])
                predicted[row_of[(project.key, i)]] = set()
        for finding in review_projects(projects):
            if finding.indicator_index is not None:
                predicted[row_of[(finding.project_key, finding.indicator_index)]].update(code_labels[finding.code])
    return predicted


def evaluate(labels_path: Path, corpus_dir: Path) -> Evaluation:
    rows = load_labels(labels_path)
    families = label_families()
    evaluated = {label for row in rows for label in row.labels} & set(families)
    predicted = _predicted(corpus_dir)
    by_label: dict[str, Score] = defaultdict(Score)
    misses: list[str] = []
    seen: Counter = Counter()
    matched = 0
    for row in rows:
        base = (row.file, squash(row.name), squash(row.target))
        seen[base] += 1
        got = predicted.get((*base, seen[base]))
        if got is None:
            misses.append(f"{row.file} {row.seq} {row.name[:20]}: not found in the import")
            continue
        matched += 1
        gold = set(row.labels) & evaluated
        for label in evaluated:
            if label in gold or label in got:
                kind = "tp" if label in gold and label in got else "fp" if label in got else "fn"
                setattr(by_label[label], kind, getattr(by_label[label], kind) + 1)
                if kind != "tp":
                    misses.append(f"{kind.upper()} {row.file} {row.seq} {row.name[:16]}|{row.target[:16]}: {label}")
    by_family: dict[str, Score] = defaultdict(Score)
    overall = Score()
    for label, score in by_label.items():
        for total in (by_family[families[label]], overall):
            total.tp, total.fp, total.fn = total.tp + score.tp, total.fp + score.fp, total.fn + score.fn
    return Evaluation(
        rows=len(rows),
        matched=matched,
        by_label=dict(sorted(by_label.items())),
        by_family=dict(sorted(by_family.items())),
        overall=overall,
        misses=misses,
    )


def format_evaluation(result: Evaluation) -> str:
    lines = [f"labelled rows: {result.rows}, matched in the import: {result.matched}", ""]
    lines.append(f"{'family':<44}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    for family, score in result.by_family.items():
        name = f"{family}  {FAMILIES[family]}"
        lines.append(f"{name:<44}{score.precision:>10.2f}{score.recall:>8.2f}{score.tp:>6}{score.fp:>5}{score.fn:>5}")
    o = result.overall
    lines.append(f"{'overall':<44}{o.precision:>10.2f}{o.recall:>8.2f}{o.tp:>6}{o.fp:>5}{o.fn:>5}")
    lines.append("")
    lines.append(f"{'label':<32}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
    for label, score in result.by_label.items():
        lines.append(f"{label:<32}{score.precision:>10.2f}{score.recall:>8.2f}{score.tp:>6}{score.fp:>5}{score.fn:>5}")
    return "\n".join(lines)


def dump(result: Evaluation) -> str:
    return json.dumps(result.model_dump(), ensure_ascii=False, indent=2)
