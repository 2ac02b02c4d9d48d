"""起草 page: a brief in, a draft table out; accept, edit or reject each row; export.

Every decision goes to the store at once (the database, not the session, is the record), so a
reload, a second tab or a restart shows the same state. The open draft is in the URL (?draft=N).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ..atomic import safe_filename
from ..draft import Brief, DraftIndicator
from ..draft.offline import brief_project, table_findings
from ..draft.templates import template_row
from ..models import ORIGIN_LABELS, ROW_COMPARATORS, Level2
from ..review.registry import Severity
from ..store import ConflictError, DraftRecord
from . import common

EDITABLE = {
    "二级指标": "level2",
    "三级指标": "name",
    "指标值": "target",
    "度量单位": "unit",
    "指标值类型": "comparator_raw",
    "指标值内容": "target_detail",
    "评（扣）分标准": "scoring",
    "分值": "weight",
}
# Rows taller than 4rem let Streamlit's grid wrap text: 审核意见 and 评分标准 read whole (three lines).
GRID_ROW_HEIGHT = 76
# The grid's columns in order, with their widths in pixels: each header shown whole.
WIDTHS = {
    "采纳": 64,
    "拒绝": 64,
    "状态": 60,
    "二级指标": 120,
    "三级指标": 180,
    "指标值": 110,
    "度量单位": 100,
    "指标值类型": 116,
    "分值": 72,
    "审核意见": 260,
    "评（扣）分标准": 260,
    "指标值内容": 160,
    "来源": 96,
    "来源说明": 260,
}
STATUS_LABELS = {"pending": "待定", "accepted": "已采纳", "edited": "已修改", "rejected": "已拒绝"}


def _open_draft_id() -> int | None:
    value = st.query_params.get("draft")
    return int(value) if value and str(value).isdigit() else None


def _switch_draft() -> None:
    chosen = st.session_state.get("open_draft")
    if chosen is None:
        st.query_params.pop("draft", None)
    else:
        st.query_params["draft"] = str(chosen)


def brief_form() -> None:
    with st.form("brief"):
        st.subheader("新项目简介")
        c1, c2 = st.columns(2)
        name = c1.text_input("项目名称", key="brief_name")
        unit = c2.text_input("预算单位", key="brief_unit")
        c3, c4 = st.columns(2)
        amount = c3.number_input("资金总额（万元）", min_value=0.0, value=0.0, step=1.0, key="brief_amount")
        year = c4.number_input(
            "预算年度", min_value=2000, max_value=2100, value=dt.date.today().year + 1, step=1, key="brief_year"
        )
        goal = st.text_area("实施期绩效目标", key="brief_goal")
        description = st.text_area("补充说明（可选）", key="brief_description")
        submitted = st.form_submit_button("起草", type="primary")
    if submitted:
        if not name.strip():
            st.error("请填写项目名称。")
            return
        brief = Brief(
            name=name.strip(),
            unit_name=unit.strip() or None,
            amount=amount or None,
            year=int(year),
            goal=goal.strip(),
            description=description.strip() or None,
        )
        common.index()  # brought up to date with the corpus, with its progress shown
        with st.spinner("正在检索往年相似项目并起草……"):
            result = common.assistant().draft(brief, llm=common.llm_settings())
        draft_id = common.store().create_draft(result, common.reviewer())
        st.query_params["draft"] = str(draft_id)
        st.rerun()


def row_problems(record: DraftRecord) -> dict[int, list[str]]:
    """What the review says of each row (by position), as the 审核意见 column shows it."""
    problems: dict[int, list[str]] = {}
    for f in table_findings(record.brief, [r.indicator for r in record.rows]):
        if f.indicator_index is not None:
            problems.setdefault(f.indicator_index, []).append(f"{f.severity.label}·{f.code} {f.message}")
    return problems


def row_frame(
    record: DraftRecord, keep: Sequence[int] | None = None, problems: dict[int, list[str]] | None = None
) -> pd.DataFrame:
    """The draft's rows (those at positions `keep`, else all), with each row's review and origin."""
    problems = row_problems(record) if problems is None else problems
    positions = range(len(record.rows)) if keep is None else keep
    return pd.DataFrame(
        [
            {
                "采纳": r.status in ("accepted", "edited"),
                "拒绝": r.status == "rejected",
                "状态": STATUS_LABELS[r.status],
                "二级指标": r.indicator.level2.value if r.indicator.level2 else "",
                "三级指标": r.indicator.name,
                "指标值": r.indicator.target or "",
                "度量单位": r.indicator.unit or "",
                "指标值类型": r.indicator.comparator_raw or "",
                "分值": r.indicator.weight or 0.0,
                "审核意见": "；".join(problems.get(n, [])) or "✓ 无问题",
                "评（扣）分标准": r.indicator.scoring or "",
                "指标值内容": r.indicator.target_detail or "",
                "来源": r.indicator.origin_label,
                "来源说明": r.indicator.origin_note or r.indicator.rationale or common.MISSING,
            }
            for n, r in ((n, record.rows[n]) for n in positions)
        ]
    )


def table_text(record: DraftRecord, problems: dict[int, list[str]] | None = None) -> str:
    """The rows not rejected as tab-separated text, to paste into Excel, WPS or a Word table."""
    columns = ["二级指标", "三级指标", "指标值", "度量单位", "指标值类型", "分值", "评（扣）分标准", "审核意见"]
    frame = row_frame(record, [n for n, r in enumerate(record.rows) if r.status != "rejected"], problems)
    lines = ["\t".join(columns)]
    for row in frame[columns].itertuples(index=False):
        lines.append("\t".join(f"{v:g}" if isinstance(v, float) else " ".join(str(v).split()) for v in row))
    return "\n".join(lines)


def edited_indicator(row: DraftIndicator, changes: dict) -> DraftIndicator:
    """The row with the editor's changes, by column label; what derives from them follows."""
    fields = {EDITABLE[label]: value for label, value in changes.items() if label in EDITABLE}
    if "level2" in fields:
        fields["level2"] = Level2(fields["level2"]) if fields["level2"] else None
    if "weight" in fields:
        fields["weight"] = float(fields["weight"] or 0)
    return row.revise(**fields)


