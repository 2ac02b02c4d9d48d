"""The labels of a corpus (`labels/` beside its filings): rows, projects, pairs and the split."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models import Project

Split = Literal["dev", "test", "seed"]
SPLITS: tuple[Split, ...] = ("dev", "test", "seed")
_RECORD_TABLE_RE = re.compile(r"^项目(\d+)表(\d+)")


def _codes(value: object) -> object:
    """A CSV cell of codes joined by ";" as a list."""
    return [c.strip() for c in value.split(";") if c.strip()] if isinstance(value, str) else value


class RowLabel(BaseModel):
    """One published indicator row and whether a finance bureau would return it."""

    file: str
    project: int
    table: int
    row: int
    name: str
    verdict: Literal["ok", "return"]
    families: list[str]
    reason: str = ""

    _split = field_validator("families", mode="before")(staticmethod(_codes))

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.file, self.project, self.table, self.row)


class ProjectLabel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    file: str
    project: int
    name: str
    class_: str = Field(alias="class")
    kind: str
    complete: str  # yes | no | seed
    faults: list[str]
    reason: str = ""

    _split = field_validator("faults", mode="before")(staticmethod(_codes))


class Pair(BaseModel):
    file: str
    project: int
    partner_file: str
    partner_project: int
    grade: int
    why: str = ""


class QueryLabel(BaseModel):
    """A few typed words and a corpus project (by name) that fits them (grade 2) or is related
    enough to offer (1); a row with no project (grade 0) says nothing in the corpus fits."""

    query: str
    project: str = ""
    grade: int
    why: str = ""
    split: Split = "dev"


class Labels(BaseModel):
    rows: list[RowLabel]
    projects: list[ProjectLabel]
    pairs: list[Pair]
    queries: list[QueryLabel] = Field(default_factory=list)  # typed queries: dev calibrates, test measures
    split: dict[str, Split]  # corpus-relative file → dev | test (seeds are not listed)

    def split_of(self, file: str) -> Split:
        return self.split.get(file, "seed")

    def project(self, file: str, number: int) -> ProjectLabel | None:
        return next((p for p in self.projects if p.file == file and p.project == number), None)


def _read(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_labels(corpus_dir: Path) -> Labels:
    folder = Path(corpus_dir) / "labels"
    return Labels(
        rows=[RowLabel.model_validate(r) for r in _read(folder / "rows.csv")],
        projects=[ProjectLabel.model_validate(r) for r in _read(folder / "projects.csv")],
        pairs=[Pair.model_validate(r) for r in _read(folder / "pairs.csv")],
        queries=[QueryLabel.model_validate(r) for r in _read(folder / "queries.csv")]
        if (folder / "queries.csv").exists()
        else [],
        split={r["file"]: r["split"] for r in _read(folder / "split.csv")},
    )


def record_position(project: Project, index: int) -> tuple[int, int, int] | None:
    """(project, table, row) of a filing record's row, from where the importer says it read it."""
    source = project.indicators[index].source
    if source is None or source.table is None or source.row is None:
        return None
    match = _RECORD_TABLE_RE.match(source.table)
    return (int(match.group(1)), int(match.group(2)), source.row) if match else None
