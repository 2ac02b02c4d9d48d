"""`assistant review`, `rule`, `rules`, `score` and `eval review` on the seeds, like a linter."""

from __future__ import annotations

import json
import re
import shutil

import openpyxl

from assistant.cli import main
from assistant.export.xlsx import write_xlsx
from assistant.ingest import read_filing
from assistant.models import Level2
from assistant.review.config import ReviewConfig, load_config
from assistant.review.docs import rules_markdown
from assistant.review.engine import review_project

from .conftest import REPO
from .review_cases import project

FINDING_KEYS = ["file", "project", "indicator", "indicator_index", "code", "severity", "message", "suggestion"]


def test_json_findings_have_the_documented_keys(seed_paths, tmp_path, capsys):
    out = tmp_path / "findings.json"
    code = main(["review", str(seed_paths["001"]), "--format", "json", "--out", str(out)])
    assert code == 1  # error-level findings exist
    findings = json.loads(out.read_text(encoding="utf-8"))
    assert findings and all(list(f) == FINDING_KEYS for f in findings)
    budget = [f for f in findings if f["code"] == "K502"]
    assert budget[0]["project"] == "公车管理专项经费" and budget[0]["indicator_index"] == 0
    assert "57.6" in budget[0]["message"] and "40" in budget[0]["message"]
    project_level = [f for f in findings if f["indicator"] is None]
    assert all(f["indicator_index"] is None for f in project_level)


def test_clean_filing_exits_0_and_bad_input_exits_2(tmp_path, capsys):
    clean = write_xlsx([project()], tmp_path / "clean.xlsx")
    assert main(["review", str(clean)]) == 0
    assert "0 个错误" in capsys.readouterr().out
    bad = tmp_path / "bad.txt"
    bad.write_text("不是填报文件", encoding="utf-8")
    assert main(["review", str(bad)]) == 2


def test_text_output_groups_by_project_worst_first_with_summary(seed_paths, capsys):
    main(["review", str(seed_paths["003"])])
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line.startswith("■")]
    assert len(headers) == 4
    errors = [int(h.split("错误 ")[1].split(" ")[0]) for h in headers]
    assert errors == sorted(errors, reverse=True)
    assert out.strip().splitlines()[-1].startswith("共审核 4 个项目")


def test_batch_review_writes_return_opinions_and_unit_summary(seed_paths, tmp_path, capsys):
    folder = tmp_path / "batch"
    folder.mkdir()
    for key in ("000", "001"):
        shutil.copy(seed_paths[key], folder)
    main(["review", str(folder)])
    out = capsys.readouterr().out
    assert (
        "退回意见：【退回】衡阳市机关事务管理局：经审核，你单位报送的“公车管理专项经费”（年度绩效目标）存在以下问题：一是"
        in out
    )
    opinion = next(line for line in out.splitlines() if "“公车管理专项经费”（年度绩效目标）存在" in line)
    assert "六是" not in opinion and re.search(
        r"（第\d+(、\d+)*(等)?行）", opinion
    )  # at most five points, by sheet row
    assert "现予退回，请对照修改后重新报送。" in out
    assert "各单位汇总：" in out and "衡阳市人民政府国有资产监督管理委员会：6 个项目" in out


def test_xlsx_report(seed_paths, tmp_path):
    out = tmp_path / "report.xlsx"
    assert main(["review", str(seed_paths["000"]), "--format", "xlsx", "--out", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["审核意见", "退回意见", "汇总"]
    assert [c.value for c in book["审核意见"][1]] == [
        "文件",
        "项目",
        "行号",
        "三级指标",
        "规则",
        "级别",
        "问题",
        "修改建议",
    ]
    assert book["退回意见"].max_row == 7
    # 行号 is the row a reader finds the indicator on in the file, not its position in the project
    in_file = {(p.name, i.name, i.source.row) for p in read_filing(seed_paths["000"]).projects for i in p.indicators}
    rows = [(r[1], r[3], r[2]) for r in book["审核意见"].iter_rows(min_row=2, values_only=True) if r[2] is not None]
    assert rows and set(rows) <= in_file
    assert ("国企改革工作经费（含专家评审）", "国企改革工作", 5) in rows  # its first indicator, on row 5


def test_review_reads_ingest_jsonl(seed_paths, tmp_path, capsys):
    jsonl = tmp_path / "003.jsonl"
    assert main(["ingest", str(seed_paths["003"]), "--out", str(jsonl)]) == 0
    assert main(["review", str(jsonl), "--format", "json"]) == 1
    from_jsonl = json.loads(capsys.readouterr().out)
    main(["review", str(seed_paths["003"]), "--format", "json"])
    from_text = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["message"]) for f in from_jsonl] == [(f["code"], f["message"]) for f in from_text]
    broken = tmp_path / "broken.jsonl"
    broken.write_text(jsonl.read_text(encoding="utf-8") + '{"name": 1}\n', encoding="utf-8")
    assert main(["review", str(broken)]) == 2
    assert "第 5 行" in capsys.readouterr().err