def apply_edits(draft_id: int, key: str) -> None:
    """Each change in the editor becomes a decision in the store (accepted, edited, rejected).
    The editor may show some rows only (a filter by origin): its row n is the draft's row
    `shown[n]`, as the editor was drawn."""
    state = st.session_state.get(key) or {}
    shown = st.session_state.get(f"{key}_rows")
    record = common.store().load_draft(draft_id)
    who = common.reviewer()
    try:
        for index, changes in state.get("edited_rows", {}).items():
            row = record.rows[shown[int(index)] if shown is not None else int(index)]
            content = {k: v for k, v in changes.items() if k in EDITABLE}
            if content:
                common.store().decide(
                    draft_id,
                    row.id,
                    "edited",
                    who,
                    after=edited_indicator(row.indicator, content),
                    expected_version=row.version,
                )
            elif changes.get("拒绝") is True:
                common.store().decide(draft_id, row.id, "rejected", who, expected_version=row.version)
            elif changes.get("采纳") is True:
                common.store().decide(draft_id, row.id, "accepted", who, expected_version=row.version)
            elif changes.get("采纳") is False or changes.get("拒绝") is False:
                common.store().decide(draft_id, row.id, "pending", who, expected_version=row.version)
    except ConflictError as exc:
        st.session_state["draft_conflict"] = str(exc)
    st.session_state["editor_rev"] = st.session_state.get("editor_rev", 0) + 1


