"""Bad input gets a clear error naming the file, table or sheet and row; nothing half-written."""

from __future__ import annotations

import json
import shutil

import docx
import pytest
from openpyxl import Workbook

from assistant.cli import main
from assistant.errors import IngestError
from assistant.export.xlsx import write_xlsx
from assistant.ingest import read_filing, read_many

from .builders import STANDARD_HEADER, budget_system_xlsx


def _error(path) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_filing(path)
    return info.value


def test_unknown_layout_names_the_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n\t今天讨论了预算。\n\t下周再议。\n", encoding="utf-8")
    error = _error(path)
    assert "notes.txt" in str(error) and "无法识别的格式" in str(error)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty.txt" in str(_error(path)) and "文件为空" in str(_error(path))
    blank = tmp_path / "blank.txt"
    blank.write_text("\n\n  \n", encoding="utf-8")
    assert "文件为空" in str(_error(blank))


def test_gbk_text_names_file_and_line(seed_paths, tmp_path):
    text = seed_paths["000"].read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk"))
    error = _error(path)
    message = str(error)
    assert "gbk.txt" in message and "UTF-8" in message and "GBK" in message
    assert error.where.line == 3  # lines 1-2 are blank; line 3 holds the first Chinese text
    assert "第 3 行" in message


def test_truncated_xlsx(seeds, tmp_path):
    good = write_xlsx(seeds["003"].projects, tmp_path / "good.xlsx")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    error = _error(truncated)
    assert "truncated.xlsx" in str(error) and "损坏或被截断" in str(error)


def test_fake_xlsx(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("this is not a spreadsheet", encoding="utf-8")
    assert "fake.xlsx" in str(_error(fake)) and "不是有效的 .xlsx" in str(_error(fake))


def test_docx_without_indicator_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于2024年预算编制的通知")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "电话"
    path = tmp_path / "notice.docx"
    document.save(str(path))
    error = _error(path)
    assert "notice.docx" in str(error) and "没有找到绩效指标表" in str(error)


def test_table_missing_required_column_names_sheet_and_row(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "目标表"
    sheet.append(["项目支出绩效目标表"])
    sheet.append([c for c in STANDARD_HEADER if c != "指标值"])
    sheet.append(["101001", "测试项目", 10, "目标", "产出指标", "数量指标", "培训人数"])
    path = tmp_path / "missing.xlsx"
    book.save(str(path))
    error = _error(path)
    assert (error.where.file, error.where.table, error.where.row) == ("missing.xlsx", "目标表", 2)
    assert "缺少必需的列：指标值" in str(error) and "第 2 行" in str(error)


def test_split_rows_that_cannot_be_aligned_name_the_first_row(seed_paths, tmp_path):
    lines = seed_paths["000"].read_text(encoding="utf-8").splitlines()
    broken = [ln for ln in lines if "国有资产监管经费不超过850000元" not in ln]  # a cost row gone
    path = tmp_path / "broken.txt"
    path.write_text("\n".join(broken), encoding="utf-8")
    error = _error(path)
    assert "broken.txt" in str(error) and "无法可靠地对应" in str(error)
    assert error.where.row is not None and error.where.line is not None


def test_cli_exits_2_and_writes_nothing_on_bad_input(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("随便写点什么", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["ingest", str(bad), "--out", str(out)]) == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind either
    assert "bad.txt" in capsys.readouterr().err


def test_directory_with_one_bad_file_imports_the_good_ones(seed_paths, tmp_path, capsys):
    folder = tmp_path / "filings"
    folder.mkdir()
    shutil.copy(seed_paths["001"], folder)
    shutil.copy(seed_paths["003"], folder)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    filings, errors = read_many([folder])
    assert len(filings) == 2 and len(errors) == 1 and errors[0].where.file == "broken.xlsx"
    out = tmp_path / "out.jsonl"
    assert main(["ingest", str(folder), "--out", str(out)]) == 2
    names = [json.loads(line)["name"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert "公车管理专项经费" in names and "部分军退人员岗位补贴资金" in names
    assert "broken.xlsx" in capsys.readouterr().err


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert "不支持的文件类型 .pdf" in str(_error(path))


def test_workbook_with_header_but_no_rows(tmp_path):
    path = budget_system_xlsx(tmp_path / "empty.xlsx", {"Sheet1": []})
    assert "empty.xlsx" in str(_error(path))
