"""The corpus of past filings: every supported file of a folder, imported, with what failed, and
its manifest (where each filing came from: address, province, class, kind of spending, form)."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel

from .errors import IngestError
from .ingest import read_many
from .models import Filing, Project, SourceRef


class Corpus(BaseModel):
    folder: str
    filings: list[Filing]
    errors: list[str]  # one readable message per file that could not be imported

    @property
    def projects(self) -> list[Project]:
        return [p for f in self.filings for p in f.projects]


def load_corpus(folder: Path | str) -> Corpus:
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError("语料文件夹不存在", SourceRef(file=str(folder)))
    filings, errors = read_many([folder])
    return Corpus(folder=str(folder), filings=filings, errors=[str(e) for e in errors])


def fingerprint(folder: Path | str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the folder's files: a cache key that changes when a file does."""
    folder = Path(folder)
    if not folder.is_dir():
        return ()
    return tuple(
        (str(p.relative_to(folder)), stat.st_size, stat.st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (stat := p.stat())
    )


class ManifestEntry(BaseModel):
    """One line of MANIFEST.csv: a filing file and what is known of its source."""

    file: str  # relative to the corpus folder
    address: str = ""
    province: str = ""
    place: str = ""
    unit: str = ""
    year: str = ""
    form: str = ""
    class_: str = ""
    kind: str = ""
    projects: int = 0
    rows: int = 0
    notes: str = ""

    @property
    def link(self) -> str | None:
        return self.address if self.address.startswith(("http://", "https://")) else None


def load_manifest(folder: Path | str) -> dict[str, ManifestEntry]:
    """MANIFEST.csv of a corpus folder by file (relative path); empty when there is none."""
    path = Path(folder) / "MANIFEST.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {r["file"]: ManifestEntry(**{("class_" if k == "class" else k): v for k, v in r.items()}) for r in rows}
