"""对比 page: a corpus project or a brief beside similar past projects: which 二级 each covers,
their targets and scoring for the same kind of indicator, and where this project's value sits
among comparable numeric targets."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ..index import Filters
from ..models import Level2
from ..review.text import numbers
from . import common

SHORT = {lv: lv.value.removesuffix("指标") for lv in Level2}


def _value(target: str | None) -> float | None:
    found = numbers(target)
    return found[0] if len(found) == 1 else None


def render() -> None:
    st.title("对比相似项目")
    idx = common.index()
    source = st.radio("对比对象", ["语料中的项目", "输入项目简介"], horizontal=True, key="compare_source")
    own_ids: list[str] = []
    own_rows = []
    if source == "语料中的项目":
        docs = [(i, t, m) for i, t, m in idx.project_docs() if m.horizon == "annual"]
        if not docs:
            st.info("语料为空。")
            return
        labels = {i: f"{m.name}（{m.unit_name or '单位不详'}，{m.year or ''}）" for i, _, m in docs}
        chosen = st.selectbox("选择项目", list(labels), format_func=labels.get, key="compare_project")
        query = next(t for i, t, _ in docs if i == chosen)
        own_ids = [chosen]
        own_rows = idx.project_indicators(chosen)
        title = labels[chosen]
    else:
        query = st.text_input(
            "项目名称和绩效目标", key="compare_query", placeholder="如：信访维稳专项经费 重大会议期间值班劝返"
        )
        title = query
        if not query.strip():
            return
    k = st.slider("相似项目数", 2, 10, 5, key="compare_k")
    hits = idx.search(query, "projects", k, Filters(horizon="annual", exclude_ids=own_ids))
    if not hits:
        st.info("没有找到相似的往年项目。")
        return
    st.subheader("相似的往年项目")
    st.dataframe(
        [
            {
                "项目": h.name,
                "单位": h.unit_name,
                "年度": h.year,
                "资金总额（万元）": getattr(h.meta, "amount", None),
                "相似度": round(h.score, 4),
                "命中方式": common.found_by(h.explanation.found_by),
                "共同词": "、".join(h.explanation.shared_terms),
            }
            for h in hits
        ],
        hide_index=True,
        width="stretch",
    )
    rows_of = {h.id: idx.project_indicators(h.id) for h in hits}
    st.subheader("二级指标覆盖")
    grid = []
    for name, rows in ([(f"★ {title}", own_rows)] if own_rows else []) + [
        (f"{h.name}（{h.year}）", rows_of[h.id]) for h in hits
    ]:
        counts = {SHORT[lv]: sum(r.level2 is lv for r in rows) for lv in Level2}
        grid.append({"项目": name, **{k: ("✓" * v if v else "—") for k, v in counts.items()}})
    st.dataframe(pd.DataFrame(grid), hide_index=True, width="stretch")

    level = Level2(
        st.selectbox(
            "比较哪一类指标",
            [lv.value for lv in Level2],
            index=list(Level2).index(Level2.SATISFACTION),
            key="compare_level",
        )
    )
    side = []
    for h in hits:
        for r in rows_of[h.id]:
            if r.level2 is level:
                side.append(
                    {
                        "项目": h.name,
                        "年度": h.year,
                        "三级指标": r.name,
                        "指标值": r.target,
                        "单位": r.unit,
                        "类型": r.comparator_raw,
                        "评（扣）分标准": r.scoring,
                        "实际完成值": r.actual,
                    }
                )
    st.dataframe(side or [{"说明": "相似项目中没有这一类指标"}], hide_index=True, width="stretch")

    st.subheader(f"可比数值目标的分布：{level.value}")
    values = []
    for meta in idx.level2_rows(level.value):
        v = _value(meta.target)
        percent = meta.unit in ("%", "％") or "%" in (meta.target or "")
        if meta.horizon == "annual" and v is not None and percent:
            values.append({"目标值（%）": v, "项目": meta.project_name})
    own = next((_value(r.target) for r in own_rows if r.level2 is level and _value(r.target) is not None), None)
    if not values:
        st.caption("语料中没有这一类以百分比表示的目标值。")
        return
    frame = pd.DataFrame(values)
    chart = (
        alt.Chart(frame)
        .mark_bar(color="#4C78A8")
        .encode(
            x=alt.X("目标值（%）:Q", bin=alt.Bin(step=2.5), title="目标值（%）"), y=alt.Y("count():Q", title="项目数")
        )
    )
    if own is not None:
        chart = chart + alt.Chart(pd.DataFrame({"本项目": [own]})).mark_rule(color="#E45756", size=3).encode(
            x="本项目:Q"
        )
        st.caption(f"红线：本项目的目标值 {own:g}%；语料中位数 {frame['目标值（%）'].median():g}%")
    st.altair_chart(chart, width="stretch")
