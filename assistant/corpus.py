"""The corpus of past filings: every supported file of a folder, imported, with what failed."""

from __future__ import annotations

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
        raise IngestError("语料文件夹不存在 (corpus folder not found)", SourceRef(file=str(folder)))
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
