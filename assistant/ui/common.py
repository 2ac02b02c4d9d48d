"""What every page shares: settings, cached resources, the reviewer's name, the LLM chosen for
this session, and an error boundary so a clerk sees a message, never a traceback."""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
import threading
import traceback
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
import streamlit.components.v1 as components

from ..atomic import path_inside, safe_filename, write_atomically
from ..config import Settings
from ..core import Assistant
from ..errors import AssistantError
from ..llm import LLMSettings

if TYPE_CHECKING:  # the index and the store load chromadb and SQLAlchemy: the pages that use them do
    from ..index import CorpusIndex
    from ..store import Store

log = logging.getLogger("assistant.ui")

MISSING = "—"  # what every table shows for a value the filing does not give


def shown(value: object) -> str:
    """A table cell as text: numbers without trailing zeros, None and "" as —. One type per
    column: a column of numbers and "—" makes Streamlit's Arrow conversion fail and guess."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def _assistant(corpus_dir: str, data_dir: str, db_url: str) -> Assistant:
    """One core per server and configuration. Its index is opened and the embedding model and
    jieba warmed here, so the first draft does not pay for loading them."""
    from ..index.lexical import tokenize
    from ..tokens import nouns

    helper = Assistant(settings(), llm=None)  # each session chooses its own endpoint (llm_settings)
    helper.index.embedder.embed_query("预热")
    tokenize("预热")
    nouns("预热")
    return helper


def assistant() -> Assistant:
    """The shared core for the current settings (the environment)."""
    s = settings()
    with st.spinner("正在加载检索模型……"):  # shown only if still loading after half a second
        return _assistant(str(s.corpus_dir), str(s.data_dir), os.environ.get("ASSISTANT_DB_URL", ""))


@st.cache_resource(show_spinner=False)
def _warm_up(corpus_dir: str, data_dir: str, db_url: str) -> threading.Thread:
    """Once per server: open the core in the background while the first page is read, so the
    first 起草 click waits for what is left of the model load, not all of it (cache_resource
    makes that click wait on the same computation instead of starting a second)."""

    def load() -> None:
        try:
            _assistant(corpus_dir, data_dir, db_url)
        except Exception as exc:  # noqa: BLE001 — the page that needs the index reports it to the clerk
            log.warning("index warm-up failed: %s", exc)

    thread = threading.Thread(target=load, name="assistant-warm-up", daemon=True)
    thread.start()
    return thread


def index() -> CorpusIndex:
    """The corpus index, brought up to date with the corpus folder once per change (with progress)."""
    helper = assistant()
    from ..corpus import fingerprint

    s = helper.settings
    stamp = (str(s.corpus_dir), fingerprint(s.corpus_dir))
    if st.session_state.get("_indexed") != stamp and s.corpus_dir.is_dir():
        bar = st.progress(0.0, text="正在更新语料索引……")

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / max(1, total), text=f"正在索引 {name}（{done}/{total}）")

        report = helper.sync(progress=progress)
        bar.empty()
        for notice in report.notices:
            st.info(notice)
        for error in report.errors:
            st.warning(f"未能导入：{error}")
        st.session_state["_indexed"] = stamp
    return helper.index


def store() -> Store:
    return assistant().store


def reviewer() -> str:
    return (st.session_state.get("reviewer") or "").strip() or "未署名"


def llm_settings() -> LLMSettings | None:
    """This session's endpoint if the 设置 page set one, else the environment's, else None."""
    return st.session_state.get("llm_settings") or LLMSettings.from_env()


def mode_label() -> str:
    llm = llm_settings()
    return f"大模型：{llm.describe()}" if llm else "离线模式（未配置大模型）"


# Streamlit's uploader writes its own English ("Upload", "20MB per file"): shown in Chinese here.
# The English stays in the page, hidden; the Chinese is drawn over it (a CSS pseudo-element). Only
# the empty dropzone's button: once files are chosen its buttons are icons (add, remove).
CHINESE_WIDGETS = """
<style>
section[data-testid="stFileUploaderDropzone"] button[kind="secondary"] { visibility: hidden; position: relative; }
section[data-testid="stFileUploaderDropzone"] button[kind="secondary"]::after {
  content: "选择文件"; visibility: visible; position: absolute; inset: 0; display: flex;
  align-items: center; justify-content: center; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); background: inherit; }
