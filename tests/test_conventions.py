"""What a bureau anywhere accepts is not a finding, and what it returns is: rows of published
filings from other provinces (the dev split of corpus/filings) and budget-system exports written
here as real .xlsx files."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import read_filing
from assistant.models import Level2
from assistant.review.engine import review_projects
from assistant.review.registry import Severity

from .builders import budget_system_xlsx
from .conftest import CORPUS


def findings_of(record: str):
    return review_projects(read_filing(CORPUS / "filings" / f"{record}.json").projects)


def codes_on(findings, name: str) -> set[str]:
    """The codes flagged (error or warning) on the row with that name."""
    return {f.code for f in findings if f.indicator == name and f.severity is not Severity.INFO}


@pytest.mark.parametrize(
    ("record", "row", "spared"),
    [
        # the comparator and unit written in the value cell, as Anhui's system exports it
        ("anhui-huaibei-2025-nongcun-wenhua", "开展送戏进万村", {"V107", "T404", "N201"}),
        ("anhui-jinan-2023-canlian-jingzhun-kangfu", "涉及乡镇街数量", {"V107"}),
        # a count unit outside any one province's table (头, 只), with details under a ★ heading
        ("anhui-xiaoxian-2023-yanglou-tese-zhongyangzhi", "猪养殖数量", {"T404", "P701"}),
        ("anhui-xiaoxian-2023-yanglou-tese-zhongyangzhi", "★补助家畜家禽养殖数量", {"V101"}),
        # a unit with its gloss, a generic name whose 指标解释 names the respondents (Hebei 2020)
        ("hebei-chengan-2020-bailaoren-gaoling-jintie", "服务对象满意度", {"T404", "N202"}),
        # a span with its end month is a deadline; a unit price is stated with "="
        ("sichuan-zhaohua-2021-mafengbing-fangzhi", "项目实施时间", {"K503", "K504"}),
        ("hunan-nanyue-2018-nanyuezhen-zichan-shouyi", "补助合作社平均标准", {"T402", "T405"}),
        # 万 before a counted thing is a count, not money (Ningxia 原州: 550万粒 seed potatoes)
        ("ningxia-yuanzhou-2022-malingshu-zhongshu-fanyu", "指标1免费发放原原种", {"C304"}),
        # a sense of safety asked of the public is a share, as a satisfaction is (Anhui 黄山)
        ("anhui-huangshan-2025-gongan-xueliang-jifang-zulin", "指标1:提升群众安全感", {"N204"}),
        # the objects of one rate listed before it (Hunan 衡山)
        ("hunan-hengshan-2020-xianji-chubeiliang", "5000吨稻谷、500吨成 品粮储备到位率", {"N203"}),
        # a deadline opening a sentence that says what is done by then (Ningxia 2019)
        ("ningxia-zizhiqu-2019-changqing-tiyu-kaifang", "完成时限", {"K503", "N202"}),
        # a yes-no question answered 否
        ("anhui-huaibei-2025-nongcun-wenhua", "是否对当地生态环境造成影响", {"V102"}),
    ],
)
def test_an_accepted_convention_is_not_flagged(record, row, spared):
    projects = read_filing(CORPUS / "filings" / f"{record}.json").projects
    assert row in {i.name for p in projects for i in p.indicators}  # the row is read, as published
    assert not codes_on(review_projects(projects), row) & spared


def test_a_row_counting_the_goal_s_work_covers_its_object():
    # 目标“维修审判大楼玻璃幕墙等” and the row 维修面积 | ≥400平方米 (Tianjin 河北区法院)
    assert not [f for f in findings_of("tianjin-hebei-2023-fayuan-anquan-weixiu-banan") if f.code == "P703"]


def test_a_form_without_a_cost_level_or_with_its_own_levels_is_not_missing_levels():
    assert not [f for f in findings_of("zhejiang-linhai-2024-lvhua-yanghu") if f.code == "P702"]
    assert not [f for f in findings_of("anhui-shucheng-2023-yigongdaizhen-qingshuihe") if f.code == "P702"]


def test_faults_a_bureau_returns_are_found_in_published_filings():
    goal = [f for f in findings_of("hebei-langfang-2019-shipin-xuexiao-nuantong") if f.code == "P708"]
    assert goal and "43.2" in goal[0].message  # the goal box holds only the amount
    assert "T402" in codes_on(
        findings_of("neimenggu-bayannaoer-2024-ganqimaodu-ziranziyuan"), "指标2:宣传美工制作个数(个)"
    )
    # a form with no 二级 column: the row named 成本 is the cost row, and it exceeds the budget
    assert "K502" in codes_on(findings_of("chongqing-fengdu-2022-fujing-renyuan-jingfei"), "项目成本概算")
    # an output counted under 数量指标 and typed ≤, whatever its name says
    assert "N201" in codes_on(findings_of("tianjin-xiqing-2020-guoqi-jianmian-fangzu"), "扶持国有企业正常运转")
    assert "T402" in codes_on(findings_of("neimenggu-zhalaiteqi-jianchayuan-zhuangbei-banan"), "车辆采购数量")
    assert "N204" in codes_on(findings_of("anhui-yuan-2022-shiji-wenwu-baohu"), "指标3:文明施工")
    assert "C302" in codes_on(findings_of("hebei-chengan-2020-bailaoren-gaoling-jintie"), "补贴发放率")
    assert "C302" in codes_on(findings_of("hubei-ezhou-2021-shiminzhongxin-yunwei"), "预算执行率")
    assert "C302" in codes_on(findings_of("hunan-hengshan-2020-xianji-chubeiliang"), "利息费用保障率")


def _row(level1: str, level2: str, name: str, value: str, unit: str, kind: str, weight, scoring: str = "") -> list:
    return ["001", "社区养老服务补助", 30, "", level1, level2, name, value, "", scoring, unit, kind, weight, ""]


def test_a_blank_goal_box_and_blank_points_and_scoring_columns_are_found(tmp_path: Path):
    rows = [
        _row("产出指标", "数量指标", "补助老人人数", "120", "人", "≥", None),
        _row("产出指标", "质量指标", "补助资金发放到位率", "100", "%", "=", None),
        _row("产出指标", "时效指标", "补助发放完成时间", "2025年12月31日", "日期", "≤", None),
        _row("效益指标", "社会效益指标", "本项目不适用此指标", "无", "", "", None),
        _row("效益指标", "生态效益指标", "本项目不适用此指标", "无", "", "", None),
        _row("效益指标", "社会效益指标", "老人居家养老服务覆盖率", "95", "%", "≥", None),
        _row("满意度指标", "服务对象满意度指标", "受助老人满意度", "90", "%", "≥", None),
    ]
    rows[3][5] = "经济效益指标"
    path = budget_system_xlsx(tmp_path / "养老补助.xlsx", {"项目支出绩效目标表": rows})
    (project,) = read_filing(path).projects
    assert project.goal == "" and {"weight", "scoring"} <= set(project.columns)
    assert {Level2.ECONOMIC_BENEFIT, Level2.ECOLOGICAL_BENEFIT} <= set(project.level2_na)  # said in words
    found = {f.code: f for f in review_projects([project])}
    assert {"P708", "P709", "P710"} <= found.keys()
    assert all(f.severity is Severity.ERROR for c, f in found.items() if c in ("P708", "P709", "P710"))
    assert not [f for f in review_projects([project]) if f.code == "V101"]  # 无 with its reason is right


def test_a_completion_rate_under_benefit_and_a_count_in_percent_are_found(tmp_path: Path):
    rows = [
        _row("产出指标", "数量指标", "补助老人人数", "120", "人", "≥", 20, "每少1人扣0.5分"),
        _row("产出指标", "质量指标", "上门服务人数", "95", "%", "≥", 20, "每低1个百分点扣1分"),
        _row("效益指标", "社会效益指标", "年度任务完成率", "100", "%", "=", 30, "未完成不得分"),
        _row("满意度指标", "服务对象满意度指标", "受助老人满意度", "90", "%", "≥", 30, "每低1个百分点扣1分"),
    ]
    rows[0][3] = "为120名高龄老人按月发放居家养老服务补助。"
    path = budget_system_xlsx(tmp_path / "养老补助.xlsx", {"项目支出绩效目标表": rows})
    findings = review_projects(read_filing(path).projects)
    assert "T406" in codes_on(findings, "上门服务人数")
    assert "C302" in codes_on(findings, "年度任务完成率")
    assert not {"P708", "P709", "P710"} & {f.code for f in findings}
