"""S: a 评（扣）分标准 someone else could apply to the actual value and get the same points."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...models import Indicator
from ..formula import Formula, Refusal, direction_of, parse_rule, tier_problems
from ..registry import Context, Severity, rule
from ..text import quote

_SCORING_CLAUSE = re.compile(r"[^，,；;。]*(?:扣分|扣\d|扣完|得分|计分|不得分)[^，,；;。]*")


def scoring_of(ind: Indicator, ctx: Context) -> str:
    """The row's scoring rule: its own column or, in layouts without one (the 2020 申报表), the
    scoring clauses written into the value ("在规定时间节点内完成，超过节点扣分。")."""
    if ind.scoring or ctx.has_scoring_column:
        return ind.scoring or ""
    return _scoring_clauses(ind.target or "")


@lru_cache(maxsize=1 << 14)
def _scoring_clauses(target: str) -> str:
    return "，".join(c.strip() for c in _SCORING_CLAUSE.findall(target))


def parsed(ind: Indicator, ctx: Context) -> Formula | Refusal:
    return parse_rule(scoring_of(ind, ctx), ctx.lexicon.words.discretionary)


@rule(
    code="S601",
    name="score-missing",
    severity=Severity.ERROR,
    summary="没有填写评（扣）分标准",
    why="没有评分标准，自评时无法给分。",
    source="财预〔2021〕101号 模板（unverified）",
    bad="专项审计覆盖监管企业数 | 5 | 家 | = · 评分：5家得10分，每少一家扣2分，扣完为止\n完成时限 | 2024年底",
    good=(
        "专项审计覆盖监管企业数 | 5 | 家 | = · 评分：5家得10分，每少一家扣2分，扣完为止\n"
        "专项审计完成时间 | 2024-12-31 | 日期 | ≤ · 评分：按期完成得10分；每逾期5天扣2分，扣完为止"
    ),
    fix="写明分值和计分公式（见 §5 模板）。",
)
def check_score_missing(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not (ind.scoring or "").strip() and ctx.has_scoring_column:
        yield f"{quote(ind.name, 20)}没有评（扣）分标准"


@rule(
    code="S602",
    name="score-discretionary",
    severity=Severity.ERROR,
    summary="评分标准靠“视情况”“酌情”“按完成情况”裁量，没有公式",
    why="两个评价人应当对同一实际值算出相同得分；裁量性措辞做不到。",
    source="财预〔2020〕10号 自评计分（unverified）",
    bad="享受补助人数 | 130 | 人 | ≥ · 评分：视情况，扣分，扣完为止",
    good="享受补助人数 | 130 | 人 | ≥ · 评分：10分；得分=10×min(实际/目标,1)",
    fix="改为公式：每少1个百分点扣1分、完成率×分值、分档计分等。",
    implements=("R-SCORE-DISCRETIONARY",),
)
def check_score_discretionary(ind: Indicator, ctx: Context) -> Iterator[str]:
    result = parsed(ind, ctx)
    if isinstance(result, Refusal) and result.reason == "discretionary":
        yield f"评分标准含裁量性措辞“{result.phrase}”：{quote(scoring_of(ind, ctx))}"


@rule(
    code="S603",
    name="score-no-amount",
    severity=Severity.ERROR,
    summary="写了“扣分”却没写扣多少",
    why="扣分幅度不明，得分就不确定。",
    source="indicator-rules.md §3.6（unverified）",
    bad="时效指标 › 时间节点 | 在规定时间节点内完成，超过节点扣分。",
    good="时效指标 › 督查任务完成时间 | 2024-12-31 | 日期 | ≤ · 评分：按期得10分；每逾期1个工作日扣1分，扣完为止",
    fix="写明每单位差距扣几分。",
    implements=("R-SCORE-NO-AMOUNT",),
)
def check_score_no_amount(ind: Indicator, ctx: Context) -> Iterator[str]:
    result = parsed(ind, ctx)
    if isinstance(result, Refusal) and result.reason == "no_amount":
        yield f"评分标准只说扣分、没写扣多少：{quote(scoring_of(ind, ctx))}"


def formula_maximum(formula: Formula) -> float | None:
    if formula.kind == "threshold_linear" and formula.multiplier is not None:
        return formula.multiplier
    if formula.kind == "tiers" and formula.tiers:
        return max(t.points for t in formula.tiers)
    return formula.points


@rule(
    code="S604",
    name="score-points-inconsistent",
    severity=Severity.ERROR,
    summary="分值与评分公式的满分不一致，或一条规则写了两个满分",
    why="满分不一致时，这一行要么拿不满分值，要么超出分值。",
    source="indicator-rules.md §3.6（unverified）",
    bad="公车管理 | 501 | 台 | = · 评分：该指标分值为20分，完成率小于60%不得分；得分=（实际完成率-60%）/（1-60%）*10",
    good="公车管理 | 501 | 台 | = · 评分：该指标分值为20分，完成率小于60%不得分；得分=（实际完成率-60%）/（1-60%）*20",
    fix="让公式的满分等于该行分值。",
    implements=("R-SCORE-POINTS-INCONSISTENT",),
)
def check_score_points(ind: Indicator, ctx: Context) -> Iterator[str]:
    result = parsed(ind, ctx)
    if not isinstance(result, Formula):
        return
    tier_points = {t.points for t in result.tiers}
    top = formula_maximum(result)
    stated = {m for m in result.stated_maxima if m > 0 and (m not in tier_points or m == top)}
    if top is not None:
        stated.add(top)
    if ind.weight is not None:
        stated.add(ind.weight)
    if len(stated) > 1:
        values = "、".join(f"{v:g}" for v in sorted(stated))
        yield f"满分不一致（{values} 分）：{quote(scoring_of(ind, ctx))}"


@rule(
    code="S605",
    name="score-tier-gaps",
    severity=Severity.WARNING,
    summary="分档计分的档次重叠或留有空档",
    why="边界值同时落在两档（或哪档都不在）时得分不确定。",
    source="indicator-rules.md §3.6（unverified）",
    bad="全市机关事业单位满意度 | 95 | % | ≥ · 评分：95%（含）以上计10分，85%-95%计8分，75%-85%计6分",
    good="全市机关事业单位满意度 | 95 | % | ≥ · 评分：≥95%:10分；85%≤x<95%:8分；75%≤x<85%:6分；<75%:0分",
    fix="每档写明含与不含（≥、<），并覆盖最低档以下的情况。",
    implements=("R-SCORE-TIER-GAPS",),
)
def check_score_tiers(ind: Indicator, ctx: Context) -> Iterator[str]:
    result = parsed(ind, ctx)
    if isinstance(result, Formula) and result.kind == "tiers":
        problems = tier_problems(result.tiers)
        if problems:
            yield f"分档有歧义：{'；'.join(problems)}"


_REACH_RE = re.compile(r"达到(指标值|目标值|目标)")


@rule(
    code="S606",
    name="score-direction-mismatch",
    severity=Severity.ERROR,
    summary="评分方向与指标值类型相反",
    why="类型要求“越低越好”，评分却奖励更高的值（或相反），得分会与绩效背道而驰。",
    source="indicator-rules.md §3.6（unverified）",
    bad="数量指标 › 享受补贴人数 | 136 | 人 | < · 评分：达到指标值得满分",
    good="数量指标 › 享受补贴人数 | 136 | 人 | ≥ · 评分：10分；每少1人扣0.1分，扣完为止",
    fix="统一方向：类型为 ≤ 时按超出扣分，类型为 ≥ 时按不足扣分。",
    implements=("R-SCORE-DIRECTION-MISMATCH",),
)
def check_score_direction(ind: Indicator, ctx: Context) -> Iterator[str]:
    comparator = ind.comparator
    wants_high = direction_of(comparator)
    if comparator is None or wants_high is None or not ind.scoring:
        return
    result = parsed(ind, ctx)
    rewards_high = result.rewards_higher if isinstance(result, Formula) else None
    if rewards_high is None and _REACH_RE.search(ind.scoring) and ind.level2 is not None:
        rewards_high = ind.level2.value != "经济成本指标"
    if rewards_high is not None and rewards_high != wants_high:
        side = "越高越好" if rewards_high else "越低越好"
        yield f"类型为“{comparator.value}”，评分标准却按{side}计分：{quote(ind.scoring)}"


@rule(
    code="S607",
    name="score-not-operational",
    severity=Severity.WARNING,
    summary="评分标准无法换算为公式",
    why="不能换算为公式的标准，自评时难以复核。",
    source="indicator-rules.md §5",
    bad="厅级干部周转房租赁数 | 10 | 套 | = · 评分：按工作完成质量给分",
    good="厅级干部周转房租赁数 | 10 | 套 | = · 评分：达到目标值得10分，否则不得分",
    fix="套用常见模板：比率、每少/每超扣分、分档、全有全无、逾期扣分。",
)
def check_score_unrecognised(ind: Indicator, ctx: Context) -> Iterator[str]:
    result = parsed(ind, ctx)
    if isinstance(result, Refusal) and result.reason == "unrecognised":
        yield f"评分标准无法换算为公式：{quote(scoring_of(ind, ctx))}"
