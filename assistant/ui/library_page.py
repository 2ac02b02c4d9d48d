"""指标库 page: browse the indicator library by 支出功能分类 class, kind of spending and 二级 —
entries mined from the corpus (how often, where), from reference libraries, and team-written."""

from __future__ import annotations

import streamlit as st

from ..classify import vocabulary
from ..library import SOURCE_LABELS, LibraryEntry
from ..models import Level2
from ..normalize import value_text
from . import common

ANY = "（全部）"


@st.cache_data(show_spinner="正在整理指标库……", max_entries=64)
def _entries(files: tuple, class_: str | None, kind: str | None, level: str) -> list[LibraryEntry]:
    """Library entries, remade only when the indexed files change (`files` keys the cache)."""
    return common.assistant().library(class_=class_, kind=kind, level2=None if level == ANY else Level2(level))


def render() -> None:
    st.title("指标库")
    st.caption("按功能分类和支出类型查看可用的三级指标：语料归纳（往年申报中出现的写法）、参考指标库、团队编写。")
    words = vocabulary()
    c1, c2, c3 = st.columns(3)
    class_ = c1.selectbox("功能分类", [ANY, *words["class"]], key="library_class")
    kind = c2.selectbox("支出类型", [ANY, *words["kind"]], key="library_kind")
    level = c3.selectbox("二级指标", [ANY, *(lv.value for lv in Level2)], key="library_level2")
    sources = st.pills(
        "来源",
        list(SOURCE_LABELS),
        format_func=SOURCE_LABELS.__getitem__,
        selection_mode="multi",
        key="library_sources",
    )
    files = tuple(sorted(common.index().indexed_files().items()))  # the index as it stands
    entries = _entries(files, None if class_ == ANY else class_, None if kind == ANY else kind, level)
    entries = [e for e in entries if not sources or e.source in sources]
    if not entries:
        st.info("指标库中没有这一类项目的指标。可换一个功能分类或支出类型，或在“语料”页加入同类项目的申报表。")
        return
    st.caption(f"共 {len(entries)} 条。名称中的 {{object}} 在起草时换成项目的主要对象（如 供水站、救护车）。")
    st.dataframe(
        [
            {
                "二级指标": e.level2.value,
                "三级指标": e.name,
                "指标值": value_text(e.comparator, e.target, e.unit) or common.MISSING,
                "功能分类": e.class_ or common.MISSING,
                "支出类型": e.kind or common.MISSING,
                "来源": SOURCE_LABELS[e.source],
                "依据": e.basis or common.MISSING,
                "见于": "；".join(e.where[:3]) + (" 等" if len(e.where) > 3 else "") if e.where else common.MISSING,
                "说明": e.detail or common.MISSING,
                "仅用于": f"申报内容含{'、'.join(e.when)}之一" if e.when else common.MISSING,
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
    )
