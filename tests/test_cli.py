"""`assistant ingest` writes JSON Lines with the keys scripts rely on."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assistant.cli import main

PROJECT_KEYS = {
    "doc_kind",
    "unit_name",
    "unit_code",
    "year",
    "name",
    "amount",
    "goal",
    "goal_midterm",
    "horizon",
    "source",
    "indicators",
}
INDICATOR_KEYS = {
    "level1",
    "level2",
    "level2_raw",
    "name",
    "target",
    "target_detail",
    "scoring",
    "unit",
    "comparator",
    "weight",
    "note",
    "actual",
    "score",
}


def test_ingest_jsonl_has_documented_keys(seed_paths, tmp_path):
    out = tmp_path / "corpus.jsonl"
    assert main(["ingest", *map(str, seed_paths.values()), "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 51
    for record in records:
        assert record.keys() >= PROJECT_KEYS
        for indicator in record["indicators"]:
            assert indicator.keys() >= INDICATOR_KEYS
    weiwen = next(r for r in records if r["name"] == "维稳专项工作经费")
    assert weiwen["indicators"][1]["level2"] == "社会成本指标"
    assert weiwen["indicators"][1]["level2_raw"] is None  # the filing does not write it
    assert weiwen["source"]["file"].startswith("000_")
    form = next(r for r in records if r["horizon"] == "midterm")
    assert form["doc_kind"] == "application_form" and form["goal_midterm"]


def test_ingest_defaults_to_corpus_dir_from_environment(seed_paths, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "003.txt").write_bytes(seed_paths["003"].read_bytes())
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    names = [json.loads(line)["name"] for line in result.stdout.splitlines()]
    assert names[0] == "部分军退人员岗位补贴资金" and len(names) == 4


def test_export_command_writes_standard_xlsx(seed_paths, tmp_path):
    out = tmp_path / "table.xlsx"
    assert main(["export", str(seed_paths["001"]), "--out", str(out)]) == 0
    assert out.stat().st_size > 0
