"""语料 page: browse the filings of the corpus, their projects and indicators."""

from __future__ import annotations

import streamlit as st

from ..config import Settings
from ..corpus import Corpus, fingerprint, load_corpus
from ..errors import AssistantError
from ..models import DOC_KIND_LABELS, HORIZON_LABELS, SCOPE_LABELS, Project


@st.cache_data(show_spinner=False)
def _cached_corpus(folder: str, _key: tuple) -> Corpus:
    return load_corpus(folder)


def cached_corpus(settings: Settings) -> Corpus:
    folder = str(settings.corpus_dir)
    return _cached_corpus(folder, fingerprint(folder))


def project_label(project: Project) -> str:
    horizon = "" if project.horizon.value == "annual" else f"（{HORIZON_LABELS[project.horizon]}）"
    return f"{project.name}{horizon} · {project.year or '年度不详'}"


def indicator_table(project: Project) -> list[dict]:
    return [
        {
            "一级指标": ind.level1.value if ind.level1 else ind.level1_raw,
            "二级指标": ind.level2.value if ind.level2 else ind.level2_raw,
            "三级指标": ind.name,
            "指标值": ind.target,
            "指标值内容": ind.target_detail,
            "评（扣）分标准": ind.scoring,
            "度量单位": ind.unit,
            "指标值类型": ind.comparator_raw,
            "分值": ind.weight,
            "备注": ind.note,
            "实际完成值": ind.actual,
            "得分": ind.score,
            "来源": ind.source.describe() if ind.source else "",
        }
        for ind in project.indicators
    ]


def render() -> None:
    settings = Settings.from_env()
    st.title("语料库")
    try:
        with st.spinner("正在读取语料……"):
            corpus = cached_corpus(settings)
    except AssistantError as exc:
        st.error(f"无法读取语料：{exc}")
        return
    projects = corpus.projects
    indicator_count = sum(len(p.indicators) for p in projects)
    st.caption(
        f"语料文件夹：{corpus.folder} · {len(corpus.filings)} 个文件 · {len(projects)} 个项目 · "
        f"{indicator_count} 条三级指标"
    )
    for message in corpus.errors:
        st.warning(f"未能导入：{message}")
    if not corpus.filings:
        st.info("语料文件夹中还没有可导入的文件（支持 .txt .docx .xlsx）。")
        return

    st.subheader("文件")
    st.dataframe(
        [
            {
                "文件": f.path.rsplit("/", 1)[-1],
                "类型": DOC_KIND_LABELS[f.doc_kind],
                "单位": f.unit_name,
                "年度": f.year,
                "项目数": len(f.projects),
                "三级指标数": f.indicator_count,
            }
            for f in corpus.filings
        ],
        hide_index=True,
        width="stretch",
    )
    names = [f.path.rsplit("/", 1)[-1] for f in corpus.filings]
    chosen = st.selectbox("选择文件", names, key="corpus_file")
    filing = corpus.filings[names.index(chosen)]

    st.subheader("项目")
    st.dataframe(
        [
            {
                "项目名称": p.name,
                "单位": p.unit_name,
                "期限": HORIZON_LABELS[p.horizon],
                "范围": SCOPE_LABELS[p.scope],
                "资金总额（万元）": p.amount,
                "三级指标数": len(p.indicators),
            }
            for p in filing.projects
        ],
        hide_index=True,
        width="stretch",
    )
    labels = [project_label(p) for p in filing.projects]
    index = st.selectbox(
        "选择项目", range(len(labels)), format_func=labels.__getitem__, key="corpus_project"
    )
    project = filing.projects[index]
    st.markdown(f"**{project.name}**")
    if project.goal:
        st.write(f"绩效目标：{project.goal}")
    if project.level2_na:
        st.write("声明不适用的二级指标：" + "、".join(lv.value for lv in project.level2_na))
    query = st.text_input("筛选三级指标（名称包含）", key="corpus_filter")
    rows = [r for r in indicator_table(project) if not query or query in (r["三级指标"] or "")]
    st.dataframe(rows, hide_index=True, width="stretch")