def test_config_selects_ignores_and_regrades(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.assistant.review]\nselect = ["V", "K507"]\nignore = ["V104"]\nseverity = { K507 = "error" }\n',
        encoding="utf-8",
    )
    config = load_config(start=tmp_path)
    assert config.enabled("V102") and config.enabled("K507")
    assert not config.enabled("V104") and not config.enabled("S602")
    satisfied = project()
    satisfied.indicators[5] = satisfied.indicators[5].model_copy(update={"target": "100", "target_number": 100.0})
    findings = review_project(satisfied, config=config)
    assert [(f.code, f.severity.value) for f in findings] == [("K507", "error")]
    assert load_config(start=tmp_path / "elsewhere") == config  # found from a subfolder too
    standalone = tmp_path / "review.toml"
    standalone.write_text('ignore = ["P"]\n', encoding="utf-8")
    assert load_config(standalone) == ReviewConfig(ignore=["P"])


def test_cli_config_file_changes_exit_code(seed_paths, tmp_path):
    only_info = tmp_path / "info.toml"
    only_info.write_text('select = ["P706"]\n', encoding="utf-8")
    assert main(["review", str(seed_paths["003"]), "--config", str(only_info)]) == 0


def test_docs_rules_md_is_generated_from_the_registry():
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "docs/rules.md is stale: run `assistant rules --markdown --out docs/rules.md`"


def test_rule_command_shows_doc(capsys):
    assert main(["rule", "S602"]) == 0
    out = capsys.readouterr().out
    assert "score-discretionary" in out and "**为什么**" in out and "**错误示例**" in out
    assert main(["rule", "X999"]) == 2


def test_score_command_checks_004_self_scores(seed_paths, capsys):
    assert main(["score", str(seed_paths["004"]), "--format", "json"]) == 0
    checks = json.loads(capsys.readouterr().out)
    assert len(checks) == 49
    verdicts = {c["verdict"] for c in checks}
    assert verdicts == {"agrees", "unverifiable"}
    vague = next(c for c in checks if c["actual"] == "满意度达到较好水平。")
    assert vague["verdict"] == "unverifiable" and "满分" in vague["message"]


def test_score_flags_a_self_score_that_its_rule_contradicts(tmp_path, capsys):
    from assistant.models import DocKind

    from .review_cases import ind

    row = ind("培训人数", "300", unit="人", scoring="10分；每少10人扣1分，扣完为止", actual="250", score=10)
    out = write_xlsx([project([row], doc_kind=DocKind.SELF_EVALUATION)], tmp_path / "self.xlsx")
    assert main(["score", str(out)]) == 1
    assert "按评分标准（per_unit_short）应为 5.0" in capsys.readouterr().out


def test_eval_review_meets_the_targets(capsys):
    assert (
        main(
            [
                "eval",
                "review",
                "--format",
                "json",
                "--labels",
                str(REPO / "corpus" / "labels" / "seeds" / "review.jsonl"),
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    overall = result["overall"]
    precision = overall["tp"] / (overall["tp"] + overall["fp"])
    recall = overall["tp"] / (overall["tp"] + overall["fn"])
    assert result["rows"] >= 150 and result["matched"] == result["rows"]
    assert precision >= 0.90 and recall >= 0.85


def test_a_whole_table_point_says_what_is_missing():
    from assistant.core import Assistant
    from assistant.review.report import return_opinion

    from .review_cases import GOOD_ROWS, project

    without_time = project([r for r in GOOD_ROWS if r.level2 not in (Level2.TIMELINESS, Level2.QUALITY)])
    findings = Assistant().review([without_time]).findings
    opinion = return_opinion(without_time, findings)
    assert "缺少质量指标、缺少时效指标（整表）" in opinion, opinion
    assert opinion.startswith(("【修改后通过】", "【退回】"))
