"""The classifier against the labelled projects: how often the 功能分类 class and the kind of
spending read from a project's words agree with the labeller's, per split."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from ..classify import classify
from ..errors import IngestError
from ..ingest import read_filing
from ..models import Project
from .labels import Labels


class ClassAgreement(BaseModel):
    projects: int = 0
    same_class: int = 0
    same_kind: int = 0
    misses: list[str] = Field(default_factory=list)  # "file name: labelled → read", for tuning on dev


def _labelled_project(projects: list[Project], number: int, name: str) -> Project | None:
    """The labelled project: by name (records may split a project by horizon), else by position."""
    return next((p for p in projects if p.name == name), projects[number - 1] if number <= len(projects) else None)


def evaluate_classes(corpus_dir: Path, labels: Labels) -> dict[str, ClassAgreement]:
    by_split: dict[str, ClassAgreement] = defaultdict(ClassAgreement)
    read: dict[str, list[Project]] = {}
    for label in labels.projects:
        if label.file not in read:
            try:
                read[label.file] = read_filing(Path(corpus_dir) / label.file).projects
            except IngestError:
                read[label.file] = []  # the ingest figures say why
        project = _labelled_project(read[label.file], label.project, label.name)
        score = by_split[labels.split_of(label.file)]
        score.projects += 1
        if project is None:
            score.misses.append(f"{label.file} {label.name}: 未读出")
            continue
        found = classify(project.name, project.goal, project.unit_name)
        score.same_class += found.class_ == label.class_
        score.same_kind += found.kind == label.kind
        if (found.class_, found.kind) != (label.class_, label.kind):
            score.misses.append(f"{label.file} {label.name}: {label.class_}/{label.kind} → {found.class_}/{found.kind}")
    return dict(by_split)
