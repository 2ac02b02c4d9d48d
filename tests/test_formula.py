"""The scoring-rule parser on every form in the seeds, the ones it must refuse, and the scores."""

from __future__ import annotations

import pytest

from assistant.review.formula import Formula, Refusal, parse_rule, tier_problems
from assistant.review.lexicon import load_lexicon

D4 = load_lexicon().words.discretionary

# (rule text as in the seeds, kind, points, step, deduction)
OPERATIONAL = [
    ("不超额得20分，每超过一万扣2分，扣完为止", "overspend_money", 20, 1, 2),  # 000
    ("不超额得20分，每超额一万扣两分，扣完为止", "overspend_money", 20, 1, 2),  # 000
    ("5家得10分，每少一家扣2分，扣完为止", "per_unit_short", 10, 1, 2),  # 000
    ("每少1%扣1分，扣完为止", "per_unit_short", None, 1, 1),  # 000
    ("每少1%扣一分，扣完为止", "per_unit_short", None, 1, 1),  # 000
    ("满意度达95%及以上 每少1%扣1分，扣完为止", "per_unit_short", None, 1, 1),  # 000
    ("无上访事件得20分，每有一件扣2分，扣完为止", "per_incident", 20, 1, 2),  # 000
    ("该指标分值为20分，预算成本控制在57.6万元以内计20分，每超过10%扣2分，扣完为止。", "overspend_percent", 20, 10, 2),
    ("该指标分值为10分，按公车调度出错率扣分，出错率每增加10%，扣1分，扣完为止。", "per_unit_over", 10, 10, 1),
    ("该指标分值为20分，达到目标值计20分，否则不得分。", "all_or_nothing", 20, 1, 0),  # 001
    ("该指标分值5分，未达到标准值不得分。", "all_or_nothing", 5, 1, 0),  # 001 整体
    ("达到指标值得满分，少于1%扣0.5分，扣完为止。", "per_unit_short", None, 1, 0.5),  # 003
    ("每超过5万元，扣1分，扣完为止", "overspend_money", None, 5, 1),  # 003
    ("每超过20万元，扣1分，扣完为止", "overspend_money", None, 20, 1),  # 003
    ("按期得10分；每逾期1个工作日扣1分，扣完为止", "lateness", 10, 1, 1),  # rules doc good form
    ("10分；不超过目标值得满分，每超过1小时扣1分，扣完为止", "lateness", 10, 1, 1),  # a response time
    ("10分；得分=10×min(实际/目标,1)", "ratio", 10, 1, 0),  # rules doc good form
]

REFUSED = [
    ("按时按时完成得20分，未完成按完成情况予以扣分", "discretionary"),  # 000
    ("按时按质完成得20分，没完成目标酌情扣分，扣完为止", "discretionary"),  # 000
    ("该指标分值为10分，按完成情况赋分。", "discretionary"),  # 001
    ("该指标分值为10分，从提供服务情况评分。", "discretionary"),  # 001
    ("达到指标值得满分，未达到指标值视情况扣分，扣完为止。", "discretionary"),  # 003
    ("视情况，扣分，扣完为止", "discretionary"),  # 003
    ("超过节点扣分", "no_amount"),  # 002: objective trigger, unsized deduction
    ("10分，未达到目标的予以扣分", "no_amount"),
    ("按照工作质量给分", "unrecognised"),
    ("", "missing"),
]


@pytest.mark.parametrize("text,kind,points,step,deduction", OPERATIONAL)
def test_operational_forms_parse(text, kind, points, step, deduction):
    formula = parse_rule(text, D4)
    assert isinstance(formula, Formula), formula
    assert (formula.kind, formula.points, formula.step, formula.deduction) == (kind, points, step, deduction)


@pytest.mark.parametrize("text,reason", REFUSED)
def test_refused_forms_say_why(text, reason):
    result = parse_rule(text, D4)
    assert isinstance(result, Refusal) and result.reason == reason


def test_threshold_linear_of_001_states_its_own_multiplier():
    text = (
        "该指标分值为20分，完成率小于60%为不及格，不得分；大于等于60%，按超过的比重赋分，计算公式为："
        "得分=（实际完成率-60%）/（1-60%）*10，完成率=实际完成值/指标值*100%"
    )
    formula = parse_rule(text, D4)
    assert (formula.kind, formula.points, formula.floor, formula.multiplier) == ("threshold_linear", 20, 0.6, 10)
    assert formula.score(actual=501, target=501) == 10  # the formula caps at 10, not the stated 20
    assert formula.score(actual=250, target=501) == 0
    assert formula.score(actual=400, target=500) == pytest.approx(5.0)


def test_tiers_of_001_overlap_at_both_boundaries():
    text = "该指标分值为10分，满意度95%（含）以上计10分，85%-95%计8分，75%-85%计6分，75%以下计0分。"
    formula = parse_rule(text, D4)
    assert formula.kind == "tiers"
    assert formula.score(96, None, 10) == 10 and formula.score(90, None, 10) == 8 and formula.score(50, None, 10) == 0
    assert tier_problems(formula.tiers) == ["85 同时落在两个档次", "95 同时落在两个档次"]
    clean = parse_rule("≥95%:10分；85%≤x<95%:8分；75%≤x<85%:6分；<75%:0分", D4)
    assert clean.kind == "tiers" and tier_problems(clean.tiers) == []


@pytest.mark.parametrize(
    "text,actual,target,weight,expected",
    [
        ("5家得10分，每少一家扣2分，扣完为止", 3, 5, None, 6),
        ("5家得10分，每少一家扣2分，扣完为止", 0, 5, None, 0),  # floor at 0
        ("每少1%扣1分，扣完为止", 92, 95, 10, 7),
        ("不超额得20分，每超过一万扣2分，扣完为止", 13.5, 11.16, None, 14),  # 2.34万 over → 3 steps
        ("该指标分值为20分，预算成本控制在57.6万元以内计20分，每超过10%扣2分，扣完为止。", 63, 57.6, None, 18),
        ("无上访事件得20分，每有一件扣2分，扣完为止", 3, 0, None, 14),
        ("该指标分值为20分，达到目标值计20分，否则不得分。", 9, 10, None, 0),
        ("10分；得分=10×min(实际/目标,1)", 80, 100, None, 8),
    ],
)
def test_scores_from_actual_values(text, actual, target, weight, expected):
    assert parse_rule(text, D4).score(actual, target, weight) == pytest.approx(expected)


def test_direction_of_each_form():
    assert parse_rule("每少1%扣1分", D4).rewards_higher is True
    assert parse_rule("每超过5万元，扣1分", D4).rewards_higher is False
