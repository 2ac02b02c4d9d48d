"""Keeping the index in line with a corpus folder: new and changed files in, removed files out.

A file is changed when its size or modification time is; drafts added to the index (keys that
start with "draft:") are not files and stay.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..config import InputLimits
from ..errors import IngestError
from ..ingest import read_filing, scan_paths
from .documents import file_key, filing_docs

if TYPE_CHECKING:
    from .store import CorpusIndex

Progress = Callable[[int, int, str], None]


class SyncReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = Field(default_factory=list)  # files found unreadable by this sync
    unread: list[str] = Field(default_factory=list)  # unreadable before and unchanged since: not read again
    notices: list[str] = Field(default_factory=list)


def sync_folder(
    index: CorpusIndex, corpus_dir: Path, progress: Progress | None = None, limits: InputLimits | None = None
) -> SyncReport:
    corpus_dir = Path(corpus_dir)
    report = SyncReport(notices=list(index.notices))
    files, skipped = scan_paths([corpus_dir])
    report.notices += [str(s) for s in skipped]
    wanted = {file_key(str(p.relative_to(corpus_dir))): p for p in files}
    known = index.indexed_files()
    unread = index.documents.unread()
    for key, (indexed_as, _) in known.items():
        if key not in wanted and not indexed_as.startswith("draft:"):
            index.remove(key)
            report.removed.append(indexed_as)
    for key in unread.keys() - wanted.keys():
        index.documents.set_unread(key, "", None)
    for n, (key, path) in enumerate(wanted.items(), start=1):
        rel = str(path.relative_to(corpus_dir))
        stat = path.stat()
        fingerprint = f"{stat.st_size}:{stat.st_mtime_ns}"
        if progress:
            progress(n, len(wanted), rel)
        if known.get(key, ("", ""))[1] == fingerprint:
            report.unchanged += 1
            continue
        if key in unread and unread[key][0] == fingerprint:
            report.unread.append(unread[key][1])
            continue
        try:
            filing = read_filing(path, limits)
        except IngestError as exc:
            report.errors.append(str(exc))
            index.documents.set_unread(key, fingerprint, str(exc))
            continue
        if key in unread:
            index.documents.set_unread(key, "", None)
        index.add_docs(key, filing_docs(filing, key), path=rel, fingerprint=fingerprint)
        (report.updated if key in known else report.added).append(rel)
    return report
