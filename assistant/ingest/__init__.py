"""Import filings (.txt text extractions, .docx, .xlsx, filing records .json) into the domain model.

`read_filing` picks the reader by what the tables look like, not by the file name: a 2020 申报表,
the split 目标表 of 000/001, or aligned tables (standard layout, 自评表). Every file is checked
against the input limits before it is parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..config import InputLimits
from ..errors import IngestError
from ..models import DocKind, Filing, Project, SourceRef
from ..normalize import detect_year
from .aligned import find_headers, read_aligned, unit_name_in
from .form2020 import is_form_table, read_form
from .grid import Table, check_size, read_tables
from .metadata import SHEET_NAME as METADATA_SHEET
from .metadata import apply_metadata
from .record import read_record
from .split import is_split_layout, read_split

SUPPORTED_SUFFIXES = (".txt", ".docx", ".xlsx", ".xlsm", ".jsonl", ".json")
# Folders of a corpus that hold data about the filings (labels, indicator libraries), not filings.
NOT_FILINGS = frozenset({"labels", "reference"})
# Office formats we cannot read, named when met in a folder so nobody thinks they were imported.
UNREADABLE_SUFFIXES = {".xls": ".xlsx", ".doc": ".docx", ".wps": ".docx", ".et": ".xlsx", ".pdf": ".docx 或 .xlsx"}

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Batch",
    "IngestError",
    "Skipped",
    "expand_paths",
    "read_batch",
    "read_filing",
    "read_many",
    "scan_paths",
]


def read_filing(path: Path | str, limits: InputLimits | None = None) -> Filing:
    """One file → a Filing; raises IngestError naming the file, table and row on bad input."""
    path = Path(path)
    limits = limits or InputLimits()
    if not path.is_file():
        raise IngestError("文件不存在", SourceRef(file=str(path)))
    if path.stat().st_size == 0:
        raise IngestError("文件为空", SourceRef(file=path.name))
    check_size(path, limits)
    if path.suffix.lower() == ".jsonl":
        return read_jsonl(path)
    if path.suffix.lower() == ".json":
        projects = read_record(path)
        return Filing(
            path=str(path),
            doc_kind=projects[0].doc_kind if projects else DocKind.TARGET_TABLE,
            unit_name=projects[0].unit_name if projects else None,
            year=projects[0].year if projects else None,
            projects=_checked(projects, path),
        )
    tables = read_tables(path, limits)
    text = "\n".join(t.text() for t in tables) + "\n" + path.stem
    base = Project(
        doc_kind=DocKind.TARGET_TABLE,
        unit_name=unit_name_in(text),
        year=detect_year(text),
        name="",
    )
    projects = _read_projects([t for t in tables if t.name != METADATA_SHEET], base)
    for table in tables:
        if table.name == METADATA_SHEET:
            apply_metadata(projects, table)
    projects = _checked(projects, path)
    return Filing(
        path=str(path),
        doc_kind=projects[0].doc_kind,
        unit_name=base.unit_name or projects[0].unit_name,
        year=base.year,
        projects=projects,
    )


def _checked(projects: list[Project], path: Path) -> list[Project]:
    if not projects:
        raise IngestError(
            "无法识别的格式：没有找到绩效指标表（需要含“三级指标”“指标值”列的表格）", SourceRef(file=path.name)
        )
    if not any(p.indicators for p in projects):
        raise IngestError("找到了指标表，但其中没有任何三级指标行", projects[0].source or SourceRef(file=path.name))
    return projects


def read_jsonl(path: Path) -> Filing:
    """Projects written by `assistant ingest` (one JSON object per line)."""
    projects: list[Project] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            projects.append(Project.model_validate_json(line))
        except ValueError as exc:
            first = exc.errors()[0] if hasattr(exc, "errors") else {"msg": str(exc), "loc": ()}
            field = ".".join(str(x) for x in first.get("loc", ()))
            raise IngestError(
                f"不是有效的项目记录：{field} {first['msg']}", SourceRef(file=path.name, line=number)
            ) from None
    if not projects:
        raise IngestError("文件中没有项目记录", SourceRef(file=path.name))
    return Filing(
        path=str(path),
        doc_kind=projects[0].doc_kind,
        unit_name=projects[0].unit_name,
        year=projects[0].year,
        projects=projects,
    )


def _read_projects(tables: list[Table], base: Project) -> list[Project]:
    forms = [t for t in tables if is_form_table(t)]
    if forms:
        return [p for t in forms for p in read_form(t, base)]
    if is_split_layout(tables):
        return read_split(tables, base)
    projects: list[Project] = []
    for table in tables:
        if find_headers(table):
            projects.extend(read_aligned(table, base))
    return projects


class Skipped(NamedTuple):
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"文件 {self.path.name}：{self.reason}"


def _skip_reason(path: Path) -> str | None:
    """Why a file met in a folder is not imported; None for a filing to import. Files that are
    not filings at all (notes, manifests) are passed over without a word."""
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        return None if suffix not in SUPPORTED_SUFFIXES else "Office 的临时文件，已跳过"
    if path.name.startswith("."):
        return "隐藏文件（名称以“.”开头），已跳过" if suffix in SUPPORTED_SUFFIXES else None
    if suffix in UNREADABLE_SUFFIXES:
        return f"不支持 {suffix} 格式，已跳过；请另存为 {UNREADABLE_SUFFIXES[suffix]} 后再导入"
    return "" if suffix in SUPPORTED_SUFFIXES else None


def scan_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[Skipped]]:
    """Files as given, and every supported file under a directory, in a stable order; files in a
    folder that look like filings but will not be read are listed with the reason."""
    out: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            out.append(path)
            continue
        inside = (p for p in path.rglob("*") if p.is_file())
        for found in sorted(p for p in inside if not NOT_FILINGS & set(p.relative_to(path).parts[:-1])):
            reason = _skip_reason(found)
            if reason == "":
                out.append(found)
            elif reason:
                skipped.append(Skipped(found, reason))
    return out, skipped


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    return scan_paths(paths)[0]


class Batch(NamedTuple):
    """What a batch import gives: the filings read, the files that failed, the files skipped."""

    filings: list[Filing]
    errors: list[IngestError]
    skipped: list[Skipped]


def read_batch(paths: Iterable[Path | str], limits: InputLimits | None = None) -> Batch:
    """Import every file; a bad file is reported, the good ones are still imported."""
    files, skipped = scan_paths(paths)
    filings: list[Filing] = []
    errors: list[IngestError] = []
    for path in files:
        try:
            filings.append(read_filing(path, limits))
        except IngestError as exc:
            errors.append(exc)
    return Batch(filings, errors, skipped)


def read_many(paths: Iterable[Path | str], limits: InputLimits | None = None) -> tuple[list[Filing], list[IngestError]]:
    batch = read_batch(paths, limits)
    return batch.filings, batch.errors
