"""Every real filing layout imports into the model, with each row where a reader would put it."""

from __future__ import annotations

import json

import pytest

from assistant.models import Comparator, DocKind, Horizon, Level1, Level2, Scope

from .conftest import DATA

# Counts read off the files by hand (see tests/data/seed_alignment.json for 000/001).
EXPECTED_COUNTS = {
    "000": (6, 38),  # six projects; the 整体 table is an empty skeleton
    "001": (4, 37),  # three projects (22 rows) + the department-wide table (15 rows)
    "002": (32, 291),  # 16 forms × (中长期, 年度)
    "003": (4, 25),  # 无 rows are n/a declarations, not indicators
    "004": (5, 49),  # department-wide 14 rows + 10 + 7 + 9 + 9
}


@pytest.mark.parametrize("key", sorted(EXPECTED_COUNTS))
def test_seed_project_and_indicator_counts(seeds, key):
    filing = seeds[key]
    projects, indicators = EXPECTED_COUNTS[key]
    assert len(filing.projects) == projects
    assert filing.indicator_count == indicators


def _alignment_cases():
    expected = json.loads((DATA / "seed_alignment.json").read_text(encoding="utf-8"))
    for key in ("000", "001"):
        for p_index, project in enumerate(expected[key]["projects"]):
            for r_index, row in enumerate(project["rows"]):
                yield pytest.param(key, p_index, r_index, row, id=f"{key}-{project['name']}-{row['seq']}")


@pytest.mark.parametrize("key,p_index,r_index,row", list(_alignment_cases()))
def test_split_table_row_aligned_to_project_and_level2(seeds, key, p_index, r_index, row):
    """Each 三级 row of 000/001, checked against an independent reading of the file."""
    project = seeds[key].projects[p_index]
    indicator = project.indicators[r_index]
    assert indicator.name == row["name"]
    assert (indicator.target or "") == row["target"]
    assert indicator.level2 is Level2(row["level2"])


def test_split_layout_projects_carry_skeleton_fields(seeds):
    gongche = seeds["001"].projects[0]
    assert gongche.name == "公车管理专项经费"
    assert gongche.amount == 40.0
    assert gongche.unit_code == "092001"
    assert gongche.goal == "完成年度公务用车管理。"
    assert gongche.year == 2024
    assert seeds["001"].unit_name == "衡阳市机关事务管理局"


def test_split_table_project_repeated_at_page_break_is_one_project(seeds):
    names = [p.name for p in seeds["000"].projects]
    assert names.count("衡阳市国资国企在线监管平台租赁及维护费") == 1
    assert names.count("监管审计专项经费") == 1


def test_two_cost_rows_open_one_project_economic_then_social(seeds):
    weiwen = seeds["000"].projects[5]
    assert weiwen.name == "维稳专项工作经费"
    assert [i.level2 for i in weiwen.indicators[:2]] == [Level2.ECONOMIC_COST, Level2.SOCIAL_COST]


def test_department_wide_table_pairs_its_two_halves(seeds):
    overall = seeds["001"].projects[-1]
    assert overall.scope is Scope.DEPARTMENT
    assert overall.amount == 705.86
    first, shifted = overall.indicators[0], overall.indicators[8]
    assert (first.name, first.target, first.unit, first.comparator) == (
        "成本控制",
        "2024年预算",
        "万元",
        Comparator.QUALITATIVE,
    )
    assert first.scoring.startswith("该指标分值为10分")
    # shifted left in the extraction, still under 质量指标
    assert (shifted.name, shifted.level2, shifted.target) == ("节能统计差错情况", Level2.QUALITY, "无错漏")


