"""审核 page: upload filings, see projects worst first with findings, fix hints and 退回意见;
with an LLM, accept checked rewrites into a corrected copy; download the report and the copy."""

from __future__ import annotations

import streamlit as st

from ..errors import AssistantError
from ..llm import LLMClient, LLMError
from ..models import Project
from ..review import report
from ..review.critic import corrected, critique
from ..review.engine import Finding
from ..review.registry import REGISTRY, Severity
from . import common

__all__ = ["corrected", "render"]


def load(files) -> tuple[list[Project], list[str]]:
    """Import every uploaded file, one at a time with progress: a bad file is listed, the rest
    are reviewed. Streamlit stops this run at the next progress update when the clerk clicks
    anything else (e.g. 停止), so a long batch can be left without waiting for it."""
    projects, errors = [], []
    helper = common.assistant()
    bar = st.progress(0.0, text="正在导入……") if len(files) > 1 else None
    for n, uploaded in enumerate(files, start=1):
        if bar is not None:
            bar.progress(n / len(files), text=f"正在导入第 {n}/{len(files)} 个文件：{uploaded.name}")
        try:
            batch = helper.read(common.save_upload(uploaded))
        except AssistantError as exc:  # a refused upload (too big)
            errors.append(str(exc))
            continue
        projects += [p for f in batch.filings for p in f.projects]
        errors += [str(e) for e in batch.errors]
    if bar is not None:
        bar.empty()
    return projects, errors


def findings_table(project: Project, findings: list[Finding], key: str) -> None:
    c1, c2 = st.columns(2)
    levels = [s.value for s in Severity]
    severities = c1.multiselect(
        "级别",
        levels,
        default=levels,
        format_func=lambda v: Severity(v).label,
        key=f"sev_{key}",
        placeholder="选择级别",
    )
    codes = sorted({f.code for f in findings})
    rules = c2.multiselect(
        "规则",
        codes,
        default=codes,
        format_func=lambda c: f"{c} {REGISTRY[c].summary}",
        key=f"rule_{key}",
        placeholder="选择规则",
    )
    shown = [f for f in findings if f.severity.value in severities and f.code in rules]
    st.dataframe(
        [
            {
                "级别": f.severity.label,
                "规则": f.code,
                "行": common.MISSING
                if f.indicator_index is None
                else str(report.sheet_row(project, f.indicator_index)),
                "三级指标": f.indicator or "（整个项目）",
                "问题": f.message,
                "修改建议": f.suggestion,
            }
            for f in shown
        ],
        hide_index=True,
        width="stretch",
    )


def ai_rewrites(project: Project, findings: list[Finding]) -> None:
    llm = common.llm_settings()
    if llm is None:
        st.caption("配置大模型后（设置页），可以让大模型逐条给出审核判断和改写。")
        return
    key = project.key
    notes_key = f"critic_{key}"
    if st.button("请大模型逐条审核并改写", key=f"ask_{key}"):
        try:
            with st.spinner("大模型正在审核……"):
                st.session_state[notes_key] = critique(project, LLMClient(llm), findings)
        except LLMError as exc:
            st.warning(f"{exc.notice}：{exc}。只显示规则审核结果。")
    for note in st.session_state.get(notes_key, []):
        verdict = {"pass": "合格", "revise": "需修改", "reject": "建议删除"}[note.judgment]
        st.markdown(f"**第 {note.indicator_index + 1} 行 {note.indicator}** — {verdict}：{note.reason}")
        if note.rewrite is None:
            continue
        r = note.rewrite
        line = f"{r.name} | {r.target} | {r.unit or ''} | {r.comparator_raw} | {r.scoring or ''}"
        if note.rewrite_passes:
            accept = st.checkbox(f"采纳改写：{line}", key=f"take_{key}_{note.indicator_index}")
            chosen = st.session_state.setdefault("rewrites", {}).setdefault(key, {})
            if accept:
                chosen[note.indicator_index] = r
            else:
                chosen.pop(note.indicator_index, None)
        else:
            problems = "；".join(f"{f.code} {f.message}" for f in note.rewrite_findings if f.severity.value == "error")
            st.caption(f"改写未通过规则检查，不予采用：{line}（{problems}）")


def render() -> None:
    st.title("审核填报文件")
    files = st.file_uploader(
        "上传一个或多个填报文件（.txt .docx .xlsx）",
        type=["txt", "docx", "xlsx"],
        accept_multiple_files=True,
        key="review_files",
    )
    if not files:
        st.info("上传文件后，系统按规则逐条审核，列出问题、修改建议和退回意见。")
        return
    if len(files) > 1:
        st.button("停止", key="review_stop", help="停止导入和审核剩余的文件")
    with st.spinner("正在导入和审核……"):
        projects, errors = load(files)
    for error in errors:
        st.error(f"无法导入：{error}")
    if not projects:
        return
    result = common.assistant().review(projects)
    findings = result.findings
    st.success(result.summary())
    for n, (project, items) in enumerate(result.by_project()):
        counts = {s.value: sum(f.severity is s for f in items) for s in Severity}
        grade = report.verdict(items)
        title = (
            f"【{grade}】{report.project_title(project)}"
            f"（{project.source.file if project.source else '—'}）— 错误 {counts['error']} · 警告 {counts['warning']}"
            f" · 提示 {counts['info']}"
        )
        with st.expander(title, expanded=n == 0):
            st.markdown("**退回意见**" if grade == "退回" else "**审核意见**")
            st.info(report.return_opinion(project, items))
            findings_table(project, items, f"p{n}")
            ai_rewrites(project, items)
    c1, c2 = st.columns(2)
    c1.download_button(
        "下载审核报告（.xlsx）",
        common.file_bytes(lambda p: report.write_xlsx(projects, findings, p), ".xlsx"),
        file_name="审核报告.xlsx",
        key="download_report",
    )
    c2.download_button(
        "下载修改后的填报表（.xlsx）",
        common.file_bytes(
            lambda p: common.assistant().export(corrected(projects, st.session_state.get("rewrites", {})), p), ".xlsx"
        ),
        file_name="修改后的绩效目标表.xlsx",
        key="download_corrected",
    )
