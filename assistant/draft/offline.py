"""The offline drafter: rows the brief states first, then, for each 二级 the framework requires
and the brief leaves empty, rows of similar past projects and of the indicator library that pass
the relevance gate, and a generic form only where nothing specific exists. No model, no network.

The gate: a past row is offered only if its project is like this one beyond words (same
支出功能分类 class, or measured objects in common) and the row itself is not foreign to the brief
(`judge`); a library entry only if it is for this class or kind of spending and, filled with the
brief's main object, not foreign either. Every row says where it came from (`origin`) and why.

"Best" among the candidates of a 二级 is decided by the review engine: a candidate is used only
if, once adapted (new amount, year, unit, points and scoring rule, the repairs in `repairs`),
it draws no error or warning beside the rows chosen before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..index import CorpusIndex, Filters, Hit
from ..library import LibraryEntry, library
from ..models import Comparator, DocKind, Horizon, Indicator, Level2, Project
from ..normalize import comparator_of, indicator_label
from ..normalize import split_value as split_measurement
from ..review.engine import Finding, review_project
from ..review.formula import Formula, parse_rule
from ..review.lexicon import load_lexicon
from ..review.registry import Severity
from ..review.rules.type_unit import plain_unit
from .brief_rows import rows_from_brief, with_scoring
from .facts import BriefFacts, read_brief
from .judge import KIND_WORDS, Terms, brief_terms, judge, named_share, objects_of, objects_shared
from .models import Brief, Draft, DraftIndicator, SourceRow
from .templates import EFFECTS, PLAN, scoring_for, template_row

K_PROJECTS = 8
CANDIDATES = 12  # past rows tried per 二级, best project first
EXTRA_ORIGINS = ("similar", "library")  # candidates that may join a slot the brief already fills
SLOTS = {  # the most rows a 二级 slot takes: brief rows first, then specific candidates
    Level2.ECONOMIC_COST: 2,
    Level2.QUANTITY: 4,
    Level2.QUALITY: 2,
    Level2.TIMELINESS: 1,
    Level2.SOCIAL_BENEFIT: 2,
    Level2.SATISFACTION: 1,
}


def retrieve(index: CorpusIndex, brief: Brief, exclude_ids: Sequence[str] = ()) -> list[Hit]:
    """Indicators of the past annual projects most like the brief (its words, class, kind of
    spending and the objects its stated rows measure), best project first; projects like it in
    words only are left out."""
    facts = read_brief(brief)
    query = brief_project(brief, rows_from_brief(brief, facts))
    filters = Filters(horizon=Horizon.ANNUAL.value, exclude_ids=list(exclude_ids))
    projects = [p for p in index.like_project(query, K_PROJECTS, filters) if p.relevant]
    return [h for h in index.rows_of(projects) if h.meta.horizon is Horizon.ANNUAL]


# what a 时效 row's name says when it measures time: 完成时间, 时限, 及时率, 按期, 工期, 日期, 按月,
# 天数, 按季, 年底, 审限, 进度, 完工
_TIME_WORD = re.compile(r"[时期日月周天年季限]|进度|截止|完工")


def gate(hit: Hit, facts: BriefFacts, words: Terms) -> str | None:
    """Why a past row may be offered for this brief, or None when it may not: it measures
    something the brief speaks of, or it is a general row of a project of the same class and
    kind of spending. A row foreign to the brief never passes, nor one filed under 时效 that
    measures no time."""
    meta = hit.indicator
    if meta.level2 is Level2.TIMELINESS and not _TIME_WORD.search(meta.name):
        return None  # misfiled where it was found: 县级储备粮应急保障率 is no 时效
    verdict, why = judge(meta.name, words)
    if verdict == "foreign":
        return None
    about = facts.classification
    if verdict == "specific":
        objects = objects_of(meta.name)
        if about.kind and meta.kind != about.kind and len(objects_shared(objects, words.words)) < len(objects):
            # from another kind of spending, every object must be the brief's: a training that
            # speaks of 蔬菜 does not count a subsidy's 桃树种植面积
            return None
        if about.class_ is not None and meta.class_ == about.class_:
            return why
        # from another class, what every project of its kind deals in (参训, 学员) is not enough:
        # most of what the row measures beyond that must be the brief's own (a nurses' training's
        # 就业率 is no measure of a deputies' training)
        kind_words = set(KIND_WORDS.get(about.kind or "", ()))
        beyond = [o for o in objects if o not in kind_words]
        own = objects_shared(beyond, words.words - kind_words)
        return why if own and 2 * len(own) >= len(beyond) else None
    same = bool(about.class_) and meta.class_ == about.class_ and bool(about.kind) and meta.kind == about.kind
    return f"同为{about.class_}、{about.kind}" if same else None


def source_row(hit: Hit) -> SourceRow:
    m = hit.indicator
    return SourceRow(
        id=hit.id,
        project=m.project_name,
        unit_name=m.unit_name,
        year=m.year,
        level2=m.level2.value if m.level2 else None,
        name=m.name,
        target=m.target,
        scoring=m.scoring,
    )


def brief_project(brief: Brief, rows: Sequence[Indicator]) -> Project:
    return Project(
        doc_kind=DocKind.TARGET_TABLE,
        unit_name=brief.unit_name,
        year=brief.year,
        name=brief.name,
        amount=brief.amount,
        goal=brief.goal,
        indicators=list(rows),
    )


def table_findings(brief: Brief, rows: Sequence[Indicator]) -> list[Finding]:
    """The review of a draft table as the project the brief describes."""
    return review_project(brief_project(brief, rows))


def row_findings(row: Indicator, brief: Brief, others: Sequence[Indicator] = ()) -> list[Finding]:
    """Findings on one row, judged inside a project carrying the brief's money and year and the
    rows chosen so far (some rules look across the table, e.g. 满意度 standing in for 效益)."""
    return [f for f in review_project(brief_project(brief, [*others, row])) if f.indicator_index == len(others)]


def badness(findings: Sequence[Finding]) -> tuple[int, int]:
    return (sum(f.severity is Severity.ERROR for f in findings), sum(f.severity is Severity.WARNING for f in findings))


def fit_scoring(row: DraftIndicator, weight: float) -> DraftIndicator:
    """Give the row `weight` points and a scoring rule that states them and parses."""
    rule = parse_rule(row.scoring, load_lexicon().words.discretionary) if row.scoring else None
    scoring: str | None
    if isinstance(rule, Formula) and rule.points is None and rule.kind != "tiers":
        scoring = f"{weight:g}分；{row.scoring}"
    elif isinstance(rule, Formula) and rule.points == weight and rule.kind != "threshold_linear":
        scoring = row.scoring
    else:
        scoring = scoring_for(row.comparator, row.unit or "", weight, row.target or "")
    return row.model_copy(update={"weight": weight, "scoring": scoring})


def weighted(row: DraftIndicator, weight: float) -> DraftIndicator:
    """The row with `weight` points: a past row keeps its own scoring rule where it still fits
    (`fit_scoring`), any other takes the rule for its type (`with_scoring`)."""
    return fit_scoring(row, weight) if row.origin == "similar" else with_scoring(row, weight)


_REVERSE = re.compile(r"时间|时限|时长|成本|费用|差错|事故|投诉")


def split_value(target: str, name: str) -> tuple[str, str, str]:
    """ "30人" → ("30", "人", "≥"); "≥99%" → ("99", "%", "≥"); a text value → (text, "无", "定性")."""
    parts = split_measurement(target)
    if parts is not None:
        comparator, number, unit = parts
        direction = comparator.value if comparator else ("≤" if _REVERSE.search(name) else "≥")
        unit = plain_unit(unit)  # ≥98百分比 → 98 %
        if unit == "比例" and number <= 1:
            number, unit = number * 100, "%"  # ≥0.97比例 → 97 %
        return f"{number:g}", unit.replace("％", "%"), direction
    return target, "无", "定性"


def adapt(hit: Hit, brief: Brief, weight: float) -> DraftIndicator:
    """A past row rewritten for the new project: year, unit, money, points."""
    m = hit.indicator
    old_year, old_unit = m.year, m.unit_name

    def fix(text: str | None) -> str:
        text = text or ""
        if old_year and brief.year:
            text = text.replace(str(old_year), str(brief.year))
        if old_unit and brief.unit_name and old_unit != brief.unit_name:
            text = text.replace(old_unit, brief.unit_name)
        return text

    level2 = m.level2 or Level2.QUANTITY  # only rows with a 二级 are offered
    target, detail, unit = fix(m.target), fix(m.target_detail), plain_unit(m.unit)
    scoring = fix(m.scoring)
    comparator_raw = m.comparator.value if m.comparator else None
    if not comparator_raw or split_measurement(target):  # "≥99%", "30人": the value cell carries them
        value, written_unit, direction = split_value(target, m.name)
        if written_unit == "%" and unit == "比例":
            unit = "%"  # the value was rescaled to a percentage (split_value)
        target, unit, comparator_raw = value, unit or written_unit, comparator_raw or direction
    if level2 is Level2.ECONOMIC_COST and brief.amount is not None:
        target, unit, comparator_raw = f"{brief.amount:g}", "万元", "≤"
        detail = f"{brief.name}全年支出控制在资金总额{brief.amount:g}万元以内"
        scoring = ""  # the old rule names the old amount
    comparator = comparator_of(comparator_raw)
    if level2 is Level2.SATISFACTION and comparator is Comparator.EQ:
        comparator = Comparator.GE  # "95% =" means a floor; a new project's scoring rule needs it said
    row = DraftIndicator(
        level2=level2,
        name=fix(indicator_label(m.name)),
        target=target,
        target_detail=detail,
        scoring=scoring,
        unit=unit,
        comparator=comparator,
        comparator_raw=comparator.value if comparator else comparator_raw,
        weight=weight,
        sources=[hit.id],
        rationale=f"取自{m.year or ''}年“{m.project_name}”（{old_unit or '单位不详'}）的{level2.value}，"
        "已按本项目调整年份、单位和分值；数值请按本项目实际核定",
    )
    return fit_scoring(row, weight) if weight else row  # points are given once the table is planned


def _satisfaction_name(row: DraftIndicator) -> str | None:
    """A past 满意度 row with a vague value ("群众 | 满意") keeps whose satisfaction it measures and
    takes the template's value, unit and direction: that form does not depend on the project.
    (时效 rows are not repaired this way: a year-end deadline rarely fits the name they had —
    "参会时间 ≤ 12月31日", "处理时限 ≤ 12月31日" read as nonsense.)"""
    if row.level2 is not Level2.SATISFACTION:
        return None
    return row.name if "满意" in row.name else f"{row.name}满意度"


def repairs(row: DraftIndicator, findings: Sequence[Finding], brief: Brief) -> list[DraftIndicator]:
    """Cheap rewrites of a past row that fails review for a reason a template can fix."""
    codes = sorted({f.code for f in findings})
    out = []
    if any(c.startswith("S") for c in codes):
        out.append(
            row.model_copy(
                update={
                    "scoring": scoring_for(row.comparator, row.unit or "", row.weight or 0.0, row.target or ""),
                    "rationale": f"{row.rationale}；原评分规则未通过审核（{'、'.join(c for c in codes if c[0] == 'S')}），"
                    "已改为按指标类型的扣分写法",
                }
            )
        )
    name = _satisfaction_name(row)
    if name and row.level2 is not None and any(c[0] in "VTK" for c in codes):
        form = template_row(row.level2, brief, row.weight or 0.0)
        out.append(
            row.model_copy(
                update={
                    "name": name,
                    **{
                        k: getattr(form, k)
                        for k in (
                            "target",
                            "target_number",
                            "target_detail",
                            "unit",
                            "comparator",
                            "comparator_raw",
                            "scoring",
                        )
                    },
                    "rationale": f"{row.rationale}；原指标值不可衡量（{'、'.join(c for c in codes if c[0] in 'VTK')}），"
                    "已改为标准写法",
                }
            )
        )
    return out


def judged(
    row: DraftIndicator, brief: Brief, others: Sequence[Indicator] = ()
) -> tuple[tuple[int, int], DraftIndicator]:
    """The row and its badness, or a repaired copy of it (see `repairs`) if that is better."""
    findings = row_findings(row, brief, others)
    best = (badness(findings), row)
    if best[0] != (0, 0):
        for candidate in repairs(row, findings, brief):
            best = min(best, (badness(row_findings(candidate, brief, others)), candidate), key=lambda e: e[0])
    return best


def similar_candidates(hits: Sequence[Hit], brief: Brief, facts: BriefFacts, words: Terms) -> list[DraftIndicator]:
    """Past rows through the gate, adapted to the brief, each with its origin and reason."""
    out = []
    for hit in hits:
        reason = gate(hit, facts, words)
        if reason is None or hit.indicator.level2 is None:
            continue
        m = hit.indicator
        where = "，".join(str(x) for x in (m.unit_name, m.place or m.province, m.year) if x)
        row = adapt(hit, brief, 0)
        note = f"同类项目：{m.project_name}（{where}）· {reason}"
        if _their_quantity(row):
            note += "；指标值是该项目的数量，请按本项目实际修改"
        out.append(row.model_copy(update={"origin": "similar", "origin_note": note}))
    return out


def _their_quantity(row: DraftIndicator) -> bool:
    """A count or size of the past project (485 条, 1346 万平方米): true of that project, not of
    this one, unlike a rate or a standard."""
    unit = (row.unit or "").strip()
    return row.level2 is Level2.QUANTITY and row.target_number is not None and unit not in ("", "%", "日期", "无")


def library_candidates(corpus_dir: Path | None, brief: Brief, facts: BriefFacts, words: Terms) -> list[DraftIndicator]:
    """Library entries (team-written and reference) for the brief's class and kind of spending,
    filled with its main object, whose target holds for any such project, and that are not
    foreign to it."""
    about = facts.classification
    if not about.class_ and not about.kind:
        return []
    entries = library(None, corpus_dir, about.class_, about.kind, sources=("team", "reference"))
    out: list[tuple[tuple, DraftIndicator]] = []
    for entry in entries:
        if not entry_is_standard(entry):
            continue  # a count or an amount must come from the brief, not from an example
        if entry.when and not any(word in words.text for word in entry.when):
            continue  # 案件按期办结率 fits an enforcement project, not a census
        filled = entry.filled(facts.main_object, brief.year)
        if filled is None or judge(filled.name, words)[0] == "foreign":
            continue
        if "发放及时率" in filled.name and (period := _PAID_EVERY.search(words.text)):
            paid = _PERIODS.get(period.group(1), period.group(1))
            name = filled.name.replace("发放及时率", f"{paid}发放及时率")
            filled = filled.model_copy(update={"name": name})
        out.append((_fit(filled.name, entry, words), entry_row(filled, brief)))
    return [row for _, row in sorted(out, key=lambda ranked: ranked[0])]


def _fit(name: str, entry: LibraryEntry, words: Terms) -> tuple[int, float, bool, bool]:
    """Library rows in the order they fit a brief: those whose objects the brief mostly names
    (公厕服务质量考核合格率, 生产投诉举报办结时限), then those of nothing specific (培训考核合格率),
    then those it names half or less of (道路保洁质量考核达标率 for a 公厕 brief); within each, the
    brief's class's before its kind's alone (畜禽粪污综合利用率 before 管护责任落实率)."""
    share = named_share(name, words)
    group = 1 if share is None else 0 if share > 0.5 else 2
    return group, -(share or 0.0), not (entry.class_ and entry.kind), not entry.class_


