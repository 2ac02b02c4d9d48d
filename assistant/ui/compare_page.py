"""对比 page: a corpus project or a brief beside similar past projects: which 二级 each covers,
their targets and scoring for the same kind of indicator, and where this project's value sits
among comparable numeric targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..compare import Neighbour, coverage, neighbours, own_target, percent_targets, same_level
from ..index import CorpusIndex
from ..index.fusion import NOTHING_FITS
from ..models import Indicator, Level2
from . import common

SHORT = {lv: lv.value.removesuffix("指标") for lv in Level2}


def _subject(idx: CorpusIndex) -> tuple[str, str, list[str], list[Indicator]] | None:
    """What to compare: a corpus project (its text, title, id, rows) or a typed brief."""
    source = st.radio("对比对象", ["语料中的项目", "输入项目简介"], horizontal=True, key="compare_source")
    if source == "输入项目简介":
        query = st.text_input(
            "项目名称和绩效目标", key="compare_query", placeholder="如：信访维稳专项经费 重大会议期间值班劝返"
        )
        return (query, query, [], []) if query.strip() else None
    docs = [(i, t, m) for i, t, m in idx.project_docs() if m.horizon == "annual"]
    if not docs:
        st.info("语料为空。")
        return None
    labels = {i: f"{m.name}（{m.unit_name or '单位不详'}，{m.year or ''}）" for i, _, m in docs}
    chosen = st.selectbox("选择项目", list(labels), format_func=labels.__getitem__, key="compare_project")
    query = next(t for i, t, _ in docs if i == chosen)
    return query, labels[chosen], [chosen], idx.project_indicators(chosen)


def _neighbours_table(found: list[Neighbour]) -> None:
    st.subheader("相似的往年项目")
    st.dataframe(
        [
            {
                "项目": n.hit.name,
                "单位": n.hit.unit_name or common.MISSING,
                "年度": common.shown(n.hit.year),
                "资金总额（万元）": common.shown(getattr(n.hit.meta, "amount", None)),
                "相似程度": n.hit.explanation.level(),
                "相似之处": n.hit.explanation.reasons(),
                "共同词": "、".join(n.hit.explanation.shared_terms) or common.MISSING,
                "命中方式": n.hit.explanation.sides(),
            }
            for n in found
        ],
        hide_index=True,
        width="stretch",
    )


def _coverage_grid(title: str, own_rows: list[Indicator], found: list[Neighbour]) -> None:
    st.subheader("二级指标覆盖")
    table = ([(f"★ {title}", own_rows)] if own_rows else []) + [
        (f"{n.hit.name}（{n.hit.year}）", n.rows) for n in found
    ]
    grid = [
        {"项目": name, **{SHORT[lv]: ("✓" * c if c else "—") for lv, c in coverage(rows).items()}}
        for name, rows in table
    ]
    st.dataframe(pd.DataFrame(grid), hide_index=True, width="stretch")


def _same_level(found: list[Neighbour], level: Level2) -> None:
    side = [
        {
            "项目": n.hit.name,
            "年度": common.shown(n.hit.year),
            "三级指标": r.name,
            "指标值": r.target or common.MISSING,
            "单位": r.unit or common.MISSING,
            "类型": r.comparator_raw or common.MISSING,
            "评（扣）分标准": r.scoring or common.MISSING,
            "实际完成值": r.actual or common.MISSING,
        }
        for n, r in same_level(found, level)
    ]
    st.dataframe(side or [{"说明": "相似项目中没有这一类指标"}], hide_index=True, width="stretch")


def _distribution(idx: CorpusIndex, level: Level2, own_rows: list[Indicator]) -> None:
    import altair as alt  # 0.2 s: loaded with the first chart, not before the page's heading

    st.subheader(f"可比数值目标的分布：{level.value}")
    values = percent_targets(idx, level)
    if not values:
        st.caption("语料中没有这一类以百分比表示的目标值。")
        return
    frame = pd.DataFrame([{"目标值（%）": v, "项目": name} for v, name in values])
    chart = (
        alt.Chart(frame)
        .mark_bar(color="#4C78A8")
        .encode(
            x=alt.X("目标值（%）:Q", bin=alt.Bin(step=2.5), title="目标值（%）"), y=alt.Y("count():Q", title="项目数")
        )
    )
    own = own_target(own_rows, level)
    if own is not None:
        chart = chart + alt.Chart(pd.DataFrame({"本项目": [own]})).mark_rule(color="#E45756", size=3).encode(
            x="本项目:Q"
        )
        st.caption(f"红线：本项目的目标值 {own:g}%；语料中位数 {frame['目标值（%）'].median():g}%")
    st.altair_chart(chart, width="stretch")


def render() -> None:
    st.title("对比相似项目")
    idx = common.index()
    subject = _subject(idx)
    if subject is None:
        return
    query, title, own_ids, own_rows = subject
    k = st.slider("相似项目数", 2, 10, 5, key="compare_k")
    found = neighbours(idx, query, k, project_id=own_ids[0] if own_ids else None)
    related = [n for n in found if n.hit.relevant]
    if not related:
        st.info(f"{NOTHING_FITS}可在“语料”页加入同类项目的申报表。")
        if not found or not st.checkbox("仍然显示仅文字相近的项目", key="compare_text_only"):
            return
    else:
        found = related
    _neighbours_table(found)
    _coverage_grid(title, own_rows, found)
    levels = [lv.value for lv in Level2]
    level = Level2(
        st.selectbox("比较哪一类指标", levels, index=levels.index(Level2.SATISFACTION.value), key="compare_level")
    )
    _same_level(found, level)
    _distribution(idx, level, own_rows)