def accept_clean(record: DraftRecord) -> None:
    findings = table_findings(record.brief, [r.indicator for r in record.rows])
    bad = {f.indicator_index for f in findings if f.severity is Severity.ERROR}
    for n, row in enumerate(record.rows):
        if n not in bad and row.status == "pending":
            common.store().decide(record.id, row.id, "accepted", common.reviewer(), expected_version=row.version)


def exports(record: DraftRecord) -> None:
    accepted = record.accepted()
    st.subheader("导出")
    if not accepted:
        st.caption("采纳或修改至少一行后即可导出。")
        return
    project = brief_project(record.brief, accepted)
    missing = common.assistant().incomplete(project)
    if missing:
        st.warning("采纳的行还不是一张完整的绩效目标表：" + "；".join(missing) + "。")
        if not st.checkbox("仍要导出这张不完整的表", key=f"export_anyway_{record.id}"):
            return
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        "下载 .xlsx（标准格式）",
        common.file_bytes(lambda p: common.assistant().export([project], p), ".xlsx"),
        file_name=safe_filename(f"{record.brief.name}_绩效目标表", ".xlsx"),
        key="download_xlsx",
    )
    c2.download_button(
        "下载 .docx",
        common.file_bytes(lambda p: common.assistant().export([project], p), ".docx"),
        file_name=safe_filename(f"{record.brief.name}_绩效目标表", ".docx"),
        key="download_docx",
    )
    if record.status != "in_corpus" and c3.button("完成并加入语料", key="add_to_corpus"):
        common.assistant().finish(record.id, common.reviewer())
        st.success("已加入语料，并更新了索引。")
        st.rerun()
    elif record.status == "in_corpus":
        c3.success("已加入语料")


def _editor(record: DraftRecord, problems: dict[int, list[str]]) -> None:
    """The draft table; every change in it becomes a decision in the store, then it reloads."""
    keep = _origin_filter(record)
    key = f"editor_{record.id}_{st.session_state.get('editor_rev', 0)}"
    st.session_state[f"{key}_rows"] = keep
    st.data_editor(
        row_frame(record, keep, problems),
        key=key,
        hide_index=True,
        width="stretch",
        height=min(40 + GRID_ROW_HEIGHT * max(1, len(keep)), 1240),  # every row of a usual draft in view
        row_height=GRID_ROW_HEIGHT,
        disabled=["状态", "审核意见", "来源", "来源说明"],
        column_config={
            "采纳": st.column_config.CheckboxColumn("采纳", width=WIDTHS["采纳"]),
            "拒绝": st.column_config.CheckboxColumn("拒绝", width=WIDTHS["拒绝"]),
            "二级指标": st.column_config.SelectboxColumn(
                "二级指标", options=[lv.value for lv in Level2], width=WIDTHS["二级指标"]
            ),
            "指标值类型": st.column_config.SelectboxColumn(
                "指标值类型", options=list(ROW_COMPARATORS), width=WIDTHS["指标值类型"]
            ),
            "分值": st.column_config.NumberColumn("分值", min_value=0, max_value=100, step=1, width=WIDTHS["分值"]),
            **{
                label: st.column_config.TextColumn(label, width=width)
                for label, width in WIDTHS.items()
                if label not in ("采纳", "拒绝", "二级指标", "指标值类型", "分值")
            },
        },
    )
    if (st.session_state.get(key) or {}).get("edited_rows"):
        apply_edits(record.id, key)
        st.rerun()


def _actions(record: DraftRecord) -> None:
    c1, c2, c3, c4 = st.columns([1, 1, 1.2, 1])
    if c1.button("采纳全部无错误行", key="accept_clean"):
        accept_clean(record)
        st.rerun()
    if c2.button("新增一行", key="add_row"):
        common.store().add_row(record.id, template_row(Level2.QUANTITY, record.brief, 0), common.reviewer())
        st.rerun()
    level = c3.selectbox(
        "重新起草的二级", [lv.value for lv in Level2], key="redraft_level", label_visibility="collapsed"
    )
    if c4.button("重新起草该二级", key="redraft"):
        with st.spinner("正在重新起草……"):
            common.index()
            common.assistant().redraft(record.id, Level2(level), common.reviewer())
        st.rerun()


