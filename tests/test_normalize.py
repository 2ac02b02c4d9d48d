"""Variants of the framework written in real filings map to the fixed enums."""

import pytest

from assistant.models import Comparator, Level1, Level2
from assistant.normalize import (
    comparator_of,
    detect_year,
    indicator_label,
    level1_of,
    level2_of,
    parse_amount,
    parse_number,
    value_text,
    weight_from_text,
)


@pytest.mark.parametrize(
    "text,level",
    [
        ("可持续发展影响指标", Level2.SUSTAINABILITY),
        ("可持续影响\n指标", Level2.SUSTAINABILITY),
        ("社会公众或服务对象满意度指标", Level2.SATISFACTION),
        ("经济效\n益指标", Level2.ECONOMIC_BENEFIT),
        ("成本指标", Level2.ECONOMIC_COST),
        ("生态成本", Level2.ECOLOGICAL_COST),
        ("环境效益", Level2.ECOLOGICAL_BENEFIT),
        ("满意度指标", Level2.SATISFACTION),
        ("时效指标", Level2.TIMELINESS),
    ],
)
def test_level2_variants(text, level):
    assert level2_of(text) is level


def test_level1_with_points_and_line_breaks():
    assert level1_of("产出\n指标\n(50分)") is Level1.OUTPUT
    assert level1_of("效益\n指标\n（30分）") is Level1.EFFECT
    assert level1_of("预算执行率") is None


@pytest.mark.parametrize(
    "text,comparator",
    [
        ("=", Comparator.EQ),
        ("＝", Comparator.EQ),
        ("≥", Comparator.GE),
        (">=", Comparator.GE),
        ("≤", Comparator.LE),
        ("＜", Comparator.LT),
        (">", Comparator.GT),
        ("定性", Comparator.QUALITATIVE),
        ("定量", Comparator.QUANTITATIVE),
        ("定量（其他）", Comparator.QUANTITATIVE),
        ("大概", None),
    ],
)
def test_comparators(text, comparator):
    assert comparator_of(text) is comparator


def test_numbers_and_amounts():
    assert parse_number("4,500.00") == 4500.0
    assert parse_number("20分") == 20.0
    assert parse_number("≥95%") == 95.0
    assert parse_number("会务中心5666平方米，大院67931平方米") is None
    assert parse_amount("资金总额：1367.36万元") == 1367.36
    assert parse_amount("其中：财政拨款：457.5") == 457.5
    assert parse_amount("850000元") == 85.0


def test_year_mark_wins_over_frequency():
    assert detect_year("（2022年度）2023年 2023年 2023年") == 2022
    assert detect_year("2024年底前 2024年12月 2023年") == 2024
    assert detect_year("no year") is None


def test_weight_from_rule_text():
    assert weight_from_text("该指标分值为20分，预算成本控制在57.6万元以内计20分") == 20
    assert weight_from_text("20分") == 20
    assert weight_from_text("5家得10分，每少一家扣2分") == 10
    assert weight_from_text("每少1%扣1分，扣完为止") is None


@pytest.mark.parametrize(
    ("comparator", "target", "unit", "shown"),
    [
        ("≥", "95", "%", "≥ 95 %"),
        ("≥", "不少于2次", "次", "不少于2次"),  # the value says both already
        ("定量", "95%及以上", "%", "95%及以上"),  # 定量 is a type, not a comparator
        ("≤", "≤90万元", "万元", "≤90万元"),
        ("定性", "良好", "无", "良好"),
        (None, None, None, ""),
    ],
)
def test_value_text_says_each_part_once(comparator, target, unit, shown):
    assert value_text(comparator, target, unit) == shown


@pytest.mark.parametrize(
    "written,label",
    [
        ("指标1:机柜数量", "机柜数量"),
        ("指标 2：验收通过率", "验收通过率"),
        ("指标1安全率", "安全率"),
        ("★补助鱼塘面积", "补助鱼塘面积"),
        ("受益建档立卡贫困人口数(≥**人)", "受益建档立卡贫困人口数"),
        ("受益建档立卡贫困人口数≥**人", "受益建档立卡贫困人口数"),
        ("指标完成率", "指标完成率"),  # no number: a word of the name
        ("县级储备粮贷款付 息及时率", "县级储备粮贷款付息及时率"),  # a cell's line break
        ("满意度(%)", "满意度(%)"),
    ],
)
def test_indicator_label(written, label):
    assert indicator_label(written) == label
