"""The formats users really hold: budget-system .xlsx exports and .docx tables."""

from __future__ import annotations

import docx
import pytest

from assistant.ingest import read_filing
from assistant.ingest.grid import text_tables
from assistant.models import Comparator, Level2

from .builders import budget_system_xlsx, docx_from_tables

ROWS_A = [
    [
        "101001",
        "公务用车运行维护费",
        40,
        "保障公务用车安全运行",
        "成本指标",
        "经济成本指标",
        "公车运行维护费支出",
        "40",
        "全年运行维护费不超过40万元",
        "每超支1万元扣2分",
        "万元",
        "≤",
        20,
        "",
    ],
    [
        None,
        None,
        None,
        None,
        "产出指标",
        "数量指标",
        "保障公务用车数",
        "25",
        "全年保障车辆25台",
        "每少1台扣1分",
        "台",
        "≥",
        20,
        "",
    ],
    [
        None,
        None,
        None,
        None,
        None,
        "时效指标",
        "年度维护完成时间",
        "2024-12-31",
        "12月31日前完成",
        "每逾期5天扣2分",
        "日期",
        "≤",
        10,
        "",
    ],
    [
        None,
        None,
        None,
        None,
        "满意度指标",
        "服务对象满意度指标",
        "用车单位满意度",
        "90",
        "抽样调查满意度",
        "每低1个百分点扣1分",
        "%",
        "≥",
        10,
        "",
    ],
]
ROWS_B = [
    [
        "101001",
        "机关食堂运营经费",
        12.5,
        "保障机关食堂正常运营",
        "成本指标",
        "经济成本指标",
        "食堂运营经费支出",
        "12.5",
        "",
        "每超支1万元扣2分",
        "万元",
        "≤",
        20,
        "",
    ],
    [None, None, None, None, "产出指标", "质量指标", "食品安全事故", "0", "", "每发生1起扣5分", "起", "=", 20, ""],
]


def test_budget_system_xlsx_with_merged_cells_several_projects_and_sheets(tmp_path):
    path = budget_system_xlsx(
        tmp_path / "export.xlsx",
        {"公车": ROWS_A + ROWS_B, "第二张表": ROWS_B},
        merges={"公车": ["A5:A8", "B5:B8", "C5:C8", "D5:D8", "E6:E7"]},
    )
    filing = read_filing(path)
    assert [p.name for p in filing.projects] == ["公务用车运行维护费", "机关食堂运营经费", "机关食堂运营经费"]
    car = filing.projects[0]
    assert (car.amount, car.unit_code, car.goal) == (40.0, "101001", "保障公务用车安全运行")
    assert [i.level2 for i in car.indicators] == [
        Level2.ECONOMIC_COST,
        Level2.QUANTITY,
        Level2.TIMELINESS,
        Level2.SATISFACTION,
    ]
    assert car.indicators[1].level1_raw == "产出指标"  # merged 一级 cell reaches the row below
    assert car.indicators[0].comparator is Comparator.LE and car.indicators[0].weight == 20
    assert car.indicators[2].source.table == "公车" and car.indicators[2].source.row == 7
    assert filing.projects[2].source.table == "第二张表"
    assert filing.unit_name == "衡阳市测试局"


def test_header_found_below_title_rows_by_column_names(tmp_path):
    path = budget_system_xlsx(tmp_path / "x.xlsx", {"Sheet1": ROWS_B})
    project = read_filing(path).projects[0]
    assert project.indicators[0].source.row == 5  # header on row 4, after title, unit and a blank


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_docx_tables_of_each_seed_layout_import_like_the_text(seeds, seed_paths, key, tmp_path):
    path = docx_from_tables(text_tables(seed_paths[key]), tmp_path / f"{key}.docx")
    from_docx = read_filing(path)
    assert len(from_docx.projects) == len(seeds[key].projects)
    for a, b in zip(from_docx.projects, seeds[key].projects):
        assert a.same_content(b), a.name


def test_docx_with_vertically_merged_project_cells(tmp_path):
    document = docx.Document()
    document.add_paragraph("项目支出绩效目标表")
    header = ["单位（专项）名称", "资金总额", "一级指标", "二级指标", "三级指标", "指标值", "度量单位", "指标值类型"]
    rows = [
        ["信访维稳专项经费", "9", "成本指标", "经济成本指标", "维稳经费支出", "9", "万元", "≤"],
        ["", "", "产出指标", "数量指标", "劝返接访人次", "120", "人次", "≥"],
        ["", "", "", "质量指标", "赴省进京非访", "0", "件", "="],
    ]
    table = document.add_table(rows=4, cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(3, 0))
    table.cell(1, 1).merge(table.cell(3, 1))
    table.cell(2, 2).merge(table.cell(3, 2))
    path = tmp_path / "merged.docx"
    document.save(str(path))
    (project,) = read_filing(path).projects
    assert (project.name, project.amount) == ("信访维稳专项经费", 9.0)
    assert [i.name for i in project.indicators] == ["维稳经费支出", "劝返接访人次", "赴省进京非访"]
    assert project.indicators[2].level1_raw == "产出指标"
