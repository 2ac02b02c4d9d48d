"""P: the project as a whole — points, coverage of the 二级, links to the goal, and the text
defects and cross-year checks that need more than one row."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

from ...models import Indicator, Level1, Level2, Project, Scope
from ...normalize import squash
from ...tokens import nouns
from ..registry import Context, Severity, rule
from ..text import numbers, quote, shares_bigram, similarity, stutter

REQUIRED_LEVEL2 = (Level2.ECONOMIC_COST, Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS)
# the 二级 under 成本指标 and under 效益指标, listed once rather than by walking the enum per project
COST_LEVEL2 = frozenset(lv for lv in Level2 if lv.level1 is Level1.COST)
EFFECT_LEVEL2 = tuple(lv for lv in Level2 if lv.level1 is Level1.EFFECT)


@rule(
    code="P701",
    name="weight-sum",
    severity=Severity.ERROR,
    summary="分值合计不是规定总分（90，预算执行率另占10；或100），或有行没有分值",
    why="系统拒收分值合计不为100的指标集；自评中预算执行率占10分，其余合计90。",
    source="省级系统校验（system）；财预〔2020〕10号 自评权重（secondary）",
    bad=(
        "国企改革工作 | 国企改革工作经费11.16万元 | 万元 | = · 分值：20\n"
        "5家监管企业完成2024年国企改革工作任务 |  | 家 | = · 分值：10\n"
        "加大国企改革力度 | 推动国企改革 | 程度 | 定性 · 分值：20\n"
        "完成时限 | 2024年底前 | 时间 | 定性 · 分值：20\n"
        "可持续发展 | 保障国企改革各项工作有序开展推进 | 程度 | 定性 · 分值：20\n"
        "国有企业满意度 | 95%及以上 | % | 定量"
    ),
    good=(
        "项目总成本 | 842.07 | 万元 | ≤ · 分值：20\n"
        "享受补贴人数 | 136 | 人 | ≥ · 分值：10\n"
        "补贴资金到位率 | 100 | % | = · 分值：15\n"
        "补贴按月发放及时率 | 100 | % | = · 分值：15\n"
        "代缴社保缴费基数 | 不低于上年度衡阳市在岗职工平均工资 | - | 定性 · 分值：20\n"
        "享受补贴对象满意度 | 90 | % | ≥ · 分值：10"
    ),
    fix="为每行写明分值，使合计为90（预算执行率10分另计）或100。",
    scope="project",
    implements=("R-WEIGHT-SUM",),
    allows=(
        "分项明细行不写分值、分值写在上面的★汇总行（安徽萧县等地的目标表）",
        "“权重”一栏代替“分值”（四川等地）：同样按合计100或90检查",
    ),
)
def check_weight_sum(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    weights = [ind.weight for ind in project.indicators]
    if not any(w is not None for w in weights):
        return  # a layout without points (2020 申报表)
    details = ctx.parts.details
    for index, weight in enumerate(weights):
        if weight is None and index not in details:
            yield (f"{quote(project.indicators[index].name, 20)}没有分值", index)
    total = sum(w for w in weights if w is not None)
    expected = ctx.lexicon.thresholds.expected_totals
    if all(abs(total - e) > 1e-6 for e in expected):
        targets = "或".join(f"{e:g}" for e in expected)
        yield (f"分值合计 {total:g} 分，应为 {targets} 分", None)


def own_structure(project: Project) -> bool:
    """A form with its own levels (中央投资计划: 过程管理指标 › 资金管理指标…): most rows have no
    standard 二级, so which are missing cannot be told."""
    rows = project.indicators
    return sum(ind.level2 is None for ind in rows) * 2 > len(rows)


def has_cost_level(project: Project) -> bool:
    """Whether the form has the 成本指标 level (财预〔2021〕101号): a cost row, or one declared 无."""
    return any(ind.level2 in COST_LEVEL2 for ind in project.indicators) or bool(COST_LEVEL2 & set(project.level2_na))


@rule(
    code="P702",
    name="structure-coverage",
    severity=Severity.WARNING,
    summary="缺少必备的二级指标（数量、质量、时效、经济成本），或没有效益、满意度指标",
    why="2024年的目标表要求每个二级有三级指标，或写“无”并说明理由。",
    source="seeds 000/001/003（无官方最低数量，unverified）",
    bad=(
        "项目：临聘人员工资\n"
        "数量指标 › 人数 | 5人\n"
        "质量指标 › 对临聘人员考核 | 合格\n"
        "时效指标 › 到岗率 | 100%\n"
        "经济成本指标 › 工资 | 工资总额不超过年初预算\n"
        "服务对象满意度指标 › 政府工作人员 | 满意"
    ),
    good=(
        "经济成本指标 › 临聘人员工资支出 | 18.75 | 万元 | ≤\n"
        "数量指标 › 临聘人员人数 | 5 | 人 | =\n"
        "质量指标 › 临聘人员考核合格率 | 100 | % | ≥\n"
        "时效指标 › 临聘人员到岗率 | 100 | % | ≥\n"
        "社会效益指标 › 后勤服务投诉 | 0 | 件 | =\n"
        "服务对象满意度指标 › 政府工作人员满意度 | 90 | % | ≥"
    ),
    fix="补齐缺少的二级；确不适用的写“无”并说明理由。",
    scope="project",
    implements=("R-STRUCT-COVERAGE",),
    allows=(
        "没有“成本指标”一级的表式（2021年以前的表和仍用旧表的地区，如浙江临海2024）：不要求经济成本指标",
        "自有层级的表式（中央投资计划的“过程管理指标”等，安徽舒城）：不按标准二级判缺项",
    ),
)
def check_structure(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    if not project.indicators or own_structure(project):
        return
    present = {ind.level2 for ind in project.indicators}
    for level in REQUIRED_LEVEL2:
        if level is Level2.ECONOMIC_COST and not has_cost_level(project):
            continue
        if level in project.level2_na:
            yield (f"必备的{level.value}填了“无”", None)
        elif level not in present:
            yield (f"缺少{level.value}", None)
    if project.scope is Scope.DEPARTMENT:
        return
    effects = EFFECT_LEVEL2
    if not any(lv in present for lv in effects) and not all(lv in project.level2_na for lv in effects):
        yield ("没有任何效益指标", None)
    if Level2.SATISFACTION not in present and Level2.SATISFACTION not in project.level2_na:
        yield ("没有服务对象满意度指标", None)


_CLAUSE_SPLIT = re.compile(r"[，,。；;、]")


def goal_object(clause: str, ctx: Context) -> str | None:
    """The object a goal clause delivers: the last specific noun after its first delivery verb
    (制定…行动方案 → 行动方案). A clause without such a verb states an aim, not an output."""
    return _goal_object(clause, ctx.lexicon.goal.delivery_verbs, ctx.lexicon.goal.generic_objects)


@lru_cache(maxsize=8192)
def _goal_object(clause: str, delivery_verbs: tuple[str, ...], generic_objects: tuple[str, ...]) -> str | None:
    starts = [i + len(v) for v in delivery_verbs if (i := clause.find(v)) >= 0]
    if not starts:
        return None
    found = [n for n in _nouns(clause[min(starts) :]) if n not in generic_objects]
    return found[-1] if found else None


@lru_cache(maxsize=8192)
def _nouns(clause: str) -> tuple[str, ...]:
    return tuple(nouns(clause))


@rule(
    code="P708",
    name="goal-missing",
    severity=Severity.ERROR,
    summary="绩效目标（实施期或年度）为空，或只填了金额",
    why="绩效目标是指标的来源；没有目标，指标是否相关、是否足够都无从判断。财政部门会退回。",
    source="财预〔2021〕101号 绩效目标申报表（official）",
    bad="项目：学生伙食费 · 目标：43.2\n学生伙食补助人数 | 168 | 人 | ≥",
    good="项目：学生伙食费 · 目标：为168名特教学生提供每人每天17元的伙食补助，全年按月足额发放。\n学生伙食补助人数 | 168 | 人 | ≥",
    fix="写明项目要做什么、做多少、何时做完，以及预期效果。",
    scope="project",
    allows=("表中没有绩效目标栏的表式（如部分自评表）：不检查",),
)
def check_goal_missing(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    goal = project.goal
    if goal is None:
        return  # the form has no goal box, or the copy does not show it
    if not re.search(r"[\u4e00-\u9fff]{4}", goal):
        yield (f"绩效目标{quote(goal) if goal.strip() else '一栏'}为空或只有数字，没有写目标内容", None)


@rule(
    code="P709",
    name="weight-empty",
    severity=Severity.ERROR,
    summary="表中有分值（权重）一栏，却每一行都没填",
    why="分值决定评价时每条指标的得分；全部空白的表无法计分，系统也会拒收。",
    source="省级系统校验（system）；财预〔2020〕10号 自评权重（secondary）",
    bad="项目：学生伙食费 · 列：三级指标 指标值 分值\n学生伙食补助人数 | 168 | 人 | ≥\n学生满意度 | 90 | % | ≥",
    good="项目：学生伙食费 · 列：三级指标 指标值 分值\n学生伙食补助人数 | 168 | 人 | ≥ · 分值：50\n学生满意度 | 90 | % | ≥ · 分值：50",
    fix="为每行写明分值，合计为100（或90，预算执行率10分另计）。",
    scope="project",
    allows=("没有分值一栏的表式（2020年申报表等）：不检查",),
)
def check_weight_empty(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    if "weight" in project.columns and project.indicators and all(i.weight is None for i in project.indicators):
        yield ("分值一栏每一行都是空的", None)


@rule(
    code="P710",
    name="scoring-empty",
    severity=Severity.ERROR,
    summary="表中有评（扣）分标准一栏，却每一行都没填",
    why="没有评分标准，自评时无法按实际完成值计分，评价结果全凭主观。",
    source="财预〔2021〕101号 绩效目标表样式（official）",
    bad="项目：学生伙食费 · 列：三级指标 指标值 评分标准\n学生伙食补助人数 | 168 | 人 | ≥\n学生满意度 | 90 | % | ≥",
    good=(
        "项目：学生伙食费 · 列：三级指标 指标值 评分标准\n"
        "学生伙食补助人数 | 168 | 人 | ≥ · 评分：达到168人得满分，每少1人扣0.5分\n"
        "学生满意度 | 90 | % | ≥ · 评分：达到90%得满分，每低1个百分点扣1分"
    ),
    fix="为每行写明评分办法：达到目标得满分，每差多少扣多少分。",
    scope="project",
    allows=("没有评分标准一栏的表式（2020年申报表、多数自评表）：不检查",),
)
def check_scoring_empty(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    if "scoring" in project.columns and project.indicators and not any(i.scoring for i in project.indicators):
        yield ("评（扣）分标准一栏每一行都是空的", None)


@rule(
    code="P703",
    name="goal-not-covered",
    severity=Severity.WARNING,
    summary="实施期绩效目标里的产出没有对应的三级指标",
    why="绩效目标与指标应当高度关联：目标写了要做的事，指标就要计量它。",
    source="财预〔2015〕88号 相关性、101号 高度关联（unverified）",
    bad=(
        "项目：国企改革工作经费 · 目标：制定国企改革深化提升行动方案，加强监管企业党建工作，向专业机构购买专业咨询服务。\n"
        "加大国企改革力度 | 推动国企改革 | 程度 | 定性\n"
        "完成时限 | 2024年底前 | 时间 | 定性"
    ),
    good=(
        "项目：国企改革工作经费 · 目标：制定国企改革深化提升行动方案，加强监管企业党建工作，向专业机构购买专业咨询服务。\n"
        "行动方案印发时间 | 2024-06-30 | 日期 | ≤\n"
        "专业咨询服务完成时间 | 2024-12-31 | 日期 | ≤"
    ),
    fix="为目标中的每项产出写一条三级指标。",
    scope="project",
    implements=("R-GOAL-NOT-COVERED",),
    allows=(
        "计量目标所写工作本身的行，不重复对象：目标“维修审判大楼玻璃幕墙”配“维修面积 | ≥400平方米”（天津河北区法院）",
    ),
)
def check_goal_covered(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    if not project.goal or not project.indicators:
        return
    rows = "".join((i.name or "") + (i.target or "") + (i.target_detail or "") for i in project.indicators)
    names = "".join(i.name or "" for i in project.indicators)
    for clause in _CLAUSE_SPLIT.split(project.goal):
        obj = goal_object(clause, ctx)
        if obj and not (obj in rows or shares_bigram(obj, rows) or _counts_the_work(clause, names, ctx)):
            yield (f"目标“{clause.strip()}”中的“{obj}”没有对应的三级指标", None)


def _counts_the_work(clause: str, names: str, ctx: Context) -> bool:
    """A row that measures the clause's own work leaves its object implicit: 维修面积 for
    “维修审判大楼玻璃幕墙” (天津河北区法院). Broad verbs (完成, 开展, 组织, 提供, 落实) name no work."""
    verb = next((v for v in ctx.lexicon.goal.delivery_verbs if v in clause), None)
    return verb is not None and verb not in _BROAD_VERBS and verb in names


_BROAD_VERBS = frozenset({"完成", "开展", "组织", "提供", "落实", "召开", "举办"})


@rule(
    code="P704",
    name="duplicate-indicator",
    severity=Severity.WARNING,
    summary="同一项目里重复的指标",
    why="重复的行重复计分，也说明表格是拼凑的。",
    source="indicator-rules.md §3.7",
    bad="完成时限 | 2024年底前\n完成时限 | 2024年底前",
    good="行动方案印发时间 | 2024-06-30 | 日期 | ≤\n财务决算审计完成时间 | 2024-10-31 | 日期 | ≤",
    fix="删去重复行或改为不同的计量对象。",
    scope="project",
    allows=("名称不是文字的占位行：社会/生态成本各填“0 | 0.00%”表示没有（重庆奉节）",),
)
def check_duplicates(project: Project, ctx: Context) -> Iterator[tuple[str, int | None]]:
    seen: dict[tuple[str, str], int] = {}
    for index, ind in enumerate(project.indicators):
        if not _WORD.search(ind.name):
            continue  # "0 | 0.00%" in 社会/生态成本: fillers for "none", not two indicators
        key = (squash(ind.name), squash(ind.target or ""))
        if key in seen:
            yield (f"与第 {seen[key] + 1} 行重复：{quote(ind.name, 20)}", index)
        else:
            seen[key] = index


_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def fingerprint(ind: Indicator) -> tuple[str, str, str]:
    return (squash(ind.name), squash(ind.target or ""), squash(ind.scoring or ""))


def count_copies(projects: Sequence[Project]) -> dict[tuple, int]:
    """(unit, row fingerprint) → number of projects of that unit carrying the row."""
    counts: Counter = Counter()
    for project in projects:
        for key in {fingerprint(i) for i in project.indicators}:
            counts[(project.unit_name, key)] += 1
    return dict(counts)


@rule(
    code="P705",
    name="copy-paste",
    severity=Severity.INFO,
    summary="套话：字词重复（按时按时），或同一单位三个以上项目用完全相同的指标",
    why="照抄的指标不针对本项目，计量不出什么；重复的字说明没有认真核对。",
    source="indicator-rules.md §3.7（unverified）",
    bad="企业财务决算审计 | 按时按质完成监管企业财务决算审计 | 程度 | 定性 · 评分：按时按时完成得20分，未完成按完成情况予以扣分",
    good="财务决算审计完成时间 | 2024-10-31 | 日期 | ≤ · 评分：按期完成得20分，每逾期5天扣2分，扣完为止",
    fix="按本项目的实际产出重写；改正重复的字词。",
    implements=("R-COPY-PASTE",),
)
def check_copy_paste(ind: Indicator, ctx: Context) -> Iterator[str]:
    for field in (ind.name, ind.target, ind.target_detail, ind.scoring):
        doubled = stutter(field)
        if doubled:
            yield f"“{doubled}”字词重复：{quote(field)}"
            return
    count = ctx.copies.get((ctx.project.unit_name, fingerprint(ind)), 0)
    if count >= 3:
        yield f"同一单位有 {count} 个项目使用完全相同的指标{quote(ind.name, 20)}"


@rule(
    code="P706",
    name="detail-copies-name",
    severity=Severity.INFO,
    summary="指标值内容为空或照抄指标名称",
    why="指标值内容应说明口径、基数和计算方法，照抄名称等于没写。",
    source="indicator-rules.md §2",
    bad="享受补贴人数 | 136 | 人 | ≥ · 内容：享受补贴人数",
    good="享受补贴人数 | 136 | 人 | ≥ · 内容：2024年符合条件的六类军退人员，以人社系统发放名单为准",
    fix="写明统计口径、对象范围、基数年份或计算公式。",
)
def check_detail(ind: Indicator, ctx: Context) -> Iterator[str]:
    if not ctx.has_detail_column:
        return  # a layout without the 内容 column
    detail = squash(ind.target_detail or "")
    if not detail:
        yield f"{quote(ind.name, 20)}没有填写指标值内容"
    elif detail == squash(ind.name):
        yield f"指标值内容照抄了指标名称{quote(ind.name, 20)}"


@rule(
    code="P707",
    name="below-last-actual",
    severity=Severity.WARNING,
    summary="目标低于同一项目往年自评的实际完成值",
    why="目标应不低于已经达到的水平（历史标准），否则目标失去激励作用。",
    source="历史标准（secondary）；indicator-rules.md §6",
    bad=(
        "项目：监管审计专项经费 · 年度：2022 · 自评\n"
        "服务对象满意度指标 › 监管企业满意度 | 90 | % | ≥ · 实际：96%\n"
        "项目：监管审计专项经费 · 年度：2024\n"
        "服务对象满意度指标 › 监管企业满意度 | 90 | % | ≥"
    ),
    good=(
        "项目：监管审计专项经费 · 年度：2022 · 自评\n"
        "服务对象满意度指标 › 监管企业满意度 | 90 | % | ≥ · 实际：96%\n"
        "项目：监管审计专项经费 · 年度：2024\n"
        "服务对象满意度指标 › 监管企业满意度 | 96 | % | ≥ · 内容：不低于2022年自评实际值96%"
    ),
    fix="参照往年实际值设定目标，并在内容中写明基数。",
)
def check_below_last_actual(ind: Indicator, ctx: Context) -> Iterator[str]:
    if ind.target_number is None or not ctx.history:
        return
    for past in ctx.history:
        if (past.year or 0) >= (ctx.project.year or 0) or past.unit_name != ctx.project.unit_name:
            continue
        if similarity(past.name, ctx.project.name) < 0.5:
            continue
        for old in past.indicators:
            values = numbers(old.actual)
            if len(values) == 1 and similarity(old.name, ind.name) >= 0.6 and values[0] > ind.target_number:
                yield (f"{past.year}年自评中{quote(old.name, 16)}实际完成 {old.actual}，本年目标 {ind.target} 更低")
                return
