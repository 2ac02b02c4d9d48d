"""Findings for people (text grouped by project, 退回意见, .xlsx) and for scripts (JSON)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..models import Project
from .engine import Finding
from .registry import REGISTRY, Severity

JSON_KEYS = ("file", "project", "indicator", "indicator_index", "code", "severity", "message", "suggestion")
_ORDINALS = "一二三四五六七八九十"


def to_json(findings: Sequence[Finding]) -> str:
    return json.dumps(
        [{key: f.to_json()[key] for key in JSON_KEYS} for f in findings],
        ensure_ascii=False,
        indent=2,
    )


def by_project(projects: Sequence[Project], findings: Sequence[Finding]) -> list[tuple[Project, list[Finding]]]:
    """Projects worst first (most errors, then warnings), each with its findings."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.project_key].append(finding)
    pairs = [(p, grouped.get(p.key, [])) for p in projects]

    def badness(pair: tuple[Project, list[Finding]]) -> tuple[int, int]:
        counts = Counter(f.severity for f in pair[1])
        return (-counts[Severity.ERROR], -counts[Severity.WARNING])

    return sorted(pairs, key=badness)


def is_returned(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def summary_line(projects: Sequence[Project], findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    returned = sum(1 for _, fs in by_project(projects, findings) if is_returned(fs))
    return (
        f"共审核 {len(projects)} 个项目：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，"
        f"{counts[Severity.INFO]} 个提示；{returned} 个项目需退回修改。"
    )


def return_opinion(project: Project, findings: Sequence[Finding]) -> str:
    """The 退回意见 a finance bureau would send for one project."""
    serious = [f for f in findings if f.severity is not Severity.INFO]
    unit = f"{project.unit_name}：" if project.unit_name else ""
    if not serious:
        return f"{unit}“{project.name}”项目绩效目标指向明确、细化量化，审核通过。"
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in sorted(serious, key=lambda f: (f.severity.rank, f.code)):
        by_code[finding.code].append(finding)
    points = []
    for n, (code, items) in enumerate(by_code.items()):
        rule = REGISTRY[code]
        rows = sorted({f.indicator for f in items if f.indicator})
        where = f"（涉及{len(rows)}条指标，如“{rows[0]}”）" if rows else ""
        ordinal = _ORDINALS[n] if n < len(_ORDINALS) else str(n + 1)
        points.append(f"{ordinal}是{rule.summary}{where}，{rule.fix.rstrip('。')}")
    if is_returned(findings):
        head = f"{unit}经审核，你单位报送的“{project.name}”项目绩效目标存在以下问题："
        tail = "。上述问题不符合绩效目标“指向明确、细化量化、合理可行”的要求，现予退回，请对照修改后重新报送。"
    else:
        head = f"{unit}经审核，“{project.name}”项目绩效目标基本符合要求，建议完善以下方面："
        tail = "。"
    return head + "；".join(points) + tail


def to_text(projects: Sequence[Project], findings: Sequence[Finding], batch: bool = False) -> str:
    lines: list[str] = []
    for project, items in by_project(projects, findings):
        if not items and not batch:
            continue
        counts = Counter(f.severity for f in items)
        lines.append(
            f"■ {project.name}（{project.source.file if project.source else '?'}）"
            f" 错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.INFO]}"
        )
        for f in items:
            where = f"第{f.indicator_index + 1}行 “{f.indicator}”" if f.indicator_index is not None else "项目"
            lines.append(f"  [{f.severity.label}] {f.code} {where}：{f.message}")
            lines.append(f"      建议：{f.suggestion}")
        if batch:
            lines.append(f"  退回意见：{return_opinion(project, items)}")
        lines.append("")
    if batch:
        lines.extend(unit_summary(projects, findings))
        lines.append("")
    lines.append(summary_line(projects, findings))
    return "\n".join(lines)


def unit_summary(projects: Sequence[Project], findings: Sequence[Finding]) -> list[str]:
    units: dict[str, list[tuple[Project, list[Finding]]]] = defaultdict(list)
    for project, items in by_project(projects, findings):
        units[project.unit_name or "（未注明单位）"].append((project, items))
    lines = ["各单位汇总："]
    for unit, pairs in sorted(units.items()):
        returned = sum(1 for _, items in pairs if is_returned(items))
        errors = sum(1 for _, items in pairs for f in items if f.severity is Severity.ERROR)
        lines.append(f"  {unit}：{len(pairs)} 个项目，{returned} 个需退回，错误 {errors} 个")
    return lines


def write_xlsx(projects: Sequence[Project], findings: Sequence[Finding], path: Path) -> Path:
    """The review report: findings, 退回意见 per project, and a per-unit summary."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..export.cells import append_row
    from ..export.xlsx import save_atomically

    book = Workbook()
    sheet = book.active
    sheet.title = "审核意见"
    headers = ["文件", "项目", "行号", "三级指标", "规则", "级别", "问题", "修改建议"]
    sheet.append(headers)
    for f in sorted(findings, key=lambda f: (f.file or "", f.project, f.severity.rank, f.indicator_index or -1)):
        row = None if f.indicator_index is None else f.indicator_index + 1
        append_row(sheet, [f.file, f.project, row, f.indicator, f.code, f.severity.label, f.message, f.suggestion])
    opinions = book.create_sheet("退回意见")
    opinions.append(["单位", "项目", "结论", "退回意见"])
    for project, items in by_project(projects, findings):
        verdict = "退回" if is_returned(items) else "通过"
        append_row(opinions, [project.unit_name, project.name, verdict, return_opinion(project, items)])
    summary = book.create_sheet("汇总")
    for line in [*unit_summary(projects, findings), summary_line(projects, findings)]:
        append_row(summary, [line.strip()])
    for ws, widths in ((sheet, (18, 24, 6, 24, 8, 6, 50, 50)), (opinions, (24, 24, 8, 100)), (summary, (80,))):
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + col)].width = width
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return save_atomically(book, path)
