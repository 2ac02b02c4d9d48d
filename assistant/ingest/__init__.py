"""Import filings (.txt text extractions, .docx, .xlsx) into the domain model.

`read_filing` picks the reader by what the tables look like, not by the file name: a 2020 申报表,
the split 目标表 of 000/001, or aligned tables (standard layout, 自评表).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import IngestError
from ..models import DocKind, Filing, Project, SourceRef
from ..normalize import detect_year
from .aligned import find_headers, read_aligned, unit_name_in
from .form2020 import is_form_table, read_form
from .grid import Table, read_tables
from .metadata import SHEET_NAME as METADATA_SHEET
from .metadata import apply_metadata
from .split import is_split_layout, read_split

SUPPORTED_SUFFIXES = (".txt", ".docx", ".xlsx", ".xlsm", ".jsonl")

__all__ = ["SUPPORTED_SUFFIXES", "IngestError", "expand_paths", "read_filing", "read_many"]


def read_filing(path: Path | str) -> Filing:
    """One file → a Filing; raises IngestError naming the file, table and row on bad input."""
    path = Path(path)
    if not path.exists():
        raise IngestError("文件不存在 (file not found)", SourceRef(file=str(path)))
    if path.stat().st_size == 0:
        raise IngestError("文件为空 (empty file)", SourceRef(file=path.name))
    if path.suffix.lower() == ".jsonl":
        return read_jsonl(path)
    tables = read_tables(path)
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
    if not projects:
        raise IngestError(
            "无法识别的格式：没有找到绩效指标表（需要含“三级指标”“指标值”列的表格）"
            " (unknown layout: no indicator table found)",
            SourceRef(file=path.name),
        )
    if not any(p.indicators for p in projects):
        raise IngestError(
            "找到了指标表，但其中没有任何三级指标行 (indicator table has no rows)",
            projects[0].source or SourceRef(file=path.name),
        )
    return Filing(
        path=str(path),
        doc_kind=projects[0].doc_kind,
        unit_name=base.unit_name or projects[0].unit_name,
        year=base.year,
        projects=projects,
    )


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
                f"不是有效的项目记录：{field} {first['msg']} (invalid project record)",
                SourceRef(file=path.name, line=number),
            ) from None
    if not projects:
        raise IngestError("文件中没有项目记录 (no project records)", SourceRef(file=path.name))
    return Filing(path=str(path), doc_kind=projects[0].doc_kind, unit_name=projects[0].unit_name,
                  year=projects[0].year, projects=projects)


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


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and every supported file under a directory, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(("~$", "."))
                )
            )
        else:
            out.append(path)
    return out


def read_many(paths: Iterable[Path | str]) -> tuple[list[Filing], list[IngestError]]:
    """Import every file; a bad file is reported, the good ones are still imported."""
    filings: list[Filing] = []
    errors: list[IngestError] = []
    for path in expand_paths(paths):
        try:
            filings.append(read_filing(path))
        except IngestError as exc:
            errors.append(exc)
    return filings, errors
