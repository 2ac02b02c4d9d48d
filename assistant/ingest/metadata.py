"""The 项目信息 sheet our .xlsx exports carry beside the standard table.

The standard 项目支出绩效目标表 has no place for a project's budget year, horizon (年度/中长期),
document kind or scope, nor for the unit of each project when one file holds several units; this
sheet keeps them, keyed by the 序号 of the main table, so an export imports back unchanged. Files
without it import as usual.
"""

from __future__ import annotations

from ..errors import IngestError
from ..models import DOC_KIND_LABELS, HORIZON_LABELS, SCOPE_LABELS, Project
from ..normalize import clean, squash
from .grid import Table

SHEET_NAME = "项目信息"
COLUMNS = ("序号", "项目名称", "单位名称", "年度", "文件类型", "范围", "期限", "中长期目标")


def _reverse(labels: dict) -> dict[str, object]:
    return {text: key for key, text in labels.items()}


def metadata_row(seq: int, project: Project) -> list[object]:
    return [
        seq,
        project.name,
        project.unit_name or "",
        project.year or "",
        DOC_KIND_LABELS[project.doc_kind],
        SCOPE_LABELS[project.scope],
        HORIZON_LABELS[project.horizon],
        project.goal_midterm or "",
    ]


def apply_metadata(projects: list[Project], table: Table) -> None:
    """Set each project's year, kind, scope, horizon and unit from the 项目信息 sheet, by 序号."""
    rows = table.rows
    header = [squash(c) for c in rows[0].cells] if rows else []
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise IngestError(
            f"“{SHEET_NAME}”表头应为 {'、'.join(COLUMNS)}",
            table.where(rows[0] if rows else None),
        )
    entries = [r for r in rows[1:] if any(clean(c) for c in r.cells)]
    if len(entries) != len(projects):
        raise IngestError(
            f"“{SHEET_NAME}”有 {len(entries)} 个项目，而指标表有 {len(projects)} 个",
            table.where(entries[0] if entries else None),
        )
    kinds, scopes, horizons = _reverse(DOC_KIND_LABELS), _reverse(SCOPE_LABELS), _reverse(HORIZON_LABELS)
    for project, row in zip(projects, entries):
        cells = [clean(c) for c in row.cells] + [""] * len(COLUMNS)
        _, name, unit, year, kind, scope, horizon, goal_midterm = cells[: len(COLUMNS)]
        if name != project.name:
            raise IngestError(
                f"“{SHEET_NAME}”第 {row.number} 行的项目“{name}”与指标表中的“{project.name}”不一致",
                table.where(row),
            )
        try:
            project.doc_kind = kinds[kind]  # type: ignore[assignment]
            project.scope = scopes[scope]  # type: ignore[assignment]
            project.horizon = horizons[horizon]  # type: ignore[assignment]
        except KeyError as exc:
            raise IngestError(f"无法识别的取值：{exc}", table.where(row)) from None
        project.unit_name = unit or None
        project.year = int(float(year)) if year else None
        project.goal_midterm = goal_midterm or None
