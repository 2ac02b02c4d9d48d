"""The LLM drafter: read the brief → retrieve past rows through the relevance gate → draft
(structured, with the brief's facts and the gated examples) → the same gate on the model's rows
→ review → one revision fed with the findings → final review. Every row keeps only the citations
that were actually retrieved and says where it came from; any LLM failure gives the offline
draft with a visible notice instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..index import CorpusIndex, Hit
from ..llm import LLMClient, LLMError, data_block
from ..models import Level2
from ..review.critic import findings_block
from ..review.engine import Finding, review_project
from ..review.registry import Severity
from .brief_rows import rows_from_brief
from .facts import BriefFacts, read_brief
from .judge import Terms, brief_terms, judge
from .models import Brief, Draft, DraftIndicator, DraftTable
from .offline import brief_project, draft_offline, gate, retrieve, source_row

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


def draft_with_llm(
    index: CorpusIndex,
    brief: Brief,
    client: LLMClient,
    exclude_ids: Sequence[str] = (),
    corpus_dir: Path | None = None,
) -> Draft:
    facts = read_brief(brief)
    words = brief_terms(facts, brief.name, brief.goal)
    stated = rows_from_brief(brief, facts)
    hits = retrieve(index, brief, exclude_ids)
    examples = number_examples([h for h in hits if gate(h, facts, words) is not None])
    notices: list[str] = [f"项目归类：{facts.classification.describe()}"]
    values = {"brief": brief_block(brief), "facts": facts_block(facts, stated), "examples": examples_block(examples)}
    try:
        table = client.structured("draft", DraftTable, **values)
        rows = fitted(to_indicators(table, examples, notices), examples, facts, words, notices)
        findings = review_project(brief_project(brief, rows))
        if needs_revision(findings):
            revised = client.structured(
                "revise", DraftTable, **values, draft=draft_json(rows, examples), findings=findings_block(findings)
            )
            rows = fitted(to_indicators(revised, examples, notices), examples, facts, words, notices)
            findings = review_project(brief_project(brief, rows))
    except LLMError as exc:
        notice = f"{exc.notice}（{exc}），已改为离线起草。"
        fallback = draft_offline(index, brief, exclude_ids, notices=[notice], corpus_dir=corpus_dir)
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


def facts_block(facts: BriefFacts, stated: Sequence[DraftIndicator]) -> str:
    """What the brief states, its class and kind of spending, and the rows they give."""
    lines = [f"项目归类：{facts.classification.describe()}"]
    lines += [f"申报内容写明：{line}" for line in facts.lines()] or ["申报内容没有写明数量或结果"]
    lines += [
        f"可直接写成的指标：{r.level2.value if r.level2 else ''} | {r.name} | {r.target} | {r.unit}" for r in stated
    ]
    return data_block("\n".join(lines))


def fitted(
    rows: Sequence[DraftIndicator], examples: dict[str, Hit], facts: BriefFacts, words: Terms, notices: list[str]
) -> list[DraftIndicator]:
    """The model's rows through the offline drafter's gate: a row foreign to the brief is dropped
    with a notice, a generic one is kept only where its 二级 has nothing more specific; each row
    says where it came from (a cited past row, the brief, or a generic form)."""
    by_id = {hit.id: hit for hit in examples.values()}
    judged_rows = [(row, *judge(row.name, words)) for row in rows]
    specific_levels = {row.level2 for row, verdict, _ in judged_rows if verdict == "specific"}
    out = []
    for row, verdict, why in judged_rows:
        if verdict == "foreign":
            notices.append(f"模型给出的“{row.name}”{why}，已删除。")
            continue
        if verdict == "generic" and row.level2 in specific_levels:
            continue
        cited = [by_id[s] for s in row.sources if s in by_id]
        if cited:
            m = cited[0].indicator
            where = "，".join(str(x) for x in (m.unit_name, m.place or m.province, m.year) if x)
            origin, note = "similar", f"同类项目：{m.project_name}（{where}）· {why}"
        elif verdict == "specific":
            origin, note = "brief", f"从申报内容提取（模型起草）：{why}"
        else:
            origin, note = "generic", "通用：该二级没有更具体的指标（模型起草）"
        out.append(row.model_copy(update={"origin": origin, "origin_note": note}))
    return out