def _review_notes(record: DraftRecord, problems: dict[int, list[str]]) -> None:
    """The review of each row as text to read and copy, and the whole table as text to paste."""
    with st.expander(f"审核意见（{len(problems)} 行有问题）与可复制的表格文本", expanded=False):
        for n, row in enumerate(record.rows):
            if n in problems:
                st.markdown(f"**第 {n + 1} 行 {row.indicator.name}**：" + "；".join(problems[n]))
        if not problems:
            st.markdown("各行均未发现问题。")
        st.caption("表格文本（制表符分隔，未拒绝的行）：点右上角的复制按钮，粘贴到 Excel、WPS 或 Word。")
        st.code(table_text(record, problems), language=None)


def _sources(record: DraftRecord) -> None:
    with st.expander("每行的来源与依据"):
        for n, row in enumerate(record.rows, start=1):
            ind = row.indicator
            st.markdown(
                f"**第 {n} 行 {ind.name}** · {ind.origin_label} — {ind.origin_note or ind.rationale or '（无说明）'}"
            )
            sources = [record.sources[s] for s in ind.sources if s in record.sources]
            if not sources:
                continue
            st.dataframe(
                [
                    {
                        "项目": s["project"],
                        "单位": s.get("unit_name") or common.MISSING,
                        "年度": common.shown(s.get("year")),
                        "二级": s.get("level2") or common.MISSING,
                        "三级指标": s["name"],
                        "指标值": s.get("target") or common.MISSING,
                        "评分标准": s.get("scoring") or common.MISSING,
                    }
                    for s in sources
                ],
                hide_index=True,
                width="stretch",
            )


def show_draft(draft_id: int) -> None:
    record = common.store().load_draft(draft_id)
    st.subheader(f"草稿 #{record.id}：{record.brief.name}")
    mode = f"大模型 {record.model}" if record.mode == "llm" else "离线（申报内容、同类项目、指标库）"
    st.caption(f"起草方式：{mode} · 创建：{record.created_by} · {record.created_at:%Y-%m-%d %H:%M}")
    for notice in record.notices:
        st.warning(notice)
    if st.session_state.pop("draft_conflict", None):
        st.error("有其他人同时修改了这一行，已显示最新内容，请确认后再操作。")
    problems = row_problems(record)  # the review of the rows, once per render
    _editor(record, problems)
    _review_notes(record, problems)
    total = sum(r.indicator.weight or 0 for r in record.rows if r.status != "rejected")
    st.caption(f"分值合计（未拒绝的行）：{total:g} 分；预算执行率另计 10 分。")
    _actions(record)
    _sources(record)
    exports(record)  # every change above reruns the page, so this record is current


def render() -> None:
    st.title("起草绩效指标")
    drafts = common.store().list_drafts()
    current = _open_draft_id()
    if drafts:
        labels = {d[0]: f"#{d[0]} {d[1]}（{d[2]}，{d[3]:%m-%d %H:%M}）" for d in drafts}
        st.session_state["open_draft"] = current if current in labels else None  # the URL is the truth
        st.selectbox(
            "打开草稿",
            [None, *labels],
            format_func=lambda i: "＋ 新建草稿" if i is None else labels[i],
            key="open_draft",
            on_change=_switch_draft,
        )
    if current is None:
        brief_form()
    else:
        show_draft(current)


def _origin_filter(record: DraftRecord) -> list[int]:
    """Which rows to show: all, or those of the origins picked (从申报内容提取, 同类项目…)."""
    present = [label for label in ORIGIN_LABELS.values() if any(r.indicator.origin_label == label for r in record.rows)]
    picked = st.pills("按来源筛选", present, selection_mode="multi", key=f"origin_filter_{record.id}")
    return [n for n, r in enumerate(record.rows) if not picked or r.indicator.origin_label in picked]
