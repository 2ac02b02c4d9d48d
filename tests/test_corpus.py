"""The national corpus as data: every record valid and traceable, nothing reserved, the manifest
and labels in step with the files, the importer reading the country's conventions, and the
evaluation harness on the real labels."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.corpus import load_manifest
from assistant.evaluation.ingest import evaluate_ingest
from assistant.evaluation.labels import load_labels
from assistant.evaluation.review import evaluate_review
from assistant.ingest import read_filing
from assistant.ingest.record import FilingRecord
from assistant.models import Comparator, Level1, Level2
from assistant.normalize import level1_of, level2_of, split_value

from .conftest import CORPUS, REPO

RECORDS = sorted((CORPUS / "filings").glob("*.json"))
RESERVED = REPO.parent / "shared" / "reserved-sources.txt"


def test_every_record_is_valid_and_keeps_its_address():
    assert len(RECORDS) >= 40
    provinces = set()
    for path in RECORDS:
        record = FilingRecord.model_validate_json(path.read_bytes())
        assert record.address.startswith(("http://", "https://")), path.name
        provinces.add(record.province)
    assert len(provinces) >= 10


@pytest.mark.skipif(not RESERVED.exists(), reason="../shared/reserved-sources.txt is not beside the checkout")
def test_no_reserved_filing_is_in_the_corpus():
    reserved = [
        line.split("\t")
        for line in RESERVED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    manifest = (CORPUS / "MANIFEST.csv").read_text(encoding="utf-8")
    for address, unit, _year, project in (r[:4] for r in reserved):
        assert address not in manifest
        for path in RECORDS:
            record = FilingRecord.model_validate_json(path.read_bytes())
            assert record.address != address
            for item in record.projects:
                assert not (item.unit == unit and (project in item.name or item.name in project)), path.name


def test_the_manifest_lists_every_file_with_its_counts():
    manifest = load_manifest(CORPUS)
    files = {f"filings/{p.name}" for p in RECORDS} | {p.name for p in CORPUS.glob("*.txt")}
    assert set(manifest) == files
    for path in RECORDS:
        record = json.loads(path.read_text(encoding="utf-8"))
        entry = manifest[f"filings/{path.name}"]
        assert entry.projects == len(record["projects"])
        assert entry.rows == sum(len(t["rows"]) for p in record["projects"] for t in p["tables"])
        assert entry.province == record["province"] and entry.address == record["address"]
        assert entry.class_ and entry.kind


def test_labels_cover_every_row_and_project_once_and_the_split_every_file():
    labels = load_labels(CORPUS)
    wanted = {
        (f"filings/{p.name}", n, m, k)
        for p in RECORDS
        for n, item in enumerate(json.loads(p.read_text(encoding="utf-8"))["projects"], start=1)
        for m, table in enumerate(item["tables"], start=1)
        for k in range(1, len(table["rows"]) + 1)
    }
    keys = Counter(r.key for r in labels.rows)
    assert set(keys) == wanted and max(keys.values()) == 1
    assert all(r.families for r in labels.rows if r.verdict == "return")
    assert set(labels.split) == {f"filings/{p.name}" for p in RECORDS}
    assert Counter(labels.split.values()) == {"dev": 60, "test": 15}  # 35 + 11 + 11 + 3 of the later rounds
    published = {(f"filings/{p.name}", 1) for p in RECORDS}
    assert published <= {(p.file, p.project) for p in labels.projects}
    assert len({frozenset([(p.file, p.project), (p.partner_file, p.partner_project)]) for p in labels.pairs}) >= 30


def test_the_split_was_fixed_by_province_then_hash():
    """The rule docs/labeling.md states, so a reader can check nobody moved a file: the 50 files
    of the first three search rounds (split.csv's first 50 lines) split by province then hash;
    every file added later went to dev."""
    import hashlib

    rows = list(csv.DictReader((CORPUS / "labels" / "split.csv").open(encoding="utf-8")))
    frozen, later = rows[:50], rows[50:]
    provinces = {f"filings/{p.name}": FilingRecord.model_validate_json(p.read_bytes()).province for p in RECORDS}
    order = sorted(
        frozen, key=lambda r: (provinces[r["file"]], hashlib.sha1(Path(r["file"]).name.encode()).hexdigest())
    )
    assert [r["split"] for r in order] == ["test" if i % 10 in (1, 4, 7) else "dev" for i in range(len(order))]
    assert sum(r["split"] == "test" for r in frozen) == 15 and all(r["split"] == "dev" for r in later)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥95%", (Comparator.GE, 95.0, "%")),
        (">=95%", (Comparator.GE, 95.0, "%")),
        ("≧90%", (Comparator.GE, 90.0, "%")),
        ("<=6962人", (Comparator.LE, 6962.0, "人")),
        ("=10个", (Comparator.EQ, 10.0, "个")),
        ("95%及以上", (Comparator.GE, 95.0, "%")),
        ("不低于90%", (Comparator.GE, 90.0, "%")),
        ("≤65万元", (Comparator.LE, 65.0, "万元")),
        ("12500名", (None, 12500.0, "名")),
        ("持续加强", None),
        ("2022年12月31日前", None),
    ],
)
def test_a_value_cell_gives_its_comparator_and_unit(text, expected):
    assert split_value(text) == expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("产出指标(50分)", Level1.OUTPUT),
        ("成本指标(0-20)分", Level1.COST),
        ("项目完成指标", Level1.OUTPUT),
        ("产 出 指 标", Level1.OUTPUT),
        ("產出指標", Level1.OUTPUT),
        ("效果指标", Level1.EFFECT),
    ],
)
def test_level1_variants(text, level):
    assert level1_of(text) is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("产出数量", Level2.QUANTITY),
        ("数量指标 (必填硬性指标)", Level2.QUANTITY),
        ("产出成本", Level2.ECONOMIC_COST),
        ("服务对象或受益者满意度指标", Level2.SATISFACTION),
        ("可持续性发展影响指标", Level2.SUSTAINABILITY),
        ("經濟效益指標", Level2.ECONOMIC_BENEFIT),
        ("产出指标", None),
        ("产权证管理质量", None),
    ],
)
def test_level2_variants_and_names_that_are_not_levels(text, level):
    assert level2_of(text) is level


def _record(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / "record.json"
    path.write_text(
        json.dumps(
            {
                "address": "https://example.gov.cn/a.html",
                "page_title": "t",
                "province": "福建省",
                "form": "绩效目标表",
                "projects": [
                    {
                        "name": "测试项目",
                        "unit": "测试局",
                        "year": 2023,
                        "amount": 10,
                        "tables": [{"header": header, "rows": rows}],
                    }
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def test_region_columns_give_the_first_regions_value(tmp_path):
    path = _record(
        tmp_path,
        ["一级指标", "二级指标", "三级指标", "指标解释", "新罗区", "永定区"],
        [["产出指标", "质量指标", "资金使用合规性", "反映合规情况", ">=95%", ">=95%"]],
    )
    indicator = read_filing(path).projects[0].indicators[0]
    assert indicator.target == ">=95%" and indicator.comparator is Comparator.GE and indicator.unit == "%"


def test_a_name_column_holding_the_level_reads_the_description_as_the_indicator(tmp_path):
    path = _record(
        tmp_path,
        ["指标类型", "指标名称", "指标值", "指标描述"],
        [
            ["产出指标", "数量指标", "375万平方米", "完成全市375万平方米的绿地养护"],
            ["满意度指标", "服务对象或受益者满意度指标", "≥95%", "服务对象满意率"],
        ],
    )
    rows = read_filing(path).projects[0].indicators
    assert [(r.level2, r.name) for r in rows] == [
        (Level2.QUANTITY, "完成全市375万平方米的绿地养护"),
        (Level2.SATISFACTION, "服务对象满意率"),
    ]


def test_a_merged_level2_does_not_cross_into_the_next_level1(tmp_path):
    """同心's 满意度 row has no 二级 cell: it is not the 可持续影响 row's 二级 merged down."""
    path = _record(
        tmp_path,
        ["一级指标", "二级指标", "三级指标", "指标值"],
        [
            ["效益指标", "可持续影响指标", "农民综合素质", "持续提高"],
            ["满意度指标", "", "参训学员满意度", "≥95%"],
            ["", "", "带训教师满意度", "≥90%"],
        ],
    )
    rows = read_filing(path).projects[0].indicators
    assert [r.level2 for r in rows] == [Level2.SUSTAINABILITY, Level2.SATISFACTION, Level2.SATISFACTION]


def test_separate_comparator_columns_are_read(tmp_path):
    path = _record(
        tmp_path,
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "年度指标值", "计量单位"],
        [["产出指标", "数量指标", "巡查次数", "正向", "大于等于", "4", "次"]],
    )
    indicator = read_filing(path).projects[0].indicators[0]
    assert indicator.comparator is Comparator.GE and indicator.unit == "次" and indicator.target == "4"


def test_ingest_reads_at_least_95_percent_of_the_published_projects():
    result = evaluate_ingest(CORPUS, load_labels(CORPUS))
    read = sum(p.read for p in result.projects)
    assert read / len(result.projects) >= 0.95
    assert all(p.problem for p in result.unread())  # every unread project says why


def test_review_evaluation_counts_every_labelled_row():
    labels = load_labels(CORPUS)
    result = evaluate_review(CORPUS, labels)
    for split in ("dev", "test"):
        overall = result.splits[split].overall
        rows = [r for r in labels.rows if labels.split_of(r.file) == split]
        returned = sum(r.verdict == "return" for r in rows)
        assert overall.tp + overall.fn == returned
        assert overall.tp + overall.fp <= len(rows)
        rules = result.splits[split].rules
        assert rules and all(score.fires >= score.tp and score.fn == 0 for score in rules.values())
        # every flagged row is flagged by at least one rule, and each rule's right flags are the
        # rows returned for its family
        assert sum(s.fires for c, s in rules.items() if c[0] != "P") >= overall.tp + overall.fp


@pytest.mark.slow
def test_eval_prints_one_table_for_dev_test_and_seed(capsys, monkeypatch):
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    assert main(["eval", "--embedding", "hashing"]) == 0
    out = capsys.readouterr().out
    assert "| measure | dev | test | seed (in-sample) |" in out
    for measure in ("ingest", "classifier: 功能分类 class", "review precision", "review V", "similar projects, hybrid"):
        assert measure in out
    assert "/35" in out and "/15" in out  # counts beside ratios
