"""The Streamlit app, driven by AppTest: browse filings → projects → indicators."""

from __future__ import annotations

import shutil

from streamlit.testing.v1 import AppTest

from .conftest import REPO


def _app(monkeypatch, corpus, tmp_path) -> AppTest:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def test_corpus_page_browses_filings_projects_indicators(monkeypatch, tmp_path, seed_paths):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for key in ("001", "004"):
        shutil.copy(seed_paths[key], corpus)
    at = _app(monkeypatch, corpus, tmp_path).run()
    assert not at.exception
    assert at.title[0].value == "语料库"
    assert "2 个文件" in at.caption[0].value and "9 个项目" in at.caption[0].value
    at.selectbox(key="corpus_file").select("004_ab28928a96ffb29a.txt").run()
    at.selectbox(key="corpus_project").select(1).run()
    assert any("国有资产监管经费" in m.value for m in at.markdown)
    indicators = at.dataframe[-1].value
    assert len(indicators) == 10
    assert list(indicators["实际完成值"])[0] == "100%"
    at.text_input(key="corpus_filter").input("满意度").run()
    assert list(at.dataframe[-1].value["三级指标"]) == ["国有企业满意度"]


def test_corpus_page_reports_a_bad_file_and_shows_the_rest(monkeypatch, tmp_path, seed_paths):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(seed_paths["003"], corpus)
    (corpus / "坏文件.xlsx").write_text("not a workbook", encoding="utf-8")
    at = _app(monkeypatch, corpus, tmp_path).run()
    assert not at.exception
    assert any("坏文件.xlsx" in w.value for w in at.warning)
    assert "1 个文件" in at.caption[0].value


def test_missing_corpus_folder_is_a_message_not_a_traceback(monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path / "nowhere", tmp_path).run()
    assert not at.exception
    assert any("语料文件夹不存在" in e.value for e in at.error)
