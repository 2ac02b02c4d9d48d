"""设置 page: the LLM endpoint, model and key for this session only (never stored or logged),
the embedding function and where data lives."""

from __future__ import annotations

import os

import streamlit as st
from pydantic import SecretStr

from ..llm import LLMSettings
from . import common


def render() -> None:
    st.title("设置")
    st.subheader("大模型（仅本次会话有效）")
    current = common.llm_settings()
    st.caption(f"当前：{common.mode_label()}")
    with st.form("llm_form"):
        base_url = st.text_input(
            "接口地址（OpenAI 兼容）",
            value=current.base_url or "" if current else "",
            placeholder="如 https://api.deepseek.com/v1 或 http://127.0.0.1:11434/v1",
        )
        model = st.text_input(
            "模型名称", value=current.model if current else "", placeholder="如 deepseek-chat、qwen-plus"
        )
        key = st.text_input("API Key", type="password", placeholder="只保存在本次会话中，不写入磁盘或日志")
        timeout = st.number_input(
            "超时（秒）", min_value=5, max_value=600, value=int(current.timeout) if current else 60
        )
        method = st.selectbox(
            "结构化输出方式",
            ["auto", "json_schema", "function_calling", "json_mode"],
            help="auto：先试 JSON Schema，不支持时自动改用函数调用或 JSON 模式",
        )
        c1, c2 = st.columns(2)
        save = c1.form_submit_button("使用此设置", type="primary")
        clear = c2.form_submit_button("恢复离线模式")
    if save:
        if not model.strip() or not (base_url.strip() or key):
            st.error("请至少填写模型名称，以及接口地址或 API Key。")
        else:
            st.session_state["llm_settings"] = LLMSettings(
                base_url=base_url.strip() or None,
                api_key=SecretStr(key) if key else None,
                model=model.strip(),
                timeout=float(timeout),
                method=method,
            )
            st.success(f"本次会话将使用 {model.strip()}。")
    if clear:
        st.session_state["llm_settings"] = None
        st.success("已恢复为环境配置（未配置时为离线模式）。")

    st.subheader("检索与数据")
    s = common.settings()
    idx = common.index()
    st.write(f"向量方式：`{idx.embedder.id}`（环境变量 ASSISTANT_EMBEDDING：e5、hashing 或 openai）")
    chroma = os.environ.get("ASSISTANT_CHROMA_HOST")
    st.write(
        f"向量库：{'chromadb 服务 ' + chroma + ':' + os.environ.get('ASSISTANT_CHROMA_PORT', '8000') if chroma else '内嵌（数据目录）'}"
    )
    st.write(f"语料文件夹：`{s.corpus_dir}`（ASSISTANT_CORPUS_DIR）")
    st.write(f"数据目录：`{s.data_dir}`（ASSISTANT_DATA_DIR）")
    db = os.environ.get("ASSISTANT_DB_URL")
    st.write(f"决定记录数据库：{'ASSISTANT_DB_URL 指定的数据库' if db else 'SQLite（数据目录）'}")
    st.write(f"已索引：{idx.count('projects')} 个项目，{idx.count('indicators')} 条三级指标")
