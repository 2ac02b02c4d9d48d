"""Export → import gives back the same projects, for every seed project."""

from __future__ import annotations

import openpyxl
import pytest

from assistant.export.xlsx import write_xlsx
from assistant.ingest import read_filing

from .conftest import SEEDS


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_export_then_import_gives_identical_projects(seeds, key, tmp_path):
    original = seeds[key].projects
    back = read_filing(write_xlsx(original, tmp_path / f"{key}.xlsx")).projects
    assert len(back) == len(original)
    for before, after in zip(original, back):
        assert after.same_content(before), before.name


def test_export_has_standard_layout(seeds, tmp_path):
    path = write_xlsx(seeds["001"].projects, tmp_path / "001.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "项目支出绩效目标表"
    assert sheet["A2"].value == "单位：衡阳市机关事务管理局"
    assert "金额单位：万元" in [c.value for c in sheet[2]]
    header = [c.value for c in sheet[4]]
    assert header[5:12] == ["一级指标", "二级指标", "三级指标", "指标值", "指标值内容", "评（扣）分标准", "度量单位"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:O1" in merged and "F3:O3" in merged  # title and the 绩效指标 header span
    assert "C5:C11" in merged  # 公车管理专项经费's name over its seven rows
    assert sheet.column_dimensions["H"].width >= 20  # 三级指标 readable
    assert book.sheetnames == ["绩效目标表", "项目信息"]


def test_self_evaluation_export_adds_actual_and_score_columns(seeds, tmp_path):
    path = write_xlsx(seeds["004"].projects, tmp_path / "004.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A1"].value == "项目支出绩效自评表"
    assert [c.value for c in sheet[4]][-2:] == ["实际完成值", "得分"]


def test_export_writes_na_levels_as_wu_rows(seeds, tmp_path):
    path = write_xlsx(seeds["003"].projects[:1], tmp_path / "003.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    assert [rows[1][6], rows[1][7]] == ["社会成本指标", "无"]


def test_export_failure_leaves_no_partial_file(seeds, tmp_path):
    target = tmp_path / "locked"
    target.mkdir()  # a directory where the file should go: the write must fail cleanly
    from assistant.errors import ExportError

    with pytest.raises(ExportError):
        write_xlsx(seeds["000"].projects, target)
    assert list(tmp_path.iterdir()) == [target] and not list(target.iterdir())
