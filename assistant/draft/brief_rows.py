"""Rows the brief itself states, drafted first: each stated quantity a 数量指标 with its number
and unit, each stated result an 效益 (or 质量) row, the people served a 受益 row and whose
satisfaction to ask, the deadline a 时效 row, the amount the 成本 row.

"新建供水站3座、铺设管网12公里，受益人口1.2万人，年底前完工，自来水普及率达到95%" →
新建供水站数量 ≥ 3 座 · 铺设管网长度 ≥ 12 公里 · 受益人口 ≥ 12000 人 · 自来水普及率 ≥ 95% ·
供水站完成时间 ≤ 2025年12月31日 · 项目支出 ≤ 资金总额.
"""

from __future__ import annotations

import re

from ..models import Comparator, Level2
from .facts import MEASURES, BriefFacts, Quantity, Result
from .models import Brief, DraftIndicator
from .templates import scoring_for, subject_of

_AREA = {"亩", "公顷", "平方米", "万平方米", "㎡"}
_LENGTH = {"米", "公里", "千米"}
_VOLUME = {"立方米", "吨"}
_SERVED = ("受益", "惠及", "覆盖", "服务", "带动")
# what people receive as money: 享受高龄津贴老人人数 (a training or a screening is not 享受…补助)
_HANDED_OUT = ("发放", "补助", "资助", "救助", "慰问", "补贴", "奖补")
_QUALITY = re.compile(r"合格|验收|达标|完好|优良|准确|成活|通过|一次性|规范|相符|一致")
_TIMELY = re.compile(r"及时|按期|按时|准时")
_ECOLOGY = re.compile(r"生态|绿化|森林|覆盖率.*林|水质|空气|污染|排放|节能|减排|垃圾|污水|植被|水土")
_ECONOMY = re.compile(r"收入|增收|产值|效益|利润|税收|销售")
_LOWER = re.compile(r"下降|降低|减少|发生率|事故|投诉|流失|损失|不合格")
_ORIGIN = "从申报内容提取"
_BENEFIT = re.compile(r"[\u4e00-\u9fff]{2,8}(?:津贴|补贴|补助|救助金|资助|慰问金)")


def _row(
    level2: Level2, name: str, target: str, unit: str, comparator: Comparator, detail: str, said: str
) -> DraftIndicator:
    return DraftIndicator(
        level2=level2,
        name=name,
        target=target,
        target_detail=detail,
        unit=unit,
        comparator_raw=comparator.value,
        weight=0,
        origin="brief",
        origin_note=f"{_ORIGIN}：“{said}”",
        rationale=f"申报内容写明“{said}”",
    )


def _measure(q: Quantity) -> str:
    if q.unit in _AREA:
        return "面积"
    if q.unit in _LENGTH:
        return "长度"
    if q.unit in _VOLUME:
        return "规模"
    if q.duration:
        return "时长"  # 存储扩容至30天: how long, not how many
    if q.unit == "人次":
        return "人次"
    if q.unit == "户":
        return "户数"
    if q.people:
        return "人数"
    return "数量"


def quantity_row(q: Quantity, brief: Brief) -> DraftIndicator:
    """新建 供水站 3 座 → 新建供水站数量 ≥ 3 座; 发放 老人 1200 名 → 享受高龄津贴老人人数 ≥ 1200 人."""
    unit = "人" if q.unit == "名" else q.unit
    thing = next(iter(_BENEFIT.findall(re.sub(r"^20\d{2}年度?", "", brief.name))), "")
    if q.people and (q.action in _HANDED_OUT or q.action in _SERVED) and thing:
        name = _named(f"享受{thing}{q.object}", q)
    else:
        # 完成人工造林5000亩: 人工造林面积; 落实县级储备粮5000吨: 县级储备粮规模 (but 落实规模5000吨
        # keeps its verb: 规模 alone names nothing)
        bare = q.object in MEASURES or len(q.object) < 2
        action = "" if q.action in ("完成", "落实", "实施") and not bare else q.action
        name = _named(f"{action}{q.object}", q)
    detail = f"{brief.year}年{q.action}{q.object}{q.value}{q.unit}"
    return _row(Level2.QUANTITY, name, q.value, unit, Comparator.GE, detail, q.text)


def standard_row(q: Quantity, brief: Brief) -> DraftIndicator:
    """每人每月100元 → 补助标准 = 100 元/人·月 (a 成本 row: what one unit of output costs)."""
    return _row(
        Level2.ECONOMIC_COST, q.object, q.value, q.unit, Comparator.EQ, f"按{q.value}{q.unit}的标准执行", q.text
    )


def served_row(q: Quantity, brief: Brief) -> DraftIndicator:
    """受益人口 12000 人 → 社会效益: 受益人口 ≥ 12000 人."""
    unit = "人" if q.unit == "名" else q.unit
    head = q.object if q.object.startswith(_SERVED) else f"{q.action if q.action in _SERVED else '受益'}{q.object}"
    name = _named(head, q)
    return _row(
        Level2.SOCIAL_BENEFIT,
        name,
        q.value,
        unit,
        Comparator.GE,
        f"项目惠及{q.object or '群众'}{q.value}{q.unit}",
        q.text,
    )