def test_application_form_keeps_both_horizons(seeds):
    forms = seeds["002"].projects
    midterm, annual = forms[0], forms[1]
    assert midterm.name == annual.name == "大院保安转辅警经费"
    assert (midterm.horizon, annual.horizon) == (Horizon.MIDTERM, Horizon.ANNUAL)
    assert (midterm.amount, annual.amount) == (457.5, 152.5)
    assert annual.goal == "保障正常安全工作环境"
    assert annual.goal_midterm == midterm.goal == "方便群众办事，树立政府良好形象"
    assert annual.doc_kind is DocKind.APPLICATION_FORM and annual.year == 2020
    assert [i.name for i in annual.indicators[:3]] == ["预计转辅警人数", "人员阶段考核合格率", "执勤率"]
    assert annual.indicators[0].target == "30人"
    assert annual.indicators[0].target_number == 30


def test_application_form_cost_under_output_is_normalised_keeping_text(seeds):
    annual = seeds["002"].projects[1]
    cost = next(i for i in annual.indicators if i.name == "每名辅警的平均月工资数")
    assert cost.level2 is Level2.ECONOMIC_COST and cost.level1 is Level1.COST
    assert (cost.level1_raw, cost.level2_raw) == ("产出指标", "成本指标")
    satisfaction = annual.indicators[-1]
    assert satisfaction.level2 is Level2.SATISFACTION
    assert satisfaction.level2_raw == "社会公众或服务对象满意度指标"


def test_application_form_unit_is_read_per_form(seeds):
    units = {p.unit_name for p in seeds["002"].projects}
    assert "衡阳市人民政府办公室" in units
    assert len(units) > 1  # the liaison offices file their own forms


def test_aligned_tables_skip_preface_and_record_na_levels(seeds):
    filing = seeds["003"]
    first = filing.projects[0]
    assert first.name == "部分军退人员岗位补贴资金"
    assert first.amount == 842.07
    assert Level2.SOCIAL_COST in first.level2_na and Level2.SUSTAINABILITY in first.level2_na
    assert all(i.name != "无" for p in filing.projects for i in p.indicators)
    assert filing.projects[1].amount == 4500.0
    cost = first.indicators[0]
    assert (cost.target, cost.unit, cost.comparator, cost.weight, cost.note) == (
        "842.07",
        "万元",
        Comparator.LE,
        20.0,
        "20分",
    )


def test_self_evaluation_keeps_target_actual_points_and_score(seeds):
    filing = seeds["004"]
    assert filing.doc_kind is DocKind.SELF_EVALUATION and filing.year == 2022
    overall = filing.projects[0]
    assert overall.scope is Scope.DEPARTMENT and overall.amount == 1367.36
    jianguan = filing.projects[1]
    assert (jianguan.name, jianguan.amount) == ("国有资产监管经费", 85.5)
    row = jianguan.indicators[0]
    assert row.name == "监管企业2022年度经营业绩考核"
    assert (row.actual, row.weight, row.score) == ("100%", 10.0, 10.0)
    assert jianguan.indicators[-1].actual == "满意度达到较好水平。"
    assert sum(i.weight for i in jianguan.indicators) == 90


def test_self_evaluation_level_labels_broken_across_lines_are_normalised(seeds):
    jianguan = seeds["004"].projects[1]
    economic = next(i for i in jianguan.indicators if i.name == "促进国企经济有序发展")
    assert economic.level2 is Level2.ECONOMIC_BENEFIT
    assert economic.level2_raw == "经济效\n益指标"


def test_every_row_records_file_table_and_row(seeds):
    for filing in seeds.values():
        for project in filing.projects:
            assert project.source is not None and project.source.file
            for indicator in project.indicators:
                source = indicator.source
                assert source.file == project.source.file
                assert source.table and source.row is not None and source.line is not None


def test_weights_read_from_rule_text_when_no_points_column(seeds):
    guoqi = seeds["000"].projects[0]
    assert [i.weight for i in guoqi.indicators] == [20, 10, 20, 20, 20, None]
    gongche = seeds["001"].projects[0]
    assert sum(i.weight for i in gongche.indicators) == 90
