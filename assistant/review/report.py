"""Findings for people (text grouped by project, 退回意见, .xlsx) and for scripts (JSON)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from ..models import Horizon, Project
from .engine import Finding
from .registry import REGISTRY, Severity

JSON_KEYS = ("file", "project", "indicator", "indicator_index", "code", "severity", "message", "suggestion")
_ORDINALS = "一二三四五"
MAX_POINTS = 5  # a letter a bureau signs names the few problems that matter, not every finding
_GRADES = ("退回", "修改后通过", "通过")


def to_json(findings: Sequence[Finding]) -> str:
    return json.dumps(
        [{key: f.to_json()[key] for key in JSON_KEYS} for f in findings],
        ensure_ascii=False,
        indent=2,
    )


def by_project(projects: Sequence[Project], findings: Sequence[Finding]) -> list[tuple[Project, list[Finding]]]:
    """Projects worst first (退回, then 修改后通过; most errors, then warnings), with their findings."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.project_key].append(finding)
    pairs = [(p, grouped.get(p.key, [])) for p in projects]

    def badness(pair: tuple[Project, list[Finding]]) -> tuple[int, int, int]:
        counts = Counter(f.severity for f in pair[1])
        return (_GRADES.index(verdict(pair[1])), -counts[Severity.ERROR], -counts[Severity.WARNING])

    return sorted(pairs, key=badness)


def is_returned(findings: Sequence[Finding]) -> bool:
    return verdict(findings) == "退回"


def summary_line(projects: Sequence[Project], findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    grades = Counter(verdict(fs) for _, fs in by_project(projects, findings))
    return (
        f"共审核 {len(projects)} 个项目：{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个警告，"
        f"{counts[Severity.INFO]} 个提示；退回 {grades['退回']} 个，修改后通过 {grades['修改后通过']} 个，"
        f"通过 {grades['通过']} 个。"
    )


def return_opinion(project: Project, findings: Sequence[Finding]) -> str:
    """The 审核意见 a finance bureau would sign for one project: its grade, and the three to five
    problems that matter most (errors first, then the ones touching most rows), each with the
    sheet rows it concerns; the rest pointed to in the detailed findings."""
    grade = verdict(findings)
    unit = f"{project.unit_name}：" if project.unit_name else ""
    title = project_title(project)
    if grade == "通过":
        return f"【通过】{unit}{title}指向明确、细化量化，审核通过。"
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.severity is not Severity.INFO:
            by_code[finding.code].append(finding)
    ranked = sorted(by_code.items(), key=lambda kv: (kv[1][0].severity.rank, -len(kv[1]), kv[0]))
    points = [
        f"{_ORDINALS[n]}是{_problem(code, items)}{_rows_of(project, items)}，{REGISTRY[code].fix.rstrip('。')}"
        for n, (code, items) in enumerate(ranked[:MAX_POINTS])
    ]
    rest = len(ranked) - MAX_POINTS
    more = f"；另有{rest}类问题见审核明细" if rest > 0 else ""
    if grade == "退回":
        head = f"【退回】{unit}经审核，你单位报送的{title}存在以下问题："
        tail = "。上述问题不符合绩效目标“指向明确、细化量化、合理可行”的要求，现予退回，请对照修改后重新报送。"
    else:
        head = f"【修改后通过】{unit}经审核，{title}基本符合要求，请完善以下方面后报送："
        tail = "。"
    return head + "；".join(points) + more + tail


def to_text(projects: Sequence[Project], findings: Sequence[Finding], batch: bool = False) -> str:
    lines: list[str] = []
    for project, items in by_project(projects, findings):
        if not items and not batch:
            continue
        counts = Counter(f.severity for f in items)
        grade = verdict(items)
        lines.append(
            f"■ 【{grade}】{project_title(project)}（{project.source.file if project.source else '?'}）"
            f" 错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.INFO]}"
        )
        for f in items:
            where = (
                f"第{sheet_row(project, f.indicator_index)}行 “{f.indicator}”"
                if f.indicator_index is not None
                else "项目"
            )
            lines.append(f"  [{f.severity.label}] {f.code} {where}：{f.message}")
            lines.append(f"      建议：{f.suggestion}")
        lines.append(f"  {'退回意见' if grade == '退回' else '审核意见'}：{return_opinion(project, items)}")
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
        grades = Counter(verdict(items) for _, items in pairs)
        errors = sum(1 for _, items in pairs for f in items if f.severity is Severity.ERROR)
        lines.append(
            f"  {unit}：{len(pairs)} 个项目，退回 {grades['退回']} 个，修改后通过 {grades['修改后通过']} 个，"
            f"通过 {grades['通过']} 个；错误 {errors} 个"
        )
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
    owners = {p.key: p for p in projects}
    for f in sorted(findings, key=lambda f: (f.file or "", f.project, f.severity.rank, f.indicator_index or -1)):
        owner = owners.get(f.project_key)
        row = None if f.indicator_index is None or owner is None else sheet_row(owner, f.indicator_index)
        append_row(sheet, [f.file, f.project, row, f.indicator, f.code, f.severity.label, f.message, f.suggestion])
    opinions = book.create_sheet("退回意见")
    opinions.append(["单位", "项目", "结论", "退回意见"])
    for project, items in by_project(projects, findings):
        append_row(
            opinions, [project.unit_name, project_title(project), verdict(items), return_opinion(project, items)]
        )
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


def verdict(findings: Sequence[Finding]) -> str:
    """The grade a bureau gives: 退回 (an error: it would return the filing), 修改后通过
    (warnings only), 通过."""
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return "退回"
    return "修改后通过" if Severity.WARNING in severities else "通过"


def project_title(project: Project) -> str:
    """The project as a letter names it, with its horizon: “高龄津贴发放”（年度绩效目标）."""
    horizon = "中长期绩效目标" if project.horizon is Horizon.MIDTERM else "年度绩效目标"
    return f"“{project.name}”（{horizon}）"


def sheet_row(project: Project, index: int) -> int:
    """The row a reader finds an indicator on in the file (its position when the file has none)."""
    source = project.indicators[index].source if index < len(project.indicators) else None
    return (source.row if source else None) or index + 1


def _problem(code: str, items: Sequence[Finding]) -> str:
    """A point's problem: for the whole table, what the findings say (缺少质量指标、缺少时效指标;
    分值合计 34 分), more telling than the rule's summary; for rows, the summary."""
    if all(f.indicator_index is None for f in items):
        said = list(dict.fromkeys(f.message.rstrip("。") for f in items))
        return "、".join(said[:4]) + ("等" if len(said) > 4 else "")
    return REGISTRY[code].summary


def _rows_of(project: Project, items: Sequence[Finding]) -> str:
    """The rows a point concerns, by the sheet row a reader finds them on: 第12、15行."""
    rows = sorted({sheet_row(project, f.indicator_index) for f in items if f.indicator_index is not None})
    if not rows:
        return "（整表）"
    shown = "、".join(str(r) for r in rows[:6]) + ("等" if len(rows) > 6 else "")
    return f"（第{shown}行）"