def result_row(r: Result) -> DraftIndicator:
    """自来水普及率 95% → 社会效益 (or 质量, 时效, 生态, 经济, 满意度 by what the rate measures)."""
    if "满意" in r.object:
        level2 = Level2.SATISFACTION
    elif r.object.endswith(("完成率", "完工率")):
        level2 = Level2.QUANTITY  # 筛查任务完成率: how much of the output is delivered (C302)
    elif _TIMELY.search(r.object):
        level2 = Level2.TIMELINESS
    elif _QUALITY.search(r.object):
        level2 = Level2.QUALITY
    elif _ECOLOGY.search(r.object):
        level2 = Level2.ECOLOGICAL_BENEFIT
    elif _ECONOMY.search(r.object):
        level2 = Level2.ECONOMIC_BENEFIT
    else:
        level2 = Level2.SOCIAL_BENEFIT
    reduction = r.object.endswith(("下降率", "降低率", "减少率"))  # 下降5% is a floor on the fall
    comparator = Comparator.LE if r.at_most or (_LOWER.search(r.object) and not reduction) else Comparator.GE
    if r.at_most and r.number == 0:
        comparator = Comparator.EQ  # 死亡人数为0: none at all, as incident rows are written
    return _row(
        level2,
        r.object,
        f"{r.number:g}",
        r.unit,
        comparator,
        f"{r.object}{comparator.value}{r.number:g}{r.unit}",
        r.text,
    )


_PAID_BY = re.compile(r"兑付|发放|拨付|兑现")


def deadline_row(facts: BriefFacts, brief: Brief) -> DraftIndicator | None:
    """年底前完工 → 新建供水站完成时间 ≤ the year's 12月31日: the first thing bought or built, or
    the payment when that is what the deadline says is due."""
    if not facts.deadline:
        return None
    things = [q for q in facts.quantities if not q.money and not q.people and not q.standard]
    bought = facts.bought or things  # not the 6所卫生院 it equips
    subject = f"{bought[0].action}{bought[0].object}" if bought else subject_of(brief.name)
    subject = subject.removeprefix("完成") if len(subject) > 4 else subject  # not 前完成完成人工造林
    said = facts.deadline_text or facts.deadline
    if paid := _PAID_BY.match(facts.deadline_due):  # 年底前兑付到户: the payment is due, not the 12.6万亩 it pays for
        subject = f"{subject_of(brief.name)}{paid.group(0)}"
    return _row(
        Level2.TIMELINESS,
        f"{subject}完成时间",
        facts.deadline,
        "日期",
        Comparator.LE,
        f"{facts.deadline}前完成{subject}",
        said,
    )


def cost_row(brief: Brief) -> DraftIndicator | None:
    if brief.amount is None:
        return None
    subject = subject_of(brief.name)
    return _row(
        Level2.ECONOMIC_COST,
        f"{subject}支出",
        f"{brief.amount:g}",
        "万元",
        Comparator.LE,
        f"全年支出控制在资金总额{brief.amount:g}万元以内",
        f"资金总额{brief.amount:g}万元",
    )


# what names people one can survey: 老人, 学生, 参训人员, 农户, 居民, 患者, 家庭, 企业…
_PEOPLE = re.compile(r"(?:人|者|员|户|生|民|工|众|童|属|象|庭|表|体|客|业|女|年|士|师|警)$")


def satisfaction_row(facts: BriefFacts) -> DraftIndicator | None:
    """Whose satisfaction to ask: the people the brief serves."""
    served = next(iter(facts.served), None)
    if served is None:
        return None
    if served.action == "培训":
        who = "参训人员"
    else:
        who = served.object.removeprefix("受益").removeprefix("惠及").removeprefix("覆盖")
        who = "受益群众" if who in ("", "人口", "群众", "人数") else who
        if not _PEOPLE.search(who):
            return None  # 年检查能力 2万人次 counts services, not whom to ask
    return _row(
        Level2.SATISFACTION,
        f"{who}满意度",
        "90",
        "%",
        Comparator.GE,
        f"随机抽样调查{who}，评价为满意和比较满意的占有效问卷的比例",
        served.text,
    )


def rows_from_brief(brief: Brief, facts: BriefFacts, max_quantities: int = 4) -> list[DraftIndicator]:
    """Every row the brief states, in table order, without points yet."""
    rows: list[DraftIndicator] = []
    cost = cost_row(brief)
    if cost:
        rows.append(cost)
    rows += [standard_row(q, brief) for q in facts.quantities if q.standard]
    counted = [q for q in facts.quantities if not q.money and not q.standard]
    served = [q for q in counted if q.people and (q.action in _SERVED or q.object.startswith(_SERVED))]
    if facts.classification.kind == "补助补贴":
        served = []  # the people a subsidy reaches are its output: 享受高龄津贴人数 is a 数量 row
    rows += [quantity_row(q, brief) for q in counted if q not in served][:max_quantities]
    rows += [result_row(r) for r in facts.results]
    deadline = deadline_row(facts, brief)
    if deadline:
        rows.append(deadline)
    rows += [served_row(q, brief) for q in served]
    satisfied = satisfaction_row(facts)
    if satisfied and not any(r.level2 is Level2.SATISFACTION for r in rows):
        rows.append(satisfied)
    return rows


def with_scoring(row: DraftIndicator, weight: float) -> DraftIndicator:
    """The row with its points and a scoring rule for them."""
    return row.model_copy(
        update={"weight": weight, "scoring": scoring_for(row.comparator, row.unit or "", weight, row.target or "")}
    )


def _named(head: str, q: Quantity) -> str:
    """head + what is measured, without saying it twice (保洁面积 + 面积, 受益人口 + 人数)."""
    measure = _measure(q)
    if head.endswith(("人员", "群众")) and measure == "人数":
        return f"{head}数"  # 安置就业困难人员数
    if head.endswith("户") and measure == "户数":
        return f"{head}数"  # 脱贫户数, not 脱贫户
    done = head.endswith(measure) or head.endswith(
        ("数", "量", "人口", "人次", "宽度", "高度", "厚度", "深度", "里程", "容量")
    )
    return head if done else f"{head}{measure}"
