"""The LLM critic: per indicator of a filing under review, a judgment, a reason and a rewrite,
on top of the rule findings. A rewrite is shown only with its own review: one that still draws
an error-level finding is marked as not passing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..llm import LLMClient, data_block
from ..models import DraftRow, Indicator, Project
from .engine import Finding, review_project
from .registry import Severity


class CritiqueItem(BaseModel):
    index: int = Field(ge=1)
    judgment: Literal["pass", "revise", "reject"]
    reason: str
    rewrite: DraftRow | None = None


class Critique(BaseModel):
    items: list[CritiqueItem]


class CriticNote(BaseModel):
    indicator_index: int  # from 0
    indicator: str
    judgment: str
    reason: str
    rewrite: Indicator | None = None
    rewrite_findings: list[Finding] = Field(default_factory=list)
    rewrite_passes: bool = False


def findings_block(findings: Sequence[Finding]) -> str:
    """Findings as prompt data: one escaped line each."""
    lines = []
    for f in findings:
        where = f"第{f.indicator_index + 1}行“{f.indicator}”" if f.indicator_index is not None else "整表"
        lines.append(data_block(f"- [{f.severity.value}] {f.code} {where}：{f.message}（建议：{f.suggestion}）"))
    return "\n".join(lines) or "（无）"


def filing_block(project: Project) -> str:
    lines = [
        f"项目：{project.name}；单位：{project.unit_name or ''}；资金总额：{project.amount}；年度：{project.year}",
        f"绩效目标：{project.goal or ''}",
    ]
    for n, ind in enumerate(project.indicators, start=1):
        lines.append(
            f"{n}. 二级：{ind.level2.value if ind.level2 else ind.level2_raw} | 三级：{ind.name} | 指标值：{ind.target} | "
            f"单位：{ind.unit} | 类型：{ind.comparator_raw} | 内容：{ind.target_detail} | 评分：{ind.scoring} | 分值：{ind.weight}"
        )
    return data_block("\n".join(lines))


def critique(project: Project, client: LLMClient, findings: list[Finding] | None = None) -> list[CriticNote]:
    """Raises LLMError when the model fails; the caller shows the rule findings alone then."""
    findings = findings if findings is not None else review_project(project)
    answer = client.structured("critique", Critique, filing=filing_block(project), findings=findings_block(findings))
    notes = []
    for item in answer.items:
        index = item.index - 1
        if not 0 <= index < len(project.indicators):
            continue
        note = CriticNote(
            indicator_index=index, indicator=project.indicators[index].name, judgment=item.judgment, reason=item.reason
        )
        if item.rewrite is not None:
            rewrite = item.rewrite.indicator()
            rows = list(project.indicators)
            rows[index] = rewrite
            checked = [
                f for f in review_project(project.model_copy(update={"indicators": rows})) if f.indicator_index == index
            ]
            note.rewrite = rewrite
            note.rewrite_findings = checked
            note.rewrite_passes = not any(f.severity is Severity.ERROR for f in checked)
        notes.append(note)
    return notes


Rewrites = dict[str, dict[int, Indicator]]  # project key → row index → accepted rewrite


def corrected(projects: Sequence[Project], rewrites: Rewrites) -> list[Project]:
    """Projects with every accepted rewrite put in place of the row it replaces."""
    out = []
    for project in projects:
        rows = list(project.indicators)
        for index, rewrite in rewrites.get(project.key, {}).items():
            rows[index] = rewrite
        out.append(project.model_copy(update={"indicators": rows}))
    return out
