"""Review precision and recall on the labelled rows of the published filings.

A row is flagged when the rules give it an error or a warning (an info is a note, not a
return). Overall, a flagged row is a true positive when the labeller would return it; per
family, a row counts for a family when a finding of that family flags it and the labeller names
that family. Project faults (P) are compared on complete projects only: a project-level finding
against the faults the labeller found. Seed files are reported apart: their own labels
(tests of the rules' origin) are not the labels of this corpus.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import IngestError
from ..ingest import read_filing
from ..review.engine import review_projects
from ..review.registry import FAMILIES, REGISTRY, Severity
from .labels import Labels, Split, record_position


class Score(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def fires(self) -> int:
        return self.tp + self.fp

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted


class SplitReview(BaseModel):
    overall: Score = Field(default_factory=Score)
    families: dict[str, Score] = Field(default_factory=dict)
    # per rule code, the labelled rows (or complete projects) it flags: right when the labeller
    # returns them for that rule's family (recall is a family's, not a rule's, so fn stays 0)
    rules: dict[str, Score] = Field(default_factory=dict)
    misses: list[str] = Field(default_factory=list)  # "FP/FN file row name: codes", for tuning on dev


class ReviewEvaluation(BaseModel):
    splits: dict[str, SplitReview] = Field(default_factory=dict)


def evaluate_review(corpus_dir: Path, labels: Labels) -> ReviewEvaluation:
    predicted: dict[tuple[str, int, int, int], set[str]] = defaultdict(set)
    codes: dict[tuple[str, int, int, int], set[str]] = defaultdict(set)
    project_flags: dict[tuple[str, int], set[str]] = defaultdict(set)
    for path in sorted((Path(corpus_dir) / "filings").glob("*.json")):
        file = f"filings/{path.name}"
        try:
            projects = read_filing(path).projects
        except IngestError:
            continue  # its rows count as not flagged (the ingest figures say why)
        by_name = {p.name: p for p in projects}
        for finding in review_projects(projects):
            if finding.severity is Severity.INFO:
                continue
            project = by_name[finding.project]
            family = REGISTRY[finding.code].family
            if finding.indicator_index is None:
                number = _record_project(project)
                project_flags[(file, number)].add(finding.code)
                continue
            position = record_position(project, finding.indicator_index)
            if position:
                predicted[(file, *position)].add(family)
                codes[(file, *position)].add(finding.code)
    result = ReviewEvaluation()
    for label in labels.rows:
        split = labels.split_of(label.file)
        scores = result.splits.setdefault(split, SplitReview())
        got = predicted.get(label.key, set())
        gold = set(label.families) if label.verdict == "return" else set()
        scores.overall.add(bool(gold), bool(got))
        for family in FAMILIES:
            if family == "P":
                continue
            if family in gold or family in got:
                scores.families.setdefault(family, Score()).add(family in gold, family in got)
        for code in codes.get(label.key, ()):
            scores.rules.setdefault(code, Score()).add(REGISTRY[code].family in gold, True)
        if bool(gold) != bool(got) or gold != got:
            kind = "FN" if gold and not got else "FP" if got and not gold else "FAM"
            scores.misses.append(
                f"{kind} {label.file} r{label.row} {label.name[:18]} "
                f"gold={''.join(sorted(gold)) or '-'} got={','.join(sorted(codes.get(label.key, ())))}"
            )
    for labelled in labels.projects:
        if labelled.complete != "yes":
            continue
        scores = result.splits.setdefault(labels.split_of(labelled.file), SplitReview())
        got = project_flags.get((labelled.file, labelled.project), set())
        scores.families.setdefault("P", Score()).add(bool(labelled.faults), bool(got))
        for code in got:
            scores.rules.setdefault(code, Score()).add(bool(labelled.faults), True)
        if bool(labelled.faults) != bool(got):
            scores.misses.append(
                f"{'FN' if labelled.faults else 'FP'} {labelled.file} project "
                f"gold={';'.join(labelled.faults) or '-'} got={','.join(sorted(got))}"
            )
    return result


def _record_project(project) -> int:
    for index in range(len(project.indicators)):
        position = record_position(project, index)
        if position:
            return position[0]
    return 1


def splits_of(result: ReviewEvaluation) -> list[Split]:
    return [s for s in ("dev", "test") if s in result.splits]
