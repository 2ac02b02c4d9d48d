"""The LLM critic: per indicator of a filing under review, a judgment, a reason and a rewrite,
on top of the rule findings. A rewrite is shown only with its own review: one that still draws
an error-level finding is marked as not passing."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ..llm import LLMClient, data_block
from ..models import Comparator, Indicator, Project
from ..normalize import parse_number
from ..review.engine import Finding, review_project
from ..review.registry import Severity
from .llm_drafter import findings_block
from .models import DraftRow


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


def as_indicator(row: DraftRow) -> Indicator:
    comparator = Comparator(row.comparator)
    return Indicator(
        level2=row.level2,
        level1=row.level2.level1,
        name=row.name,
        target=row.target,
        target_number=parse_number(row.target),
        target_detail=row.target_detail or None,
        scoring=row.scoring or None,
        unit=row.unit or None,
        comparator=comparator,
        comparator_raw=comparator.value,
        weight=row.weight,
    )


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
            rewrite = as_indicator(item.rewrite)
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
