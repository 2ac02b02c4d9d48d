"""The LLM drafter: retrieve → draft (structured) → review → one revision fed with the findings →
final review. Every row keeps only the citations that were actually retrieved; any LLM failure
gives the offline draft with a visible notice instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..index import CorpusIndex, Hit
from ..llm import LLMClient, LLMError, data_block
from ..models import Level2
from ..review.critic import findings_block
from ..review.engine import Finding, review_project
from ..review.registry import Severity
from .models import Brief, Draft, DraftIndicator, DraftTable
from .offline import brief_project, draft_offline, retrieve, source_row

MAX_EXAMPLES = 60


def number_examples(hits: Sequence[Hit]) -> dict[str, Hit]:
    """Short ids the model can cite ("P1"…), mapped to the retrieved indicators."""
    return {f"P{n}": hit for n, hit in enumerate(hits[:MAX_EXAMPLES], start=1)}


def examples_block(examples: dict[str, Hit]) -> str:
    """One numbered line per past indicator; every field is untrusted data, escaped."""
    lines = []
    for short, hit in examples.items():
        m = hit.indicator
        fields = [
            f"[{short}]",
            f"项目：{m.project_name}（{m.unit_name or '单位不详'}，{m.year or ''}年）",
            f"二级：{m.level2.value if m.level2 else ''}",
            f"三级：{m.name}",
            f"指标值：{m.target or ''}",
            f"内容：{m.target_detail or ''}",
            f"单位：{m.unit or ''}",
            f"类型：{m.comparator.value if m.comparator else ''}",
            f"评分：{m.scoring or ''}",
        ]
        lines.append(data_block(" | ".join(fields)))
    return "\n".join(lines) or "（无）"


def brief_block(brief: Brief) -> str:
    amount = f"{brief.amount:g}万元" if brief.amount is not None else "未提供"
    text = (
        f"项目名称：{brief.name}\n预算单位：{brief.unit_name or '未提供'}\n资金总额：{amount}\n"
        f"预算年度：{brief.year}\n实施期绩效目标：{brief.goal}\n补充说明：{brief.description or '无'}"
    )
    return data_block(text)


def to_indicators(table: DraftTable, examples: dict[str, Hit], notices: list[str]) -> list[DraftIndicator]:
    """Rows as indicators; a citation of anything not retrieved is dropped, with a notice."""
    rows = []
    for n, row in enumerate(table.rows, start=1):
        dropped = [s for s in row.sources if s not in examples]
        if dropped:
            notices.append(f"第 {n} 行引用了未检索到的来源 {'、'.join(dropped)}，已删除该引用。")
        rows.append(row.indicator([examples[s].id for s in row.sources if s in examples]))
    return rows


def draft_json(rows: Sequence[DraftIndicator], examples: dict[str, Hit]) -> str:
    back = {hit.id: short for short, hit in examples.items()}
    return data_block(
        json.dumps(
            {
                "rows": [
                    {
                        "level2": r.level2.value if r.level2 else "",
                        "name": r.name,
                        "target": r.target,
                        "unit": r.unit,
                        "comparator": r.comparator_raw,
                        "target_detail": r.target_detail,
                        "scoring": r.scoring,
                        "weight": r.weight,
                        "sources": [back[s] for s in r.sources if s in back],
                        "rationale": r.rationale,
                    }
                    for r in rows
                ]
            },
            ensure_ascii=False,
        )
    )


def needs_revision(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR or f.code in ("P702", "P701") for f in findings)


def draft_with_llm(index: CorpusIndex, brief: Brief, client: LLMClient, exclude_ids: Sequence[str] = ()) -> Draft:
    hits = retrieve(index, brief, exclude_ids)
    examples = number_examples(hits)
    notices: list[str] = []
    values = {"brief": brief_block(brief), "examples": examples_block(examples)}
    try:
        table = client.structured("draft", DraftTable, **values)
        rows = to_indicators(table, examples, notices)
        findings = review_project(brief_project(brief, rows))
        if needs_revision(findings):
            revised = client.structured(
                "revise", DraftTable, **values, draft=draft_json(rows, examples), findings=findings_block(findings)
            )
            rows = to_indicators(revised, examples, notices)
            findings = review_project(brief_project(brief, rows))
    except LLMError as exc:
        fallback = draft_offline(index, brief, exclude_ids, notices=[f"{exc.notice}（{exc}），已改为离线起草。"])
        return fallback.model_copy(update={"usage": list(client.usage), "model": client.settings.describe()})
    unsourced = sum(1 for r in rows if not r.sources)
    if unsourced:
        notices.append(f"{unsourced} 行没有可追溯的往年来源，请重点核对。")
    missing = [
        lv.value
        for lv in (Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS, Level2.SATISFACTION)
        if lv not in {r.level2 for r in rows}
    ]
    if missing:
        notices.append(f"草稿仍缺少：{'、'.join(missing)}。")
    used = {s for r in rows for s in r.sources}
    return Draft(
        brief=brief,
        mode="llm",
        model=client.settings.describe(),
        indicators=rows,
        findings=findings,
        notices=notices,
        usage=list(client.usage),
        retrieved={h.id: source_row(h) for h in hits if h.id in used},
    )
