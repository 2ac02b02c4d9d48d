"""Ingest read rate: a published project is read when every indicator row of its record comes
out of the importer with its name and value, under the 一级/二级 the table gives it.

The check is made against the record's cells as published, not against the importer's column
map: a row is aligned when the imported name and value are cells of that row and the imported
二级 is the one the level cells (filled down over merged rows) name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import IngestError
from ..ingest import read_filing
from ..ingest.columns import header_field, is_placeholder
from ..ingest.record import FilingRecord
from ..normalize import clean, level2_of
from .labels import SPLITS, Labels, Split, record_position


class ProjectRead(BaseModel):
    file: str
    project: int
    split: Split
    rows: int
    aligned: int
    problem: str = ""

    @property
    def read(self) -> bool:
        return self.rows > 0 and self.aligned == self.rows and not self.problem


class IngestEvaluation(BaseModel):
    projects: list[ProjectRead] = Field(default_factory=list)

    def rate(self, split: Split) -> tuple[int, int]:
        chosen = [p for p in self.projects if p.split == split]
        return sum(p.read for p in chosen), len(chosen)

    def unread(self) -> list[ProjectRead]:
        return [p for p in self.projects if not p.read]


def _expected(header: list[str], rows: list[list[str]]) -> list[tuple[list[str], list[str]] | None]:
    """Per row: (its cells, its level cells filled down) — None for a row with no indicator."""
    name_at = next((i for i, h in enumerate(header) if header_field(h) == "name"), 0)
    out: list[tuple[list[str], list[str]] | None] = []
    levels = [""] * name_at
    for cells in rows:
        cells = [clean(c) for c in cells]
        for i in range(name_at):
            if cells[i] and cells[i] != levels[i]:
                levels[i:] = [cells[i], *[""] * (name_at - i - 1)]  # a new 一级 starts its 二级 afresh
        out.append(None if is_placeholder(cells[name_at]) else (cells, list(levels)))
    return out


def evaluate_ingest(corpus_dir: Path, labels: Labels) -> IngestEvaluation:
    result = IngestEvaluation()
    for path in sorted((Path(corpus_dir) / "filings").glob("*.json")):
        file = f"filings/{path.name}"
        record = FilingRecord.model_validate_json(path.read_bytes())
        imported: dict[tuple[int, int, int], object] = {}
        problem = ""
        try:
            for project in read_filing(path).projects:
                for index, indicator in enumerate(project.indicators):
                    position = record_position(project, index)
                    if position:
                        imported[position] = indicator
        except IngestError as exc:
            problem = exc.message
        for n, item in enumerate(record.projects, start=1):
            counts: dict[str, int] = defaultdict(int)
            for m, table in enumerate(item.tables, start=1):
                for k, expected in enumerate(_expected(table.header, table.rows), start=1):
                    if expected is None:
                        continue
                    counts["rows"] += 1
                    cells, levels = expected
                    got = imported.get((n, m, k))
                    if got is None:
                        continue
                    named = [level2_of(v) for v in levels if level2_of(v)]
                    aligned = (
                        got.name in cells  # type: ignore[attr-defined]
                        and (got.target is None or got.target in cells)  # type: ignore[attr-defined]
                        and (not named or got.level2 == named[-1])  # type: ignore[attr-defined]
                    )
                    counts["aligned"] += aligned
            result.projects.append(
                ProjectRead(
                    file=file,
                    project=n,
                    split=labels.split_of(file),
                    rows=counts["rows"],
                    aligned=counts["aligned"],
                    problem=problem
                    or (
                        "" if counts["aligned"] == counts["rows"] else f"{counts['rows'] - counts['aligned']} 行未对齐"
                    ),
                )
            )
    return result


def ingest_table(result: IngestEvaluation) -> dict[Split, str]:
    return {split: "{}/{}".format(*result.rate(split)) for split in SPLITS if result.rate(split)[1]}


def dump(result: IngestEvaluation) -> str:
    return json.dumps(result.model_dump(), ensure_ascii=False, indent=2)