_STANDARD_UNITS = {"%", "％", "日期", "小时", "工作日", "天"}
# how often the brief says it pays (按季度足额发放): the library's on-time row says it too
# (每月, 每年 and 每季度 are left out: 每人每月80元 is a standard, not how often it is paid)
_PAID_EVERY = re.compile(r"(按月|按季度|按季|按半年|按年(?!度)|一次性)")
_PERIODS = {"按季度": "按季", "一次性": ""}  # as the row writes it; the others as the brief does


def entry_row(entry: LibraryEntry, brief: Brief) -> DraftIndicator:
    comparator = comparator_of(entry.comparator or "") or Comparator.GE
    unit = entry.unit or ("日期" if entry.level2 is Level2.TIMELINESS else "")
    target = entry.target or ""
    if entry.level2 is Level2.TIMELINESS and not target:
        target = "100" if unit in ("%", "％") else f"{brief.year}年12月31日"
    return DraftIndicator(
        level2=entry.level2,
        name=entry.name,
        target=target,
        target_detail=entry.detail or "",
        unit=unit,
        comparator_raw=comparator.value,
        weight=0,
        origin="library",
        origin_note=f"指标库：{entry.describe()}",
        rationale=f"指标库中{entry.kind or entry.class_ or ''}类项目的{entry.level2.value}；数值请按本项目实际核定",
    )


