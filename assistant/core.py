"""The one core the CLI, the Streamlit pages and library users share: `Assistant`.

Settings go in; the corpus folder, the retrieval index, the decision store and the LLM endpoint
live inside, opened when first needed. Each job of the tool is one method, so a step, a notice or
a computation is defined here once and every face (command line, page, script) shows it.

    from assistant import Assistant
    helper = Assistant()                       # settings from the environment
    result = helper.review("申报表.xlsx")       # findings, 退回意见, what could not be read
    draft = helper.draft(name="农村饮水安全工程", year=2025, goal="新建供水站3座")
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .config import Settings
from .ingest import Batch, read_batch
from .models import DocKind, Level2, Project

if TYPE_CHECKING:
    from .draft.models import Brief, Draft
    from .index import CorpusIndex, Embedder, Hit, Mode, SyncReport
    from .index.sync import Progress
    from .library import LibraryEntry
    from .llm import LLMSettings
    from .review.config import ReviewConfig
    from .review.engine import Finding
    from .store import Store

PathLike = str | Path


@dataclass
class ReviewResult:
    """A review: the projects read, their findings, and the files that could not be read."""

    projects: list[Project]
    findings: list[Finding]
    errors: list[str] = field(default_factory=list)  # one message per file that could not be read
    skipped: list[str] = field(default_factory=list)  # files passed over in a folder, with the reason

    def summary(self) -> str:
        from .review import report

        return report.summary_line(self.projects, self.findings)

    def by_project(self) -> list[tuple[Project, list[Finding]]]:
        """Projects worst first, each with its findings."""
        from .review import report

        return report.by_project(self.projects, self.findings)

    def opinion(self, project: Project) -> str:
        """The 退回意见 (or 审核意见) a finance bureau would send for one project."""
        from .review import report

        return report.return_opinion(project, [f for f in self.findings if f.project_key == project.key])

    def returned(self) -> bool:
        return any(f.severity.value == "error" for f in self.findings)


def _paths(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    return [paths] if isinstance(paths, str | Path) else list(paths)


class Assistant:
    """Settings in; corpus, index, store and LLM inside; one method per job."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        llm: LLMSettings | Literal["env"] | None = "env",
        one_shot: bool = False,
    ) -> None:
        """`one_shot`: a process that answers one request and exits (a CLI command); its index
        searches leave chromadb closed while the index's own copy of the vectors is current."""
        self.settings = settings or Settings.from_env()
        self._embedder = embedder
        self._llm = llm
        self._one_shot = one_shot
        self._history: tuple[tuple, list[Project]] | None = None

    # --- what lives inside -----------------------------------------------------------------

    @cached_property
    def index(self) -> CorpusIndex:
        """The retrieval index in the data directory, opened (not brought up to date: `sync`)."""
        from .index import open_index

        return open_index(self.settings.data_dir, embedder=self._embedder, read_chroma=not self._one_shot)

    @cached_property
    def store(self) -> Store:
        """Drafts and decisions (SQLite in the data directory, or ASSISTANT_DB_URL)."""
        from .store import open_store

        return open_store(self.settings.data_dir)

    @property
    def llm(self) -> LLMSettings | None:
        """The LLM endpoint: the one given, else the environment's; None is offline mode."""
        from .llm import LLMSettings

        return LLMSettings.from_env() if self._llm == "env" else self._llm

    # --- the jobs --------------------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncReport:
        """Bring the index in line with the corpus folder; the report carries every notice."""
        from .index import SyncReport

        index = self.index
        if not self.settings.corpus_dir.is_dir():
            return SyncReport(notices=[*index.notices, f"语料文件夹不存在：{self.settings.corpus_dir}"])
        report = index.sync(self.settings.corpus_dir, progress=progress, limits=self.settings.limits)
        index.notices.clear()  # reported once, in this report
        return report

    def read(self, paths: PathLike | Iterable[PathLike]) -> Batch:
        """Import files or folders: every good file read, every bad or skipped one listed."""
        return read_batch(_paths(paths), self.settings.limits)

    def history(self) -> list[Project]:
        """Earlier self-evaluations in the corpus, for the cross-year check (P707); read again
        only when a corpus file changes."""
        from .corpus import fingerprint

        if not self.settings.corpus_dir.is_dir():
            return []
        stamp = fingerprint(self.settings.corpus_dir)
        if self._history is None or self._history[0] != stamp:
            projects = [
                p
                for f in self.read(self.settings.corpus_dir).filings
                for p in f.projects
                if p.doc_kind is DocKind.SELF_EVALUATION
            ]
            self._history = (stamp, projects)
        return self._history[1]

    def review(
        self,
        paths: PathLike | Iterable[PathLike] | Sequence[Project],
        config: ReviewConfig | None = None,
        with_history: bool = True,
    ) -> ReviewResult:
        """Review filings (paths or folders) or projects already read, with the rules in `config`
        (default: the nearest pyproject.toml's [tool.assistant.review])."""
        from .review.config import load_config
        from .review.engine import review_projects

        config = config or load_config(None)
        items = list(paths) if not isinstance(paths, str | Path) else [paths]
        projects = [p for p in items if isinstance(p, Project)]
        errors: list[str] = []
        skipped: list[str] = []
        if len(projects) != len(items):
            batch = self.read([p for p in items if not isinstance(p, Project)])
            projects += [p for f in batch.filings for p in f.projects]
            errors, skipped = [str(e) for e in batch.errors], [str(s) for s in batch.skipped]
        findings = review_projects(projects, config=config, history=self.history() if with_history else ())
        return ReviewResult(projects=projects, findings=findings, errors=errors, skipped=skipped)

    def draft(
        self,
        brief: Brief | None = None,
        *,
        offline: bool = False,
        llm: LLMSettings | Literal["default"] | None = "default",
        **fields: object,
    ) -> Draft:
        """Draft indicators for a new project: from a Brief, or its fields (name, unit_name,
        amount, year, goal). With `llm` (default: this assistant's endpoint) unless `offline`."""
        from .draft import Brief
        from .draft.service import draft

        brief = brief or Brief.model_validate(fields)
        index = self.index
        if index.count("projects") == 0:
            self.sync()
        endpoint = self.llm if llm == "default" else llm
        return draft(index, brief, llm=None if offline else endpoint, corpus_dir=self.settings.corpus_dir)

    def redraft(self, draft_id: int, level: Level2, who: str) -> None:
        """Replace a stored draft's rows of one 二级 by the best row not drawn on yet (or add one)."""
        from .draft.offline import redraft

        record = self.store.load_draft(draft_id)
        best = redraft(self.index, record.brief, [r.indicator for r in record.rows], level, self.settings.corpus_dir)
        targets = [r for r in record.rows if r.indicator.level2 is level]
        if targets:
            self.store.decide(draft_id, targets[0].id, "edited", who, after=best, expected_version=targets[0].version)
        else:
            self.store.add_row(draft_id, best, who)

    def finish(self, draft_id: int, who: str) -> Path:
        """Put a draft's accepted rows into the corpus as a new .xlsx (named after the draft,
        inside the corpus folder, never replacing a file) and index it."""
        from .atomic import path_inside, safe_filename
        from .draft.offline import brief_project

        record = self.store.load_draft(draft_id)
        project = brief_project(record.brief, record.accepted())
        name = safe_filename(f"草稿{record.id}_{record.brief.name}", ".xlsx")
        written = self.export([project], path_inside(self.settings.corpus_dir, name), overwrite=False)
        self.store.set_status(draft_id, "in_corpus", who)
        self.sync()
        return written

    def similar(
        self,
        query: str,
        k: int = 5,
        *,
        kind: Literal["projects", "indicators"] = "projects",
        level2: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        mode: Mode = "hybrid",
        text_only: bool = False,
    ) -> list[Hit]:
        """Past projects (or indicators) like `query`; with `level2` and kind "projects", the
        indicators under that 二级 of the most similar projects. Projects that are like the
        query in words only (another class, nothing measured in common) are left out unless
        `text_only` asks for them too: an empty list means the corpus has no such project."""
        from .index import Filters

        if level2 and kind == "projects":
            return self.index.indicators_like(query, level2=level2, k_projects=k, k=k * 3)
        hits = self.index.search(query, kind, k, Filters(level2=level2, year=year, unit_name=unit), mode=mode)
        return hits if text_only or kind != "projects" else [h for h in hits if h.relevant]

    def library(
        self, class_: str | None = None, kind: str | None = None, level2: Level2 | None = None
    ) -> list[LibraryEntry]:
        """Indicator library entries for a 支出功能分类 class and kind of spending (either may be
        None), optionally one 二级: mined from the corpus, from reference libraries, team-written."""
        from .library import library

        return library(self.index, self.settings.corpus_dir, class_, kind, level2)

    def export(self, projects: Sequence[Project], path: PathLike, *, overwrite: bool = True) -> Path:
        """Write projects in the standard layout: .xlsx (re-imports unchanged) or .docx."""
        if Path(path).suffix.lower() == ".docx":
            from .export.docx import write_docx

            return write_docx(projects, path, overwrite=overwrite)
        from .export.xlsx import write_xlsx

        return write_xlsx(projects, path, overwrite=overwrite)

    def incomplete(self, project: Project) -> list[str]:
        """Why a table is not ready to send (asked before an export): a 二级 the framework
        requires missing, points not totalling what the framework expects, an empty goal."""
        from .review.config import ReviewConfig
        from .review.engine import review_project

        checks = ReviewConfig(select=["P701", "P702", "P708", "P709"])
        return [f.message for f in review_project(project, config=checks) if f.indicator_index is None]

    def findings(self, projects: Sequence[Project]) -> list[Finding]:
        """Rule findings on projects held in memory (a draft being edited, an upload)."""
        from .review.engine import review_projects

        return review_projects(projects)


class _JobModule(types.ModuleType):
    """A stage package that is also its job, so `from assistant import review; review(path)`
    runs Assistant().review(path) while `assistant.review.engine` still names the engine."""

    _job: str

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(Assistant(), self._job)(*args, **kwargs)


def job_module(name: str, job: str) -> None:
    """Make the package `name` callable as Assistant().`job`."""
    module = sys.modules[name]
    module.__class__ = _JobModule
    module._job = job  # type: ignore[attr-defined]