[data-testid="stFileUploaderDropzoneInstructions"] { visibility: hidden; position: relative; min-height: 1.5rem; }
[data-testid="stFileUploaderDropzoneInstructions"]::after {
  content: "拖放文件到这里，或点击选择文件；单个文件不超过 20MB"; visibility: visible;
  position: absolute; left: 0; top: 0; font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); }
</style>
"""


NAME_COOKIE = "assistant_who"


def name_cookie() -> str:
    """The name in this browser's cookie, as the connection brought it ("" when none)."""
    value = st.context.cookies.get(NAME_COOKIE)
    return urllib.parse.unquote(value) if isinstance(value, str) else ""


def remembered_name() -> str:
    """The name this browser last gave: in the address (?who=, a reload or a bookmark) or in
    its cookie (a new tab)."""
    return st.query_params.get("who") or name_cookie()


def remember_in_browser(name: str) -> None:
    """Keep the name in a cookie of this browser, for its next tabs. The server cannot set one
    (Streamlit reads cookies, never writes them), so a zero-height component does, same origin."""
    value = json.dumps(urllib.parse.quote(name, safe=""))  # only %XX and letters: safe inside a script
    age = 31_536_000 if name else 0
    components.html(
        f"<script>document.cookie = '{NAME_COOKIE}=' + {value} + '; path=/; max-age={age}; SameSite=Strict';</script>",
        height=0,
    )


def sidebar() -> None:
    """The person's name (kept per browser: in the address and a cookie) and the drafting mode."""
    st.markdown(CHINESE_WIDGETS, unsafe_allow_html=True)
    remembered = remembered_name()
    if remembered and "reviewer" not in st.session_state:
        st.session_state["reviewer"] = remembered
    with st.sidebar:
        name = st.text_input("审核人/填报人姓名", key="reviewer", placeholder="用于记录每一项决定", max_chars=40)
        st.caption(mode_label())
        if name != name_cookie():
            remember_in_browser(name)
    if name and name != st.query_params.get("who"):
        st.query_params["who"] = name
    elif not name and "who" in st.query_params:
        del st.query_params["who"]


def safe(render: Callable[[], None]) -> Callable[[], None]:
    """Run a page; errors become a message a clerk understands, details go to the server log."""

    @functools.wraps(render)
    def page() -> None:
        sidebar()
        try:
            render()
        except AssistantError as exc:
            st.error(str(exc))
        except Exception as exc:  # noqa: BLE001 — the page must never show a traceback
            log.error("page %s failed: %s", render.__name__, "".join(traceback.format_exception(exc)))
            st.error(
                f"操作没有完成：{type(exc).__name__}。请重试；如果问题持续，请联系管理员（详情已记录在服务器日志）。"
            )
        s = settings()  # warmed after the page is drawn, so it does not slow the first render
        _warm_up(str(s.corpus_dir), str(s.data_dir), os.environ.get("ASSISTANT_DB_URL", ""))

    return page


def save_upload(uploaded, folder: Path | None = None, overwrite: bool = False) -> Path:
    """An uploaded file on disk under its own name, made safe (importers name files in their
    messages); in a shared folder an existing file is replaced only when asked (FileExists)."""
    limits = settings().limits
    if uploaded.size > limits.max_file_mb * 1_000_000:
        raise AssistantError(
            f"文件 {uploaded.name} 大小 {uploaded.size / 1_000_000:.1f} MB，超过上限 {limits.max_file_mb:g} MB，未导入"
        )
    folder = folder or Path(tempfile.mkdtemp(prefix="upload-"))
    stem, suffix = Path(uploaded.name).stem, Path(uploaded.name).suffix.lower()
    path = path_inside(folder, safe_filename(stem, suffix))
    return write_atomically(path, lambda tmp: tmp.write_bytes(uploaded.getvalue()), overwrite=overwrite)


def file_bytes(write: Callable[[Path], Path], suffix: str) -> bytes:
    """Run an exporter into a temporary file and return its bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="export-") as tmp:
        return write(Path(tmp) / f"export{suffix}").read_bytes()