def _slot(level2: Level2) -> tuple[Level2, ...]:
    return EFFECTS if level2 is Level2.SOCIAL_BENEFIT else (level2,)


def _split(weight: float, n: int) -> list[float]:
    """`weight` points over n rows, in whole points where they divide."""
    base = int(weight // n)
    if base == 0:
        return [round(weight / n, 1)] * n
    extra = int(weight - base * n)
    return [float(base + (1 if i < extra else 0)) for i in range(n)]


_RATE_TAIL = re.compile(r"([\u4e00-\u9fff]{2}率|满意度)$")


def _same_row(a: DraftIndicator, b: DraftIndicator) -> bool:
    """The same row, or the same measure twice: 发放准确率 and 高龄补助发放准确率; 培训合格率
    and 乡村教师能力培训考核合格率 (one rate, of things that share a word); under two 效益
    levels, 规上工业增加值增长率 and 推动规上工业增加值增长率 (one rate of the same objects)."""
    if a.name == b.name or (bool(a.sources) and a.sources == b.sources):
        return True
    across = a.level2 is not b.level2
    if across and not {a.level2, b.level2} <= set(EFFECTS):
        return False
    short, long_ = sorted((a.name, b.name), key=len)
    if len(short) >= 4 and long_.endswith(short):
        return True
    tail_a, tail_b = _RATE_TAIL.search(a.name), _RATE_TAIL.search(b.name)
    if not (tail_a and tail_b and tail_a.group(1) == tail_b.group(1)):
        return False
    if across:  # one result under two 效益 levels: the same rate of mostly the same objects
        objects_a, objects_b = ({o for o in objects_of(r.name) if not o.endswith("率")} for r in (a, b))
        return 2 * len(objects_a & objects_b) >= max(len(objects_a), len(objects_b), 1)
    of_a, of_b = a.name[: tail_a.start()], b.name[: tail_b.start()]
    return any(of_a[i : i + 2] in of_b for i in range(len(of_a) - 1))


def plan_rows(
    brief: Brief, stated: Sequence[DraftIndicator], candidates: Sequence[DraftIndicator], words: Terms
) -> list[DraftIndicator]:
    """The table: per 二级 of the plan, the rows the brief states; where it states none, the
    first candidate that passes review (similar-project rows that measure the brief's objects,
    then library entries, then other rows of projects of the same class and kind); beside them,
    similar-project rows that measure the brief's objects, up to the slot's size; a generic form
    only where the 二级 is still empty. The amount is the brief's alone: no candidate for 成本."""
    rows: list[DraftIndicator] = []

    def passing(row: DraftIndicator, chosen: list[DraftIndicator], weight: float) -> DraftIndicator | None:
        if any(_same_row(row, c) for c in chosen):
            return None
        badness_, fixed = judged(weighted(row, weight), brief, [*rows, *chosen])
        return fixed if badness_ == (0, 0) else None

    for level2, weight in PLAN:
        levels = _slot(level2)
        chosen: list[DraftIndicator] = []
        for row in (r for r in stated if r.level2 in levels):
            passed = passing(row, chosen, weight) if len(chosen) < SLOTS[level2] else None
            if passed is not None:
                chosen.append(passed)
        pool = [] if level2 is Level2.ECONOMIC_COST else [c for c in candidates if c.level2 in levels]
        if not chosen:
            first = next((f for f in (passing(c, chosen, weight) for c in pool) if f is not None), None)
            chosen += [first] if first is not None else []
        for row in pool:
            if len(chosen) >= SLOTS[level2]:
                break
            if row.origin in EXTRA_ORIGINS and judge(row.name, words)[0] == "specific":
                fixed = passing(row, chosen, weight)
                if fixed is not None:
                    chosen.append(fixed)
        if not chosen:
            chosen = [template_row(level2, brief, weight)]
        for row, points in zip(chosen, _split(weight, len(chosen))):
            rows.append(weighted(row, points))
    return rows


def draft_offline(
    index: CorpusIndex,
    brief: Brief,
    exclude_ids: Sequence[str] = (),
    notices: Sequence[str] = (),
    corpus_dir: Path | None = None,
) -> Draft:
    facts = read_brief(brief)
    words = brief_terms(facts, brief.name, brief.goal)
    stated = rows_from_brief(brief, facts)
    hits = retrieve(index, brief, exclude_ids)
    rows = plan_rows(brief, stated, candidates_for(index, brief, facts, words, corpus_dir, hits), words)
    notes = list(notices)
    notes.append(f"项目归类：{facts.classification.describe()}")
    if facts.lines():
        notes.append(f"从申报内容读出：{'；'.join(facts.lines())}")
    if brief.amount is None:
        notes.append("未提供资金总额：成本指标的金额需要补填。")
    if not hits:
        notes.append("语料中没有相似的往年项目（同一功能分类或衡量相同对象）；行取自申报内容、指标库和通用写法。")
    findings = review_project(brief_project(brief, rows))
    used = {s for r in rows for s in r.sources}
    return Draft(
        brief=brief,
        mode="offline",
        indicators=rows,
        findings=findings,
        notices=notes,
        retrieved={h.id: source_row(h) for h in hits if h.id in used},
    )


def redraft(
    index: CorpusIndex, brief: Brief, rows: Sequence[DraftIndicator], level: Level2, corpus_dir: Path | None = None
) -> DraftIndicator:
    """Another row for one 二级 of a draft: the first gated candidate (similar-project rows that
    measure the brief's objects, library entries, other rows of the same class and kind) not in
    the draft yet that passes review beside the draft's other rows; else the generic form."""
    weight = next((r.weight for r in rows if r.level2 is level and r.weight), None) or 10.0
    facts = read_brief(brief)
    words = brief_terms(facts, brief.name, brief.goal)
    others = [r for r in rows if r.level2 is not level]
    for candidate in candidates_for(index, brief, facts, words, corpus_dir):
        if candidate.level2 is not level or any(_same_row(candidate, r) for r in rows):
            continue
        badness_, fixed = judged(weighted(candidate, weight), brief, others)
        if badness_ == (0, 0):
            return fixed
    return template_row(level, brief, weight)


def entry_is_standard(entry: LibraryEntry) -> bool:
    """An entry whose target holds for any project of its kind: a rate, a deadline, a response
    time, zero incidents. Its counts and amounts are examples, and are not drafted; nor is an
    entry with no target (a reference list's name) unless its target follows from the name:
    the year's end for a deadline, 100 for an on-time rate."""
    unit = entry.unit or ("日期" if entry.level2 is Level2.TIMELINESS else "")
    if not (entry.target or "").strip():
        return entry.level2 is Level2.TIMELINESS and (unit == "日期" or bool(_ON_TIME_RATE.search(entry.name)))
    return unit in _STANDARD_UNITS or (entry.target or "").strip() == "0"


_ON_TIME_RATE = re.compile(r"(?:及时|按时|按期)[\u4e00-\u9fff]{0,4}率$")


def candidates_for(
    index: CorpusIndex,
    brief: Brief,
    facts: BriefFacts,
    words: Terms,
    corpus_dir: Path | None,
    hits: Sequence[Hit] | None = None,
) -> list[DraftIndicator]:
    """Every row that may fill a 二级 the brief leaves empty, best first: similar-project rows
    that measure the brief's objects, library entries, then general rows of projects of the same
    class and kind of spending. All passed the gate. `hits`: the past rows, when already found."""
    similar = similar_candidates(retrieve(index, brief) if hits is None else hits, brief, facts, words)
    specific = [c for c in similar if judge(c.name, words)[0] == "specific"]
    general = [c for c in similar if c not in specific]
    return [*specific, *library_candidates(corpus_dir, brief, facts, words), *general]
