"""The Streamlit workbench, driven by AppTest: each page's main flow, and a reload keeping the
decisions (they live in the database, not the session)."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import Settings
from assistant.export.xlsx import write_xlsx
from assistant.store import open_store

from .conftest import REPO
from .review_cases import project

pytestmark = pytest.mark.slow


@pytest.fixture
def env(monkeypatch, tmp_path, seed_paths):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seed_paths.values():
        shutil.copy(path, corpus)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDING", "hashing")
    for key in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL", "ASSISTANT_DB_URL"):
        monkeypatch.delenv(key, raising=False)
    return Settings.from_env()


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    if page:
        at.switch_page(f"assistant/ui/pages/{page}.py").run()
    return at


def new_draft(at: AppTest) -> AppTest:
    at.text_input(key="reviewer").input("张会计")
    at.text_input(key="brief_name").input("信访维稳专项经费")
    at.text_input(key="brief_unit").input("衡阳市城市管理局")
    at.number_input(key="brief_amount").set_value(12)
    at.number_input(key="brief_year").set_value(2025)
    at.text_area(key="brief_goal").input("做好重大会议期间信访维稳值班和劝返接待工作")
    next(b for b in at.button if b.label == "起草").click().run()
    return at


def test_draft_accept_edit_reject_and_reload_keeps_decisions(env):
    at = new_draft(app())
    assert not at.exception and not at.error
    draft_id = int(
        at.query_params["draft"][0] if isinstance(at.query_params["draft"], list) else at.query_params["draft"]
    )
    assert any("草稿 #" in s.value for s in at.subheader)
    assert any("离线" in c.value for c in at.caption)
    table = at.data_editor[0].value
    assert len(table) >= 6 and set(table["来源"]) <= {"从申报内容提取", "同类项目", "指标库", "通用"}
    assert all(table["来源说明"])
    key = f"editor_{draft_id}_0"
    at.session_state[key] = {
        "edited_rows": {0: {"采纳": True}, 1: {"三级指标": "劝返接访人次"}, 2: {"拒绝": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    table = at.data_editor[0].value
    assert list(table["状态"][:3]) == ["已采纳", "已修改", "已拒绝"]
    assert table["三级指标"][1] == "劝返接访人次"
    next(b for b in at.button if b.label == "采纳全部无错误行").click().run()

    store = open_store(env.data_dir)
    record = store.load_draft(draft_id)
    assert [r.status for r in record.rows][:3] == ["accepted", "edited", "rejected"]
    actions = [(d.action, d.who) for d in store.decisions(draft_id)]
    assert ("accepted", "张会计") in actions and ("edited", "张会计") in actions and ("rejected", "张会计") in actions
    edit = next(d for d in store.decisions(draft_id) if d.action == "edited")
    assert edit.before["name"] != edit.after["name"] == "劝返接访人次"

    reloaded = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    reloaded.query_params["draft"] = str(draft_id)
    reloaded.run()
    assert list(reloaded.data_editor[0].value["状态"][:3]) == ["已采纳", "已修改", "已拒绝"]
    if any("不是一张完整的绩效目标表" in w.value for w in reloaded.warning):  # a rejected row left a gap
        reloaded.checkbox(key=f"export_anyway_{draft_id}").check().run()
    labels = [b.label for b in reloaded.get("download_button")]
    assert "下载 .xlsx（标准格式）" in labels and "下载 .docx" in labels


def test_an_incomplete_table_is_exported_only_when_the_user_says_so(env):
    at = new_draft(app())
    draft_id = int(
        at.query_params["draft"][0] if isinstance(at.query_params["draft"], list) else at.query_params["draft"]
    )
    at.session_state[f"editor_{draft_id}_0"] = {
        "edited_rows": {0: {"采纳": True}, 1: {"采纳": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    warning = next(w.value for w in at.warning if "不是一张完整的绩效目标表" in w.value)
    assert "缺少" in warning and "分值合计" in warning
    assert not at.get("download_button")
    at.checkbox(key=f"export_anyway_{draft_id}").check().run()
    assert [b.label for b in at.get("download_button")][:2] == ["下载 .xlsx（标准格式）", "下载 .docx"]


def test_filter_rows_by_origin_and_edit_the_right_row(env):
    at = new_draft(app())
    draft_id = int(
        at.query_params["draft"][0] if isinstance(at.query_params["draft"], list) else at.query_params["draft"]
    )
    everything = at.data_editor[0].value
    (pills,) = at.pills
    pills.set_value(["通用"]).run()
    shown = at.data_editor[0].value
    assert 0 < len(shown) < len(everything) and set(shown["来源"]) == {"通用"}
    target = shown["三级指标"][0]
    key = f"editor_{draft_id}_0"  # the editor's key; its row 0 is the first row shown
    at.session_state[key] = {"edited_rows": {0: {"拒绝": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    record = open_store(env.data_dir).load_draft(draft_id)
    assert [r.indicator.name for r in record.rows if r.status == "rejected"] == [target]


def test_the_library_page_lists_entries_with_their_source(env):
    at = app("library")
    assert not at.exception
    at.selectbox(key="library_class").set_value("农林水").run()
    at.selectbox(key="library_kind").set_value("建设工程").run()
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["来源"]) <= {"语料归纳", "参考指标库", "团队编写"}
    at.selectbox(key="library_level2").set_value("质量指标").run()
    assert set(at.dataframe[0].value["二级指标"]) == {"质量指标"}
    at.selectbox(key="library_class").set_value("（全部）").run()
    at.selectbox(key="library_kind").set_value("专项业务").run()
    table = at.dataframe[0].value
    limited = table[table["三级指标"] == "{object}案件按期办结率"]
    assert list(limited["仅用于"]) == ["申报内容含执法、案件、办案、查处、稽查之一"]


def test_redraft_one_level_and_add_row(env):
    at = new_draft(app())
    before = at.data_editor[0].value
    at.selectbox(key="redraft_level").set_value("质量指标").run()
    next(b for b in at.button if b.label == "重新起草该二级").click().run()
    next(b for b in at.button if b.label == "新增一行").click().run()
    after = at.data_editor[0].value
    assert len(after) == len(before) + 1 and not at.exception


def test_review_an_uploaded_file(env, seed_paths):
    at = app("review")
    at.file_uploader(key="review_files").set_value(
        [
            (seed_paths["001"].name, seed_paths["001"].read_bytes(), "text/plain"),
            ("坏文件.xlsx", b"not a workbook", "application/octet-stream"),
        ]
    ).run()
    assert not at.exception
    assert any("坏文件.xlsx" in e.value for e in at.error)  # a message, not a traceback
    assert any("共审核 4 个项目" in s.value for s in at.success)
    titles = [e.label for e in at.expander]
    assert titles[0].startswith("【退回】") and "错误" in titles[0]
    assert any("现予退回" in i.value for i in at.info)
    at.multiselect(key="sev_p0").set_value(["error"]).run()
    shown = at.dataframe[0].value
    assert set(shown["级别"]) == {"错误"}
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载审核报告（.xlsx）", "下载修改后的填报表（.xlsx）"]


def test_compare_a_corpus_project(env):
    at = app("compare")
    assert not at.exception
    assert at.selectbox(key="compare_project").value
    similar = at.dataframe[0].value
    assert len(similar) == 5 and {"项目", "单位", "年度", "相似之处", "共同词"} <= set(similar.columns)
    grid = at.dataframe[1].value
    assert "服务对象满意度" in grid.columns and grid["项目"][0].startswith("★")
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_compare_a_typed_brief(env):
    at = app("compare")
    at.radio(key="compare_source").set_value("输入项目简介").run()
    at.text_input(key="compare_query").input("信访维稳专项经费 值班劝返").run()
    names = list(at.dataframe[0].value["项目"])
    assert any("维稳" in n for n in names[:2])
    at.text_input(key="compare_query").input("农村饮水安全 供水站 管网改造").run()
    assert "语料中没有相似的往年项目" in at.info[0].value and not at.dataframe
    at.checkbox(key="compare_text_only").check().run()
    assert not any(r.startswith("同为") for r in at.dataframe[0].value["相似之处"])


def test_add_a_file_to_the_corpus_and_remove_it(env, tmp_path):
    at = app("corpus")
    assert "5 个文件" in at.caption[0].value
    upload = write_xlsx([project()], tmp_path / "培训经费.xlsx")
    at.file_uploader(key="corpus_upload").set_value(
        ("培训经费.xlsx", upload.read_bytes(), "application/vnd.ms-excel")
    ).run()
    next(b for b in at.button if b.label == "导入并建立索引").click().run()
    assert not at.exception
    assert any("已加入语料：培训经费.xlsx" in s.value for s in at.success)
    at.text_input(key="corpus_search").input("干部教育培训").run()
    assert "干部教育培训经费" in list(at.dataframe[0].value["名称"])
    at = app("corpus")
    assert "6 个文件" in at.caption[0].value
    at.multiselect(key="corpus_remove_files").set_value(["培训经费.xlsx"]).run()
    next(b for b in at.button if b.label == "移除所选文件").click().run()
    assert "5 个文件" in app("corpus").caption[0].value


def test_settings_take_an_endpoint_for_this_session_only(env):
    at = app("settings")
    assert any("离线模式" in c.value for c in at.caption)
    at.text_input[0].input("http://127.0.0.1:9/v1")
    at.text_input[1].input("qwen-plus")
    at.text_input[2].input("sk-session-secret")
    next(b for b in at.button if b.label == "使用此设置").click().run()
    assert any("qwen-plus" in s.value for s in at.success)
    assert at.session_state["llm_settings"].api_key.get_secret_value() == "sk-session-secret"
    files = [p for p in env.data_dir.rglob("*") if p.is_file()]
    assert not any(b"sk-session-secret" in p.read_bytes() for p in files)
    assert "sk-session-secret" not in repr(at.session_state["llm_settings"])


def test_every_page_renders_without_error(env):
    for page in ("draft", "review", "compare", "library", "corpus", "settings"):
        at = app(page)
        assert not at.exception and not at.error, page
        for table in at.dataframe:  # a missing value reads —, never None (nor NaN)
            assert not table.value.isna().any().any(), (page, table.value.columns.tolist())


def test_second_draft_in_a_new_session_opens_and_the_picker_switches(env):
    first = new_draft(app())
    first_id = str(first.query_params["draft"])
    second = new_draft(app())  # a new browser session: the picker exists now, the draft must still open
    assert any("草稿 #2" in s.value for s in second.subheader)
    second.selectbox(key="open_draft").set_value(int(first_id)).run()
    assert any(f"草稿 #{first_id}" in s.value for s in second.subheader)


def test_review_with_an_llm_accepts_a_checked_rewrite_into_the_corrected_copy(env, monkeypatch, tmp_path):
    """审核 with an endpoint (the fake server): the critic's rewrite that passes the rules can be
    accepted and lands in the corrected copy; one that fails them is shown but not offered."""
    from assistant.ingest import read_filing
    from assistant.models import Level2
    from assistant.ui.review_page import corrected

    from .fake_llm import MEASURABLE_REWRITE, VAGUE_REWRITE, FakeLLM, critic_reply
    from .review_cases import GOOD_ROWS, ind

    vague = ind("加大国企改革力度", "推动国企改革", unit="程度", comparator="定性")
    upload = write_xlsx([project([vague, *GOOD_ROWS[1:]])], tmp_path / "国企改革.xlsx")
    fake = FakeLLM(
        replies=[critic_reply((1, "“推动国企改革”不可衡量", MEASURABLE_REWRITE), (6, "满意度应写比率", VAGUE_REWRITE))]
    )
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("ASSISTANT_LLM_MODEL", "fake-model")
        at = app("review")
        at.file_uploader(key="review_files").set_value(
            [("国企改革.xlsx", upload.read_bytes(), "application/vnd.ms-excel")]
        ).run()
        next(b for b in at.button if b.label == "请大模型逐条审核并改写").click().run()
        assert not at.exception and len(fake.requests) == 1
        offered = [c for c in at.checkbox if c.label.startswith("采纳改写")]
        assert [c.label for c in offered] == [
            "采纳改写：深化提升行动方案印发数 | 1 | 个 | = | 10分；达到目标值得10分，否则不得分"
        ]
        assert any("改写未通过规则检查" in c.value and "满意" in c.value for c in at.caption)
        offered[0].check().run()
        rewrites = at.session_state["rewrites"]
        fixed = corrected(read_filing(upload).projects, rewrites)
        out = write_xlsx(fixed, tmp_path / "修改后.xlsx")
        rows = read_filing(out).projects[0].indicators
        assert rows[0].name == "深化提升行动方案印发数" and rows[0].level2 is Level2.QUANTITY
        assert [r.name for r in rows[1:]] == [r.name for r in GOOD_ROWS[1:]]
        offered[0].uncheck().run()
        assert not any(at.session_state["rewrites"].values())
    finally:
        fake.close()
