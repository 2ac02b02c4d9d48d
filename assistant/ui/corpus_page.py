"""语料 page: browse and search filings, projects and indicators; add files (imported,
reviewed and indexed, with progress) and remove them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import streamlit as st

from ..atomic import FileExists
from ..corpus import Corpus, ManifestEntry, fingerprint, load_corpus, load_manifest
from ..errors import AssistantError
from ..index.fusion import NOTHING_FITS
from ..ingest import expand_paths
from ..models import HORIZON_LABELS, SCOPE_LABELS, Filing, Project
from ..review.engine import review_projects
from . import common


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_corpus(folder: str, stamp: tuple) -> Corpus:
    """Keyed by the folder's file names, sizes and times, so a changed file is re-read."""
    return load_corpus(folder)


def cached_corpus() -> Corpus:
    folder = str(common.settings().corpus_dir)
    return _cached_corpus(folder, fingerprint(folder))


def project_label(project: Project) -> str:
    horizon = "" if project.horizon.value == "annual" else f"（{HORIZON_LABELS[project.horizon]}）"
    return f"{project.name}{horizon} · {project.year or '年度不详'}"


def indicator_table(project: Project) -> list[dict]:
    """The project's rows as the filing gives them; what it leaves out shows as —."""
    return [
        {
            label: common.shown(value)
            for label, value in {
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
                "来源": ind.source.describe() if ind.source else None,
            }.items()
        }
        for ind in project.indicators
    ]


FILTERS = {"province": "省份", "class_": "功能分类", "kind": "支出类型", "year": "年度", "form": "表式"}


def _relative(path: str, folder: str) -> str:
    return str(Path(path).resolve().relative_to(Path(folder).resolve()))


def _counted(counts: dict[str, int]):
    return lambda value: f"{value}（{counts[value]}）"


def filings_table(corpus: Corpus) -> list[dict]:
    """Every filing joined with its manifest line, narrowed by the filters the clerk chose,
    with the counts of each filter value shown in its options."""
    manifest = load_manifest(corpus.folder)
    rows: list[tuple[dict[str, str], dict[str, Any]]] = []
    for filing in corpus.filings:
        rel = _relative(filing.path, corpus.folder)
        entry = manifest.get(rel, ManifestEntry(file=rel))
        values = {
            "province": entry.province,
            "class_": entry.class_,
            "kind": entry.kind,
            "year": entry.year or (str(filing.year) if filing.year else ""),
            "form": entry.form,
        }
        rows.append(
            (
                values,
                {
                    "文件": rel,
                    "省份": entry.province or common.MISSING,
                    "地区": entry.place or common.MISSING,
                    "单位": filing.unit_name or entry.unit or common.MISSING,
                    "年度": common.shown(values["year"]),
                    "表式": entry.form or common.MISSING,
                    "功能分类": entry.class_ or common.MISSING,
                    "支出类型": entry.kind or common.MISSING,
                    "项目数": len(filing.projects),
                    "三级指标数": filing.indicator_count,
                    "来源": entry.link or "",  # a link column shows "" as empty, None as "None"
                },
            )
        )
    columns = st.columns(len(FILTERS))
    for column, (field, label) in zip(columns, FILTERS.items()):
        counts: dict[str, int] = {}
        for values, _ in rows:
            for value in (values[field] or common.MISSING).split(";"):
                counts[value] = counts.get(value, 0) + 1
        chosen = column.multiselect(
            label, sorted(counts), format_func=_counted(counts), key=f"corpus_filter_{field}", placeholder="全部"
        )
        if chosen:
            rows = [(v, r) for v, r in rows if set((v[field] or common.MISSING).split(";")) & set(chosen)]
    st.caption(
        f"符合条件：{len(rows)} 个文件，{sum(r['项目数'] for _, r in rows)} 个项目，"
        f"{sum(r['三级指标数'] for _, r in rows)} 条三级指标"
    )
    return [r for _, r in rows]


def manage_files() -> None:
    folder = common.settings().corpus_dir
    with st.expander("添加或移除文件"):
        uploads = st.file_uploader(
            "添加填报文件到语料（.txt .docx .xlsx .json）",
            type=["txt", "docx", "xlsx", "json"],
            accept_multiple_files=True,
            key="corpus_upload",
        )
        replace = st.checkbox(
            "替换语料中同名的文件", key="corpus_replace", help="不勾选时，与已有文件同名的上传不会覆盖原文件"
        )
        if uploads and st.button("导入并建立索引", key="corpus_add"):
            saved: list[Path] = []
            for upload in uploads:
                try:
                    saved.append(common.save_upload(upload, folder, overwrite=replace))
                except FileExists as exc:
                    st.error(f"{exc}（如需替换，请勾选“替换语料中同名的文件”）")
                except AssistantError as exc:
                    st.error(str(exc))
            if not saved:
                return
            idx = common.index()  # syncs the new files, with a progress bar
            added = [p.name for p in saved]
            st.success(f"已加入语料：{'、'.join(added)}（索引中共 {idx.count('projects')} 个项目）")
            corpus = cached_corpus()
            fresh = [p for f in corpus.filings if f.path.rsplit("/", 1)[-1] in added for p in f.projects]
            if fresh:
                findings = review_projects(fresh)
                errors = sum(f.severity.value == "error" for f in findings)
                st.info(f"新文件的审核：{len(fresh)} 个项目，{errors} 个错误（详见审核页）。")
        files = [str(p.relative_to(folder)) for p in expand_paths([folder])] if folder.is_dir() else []
        doomed = st.multiselect("移除文件", files, key="corpus_remove_files", placeholder="选择要移除的文件")
        if doomed and st.button("移除所选文件", key="corpus_remove"):
            for name in doomed:
                (folder / name).unlink(missing_ok=True)
            common.index()
            st.success(f"已移除：{'、'.join(doomed)}")
            st.rerun()


def search_box() -> None:
    query = st.text_input("检索往年项目和指标", key="corpus_search", placeholder="如：公车、信访维稳、满意度")
    if not query.strip():
        return
    common.index()  # up to date with the folder
    kinds: dict[Literal["projects", "indicators"], str] = {"projects": "项目", "indicators": "三级指标"}
    kind = st.radio("检索对象", list(kinds), format_func=kinds.__getitem__, horizontal=True, key="corpus_search_kind")
    hits = common.assistant().similar(query, 10, kind=kind)
    if not hits:
        st.info(NOTHING_FITS)
        return
    st.dataframe(
        [
            {
                "名称": h.name,
                "所属项目": h.indicator.project_name if h.kind == "indicators" else common.MISSING,
                "单位": h.unit_name or common.MISSING,
                "年度": common.shown(h.year),
                "指标值": (h.indicator.target or common.MISSING) if h.kind == "indicators" else common.MISSING,
                "相似程度": h.explanation.level() if h.kind == "projects" else common.MISSING,
                "相似之处": h.explanation.reasons() if h.kind == "projects" else common.MISSING,
                "命中方式": h.explanation.sides(),
                "共同词": "、".join(h.explanation.shared_terms) or common.MISSING,
                "来源": h.source or common.MISSING,
            }
            for h in hits
        ],
        hide_index=True,
        width="stretch",
    )


def render() -> None:
    st.title("语料库")
    try:
        with st.spinner("正在读取语料……"):
            corpus = cached_corpus()
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
    manage_files()
    search_box()
    if not corpus.filings:
        st.info("语料文件夹中还没有可导入的文件（支持 .txt .docx .xlsx）。")
        return

    st.subheader("文件")
    shown = filings_table(corpus)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={"来源": st.column_config.LinkColumn("来源", display_text="打开原网页")},
    )
    names = [row["文件"] for row in shown]
    if not names:
        st.info("没有符合筛选条件的文件。")
        return
    chosen = st.selectbox("选择文件", names, key="corpus_file")
    show_filing(next(f for f in corpus.filings if _relative(f.path, corpus.folder) == chosen))


def show_filing(filing: Filing) -> None:
    st.subheader("项目")
    st.dataframe(
        [
            {
                "项目名称": p.name,
                "单位": p.unit_name or common.MISSING,
                "期限": HORIZON_LABELS[p.horizon],
                "范围": SCOPE_LABELS[p.scope],
                "资金总额（万元）": common.shown(p.amount),
                "三级指标数": len(p.indicators),
            }
            for p in filing.projects
        ],
        hide_index=True,
        width="stretch",
    )
    labels = [project_label(p) for p in filing.projects]
    index = st.selectbox("选择项目", range(len(labels)), format_func=labels.__getitem__, key="corpus_project")
    project = filing.projects[index]
    st.markdown(f"**{project.name}**")
    if project.goal:
        st.write(f"绩效目标：{project.goal}")
    if project.level2_na:
        st.write("声明不适用的二级指标：" + "、".join(lv.value for lv in project.level2_na))
    query = st.text_input("筛选三级指标（名称包含）", key="corpus_filter")
    rows = [r for r in indicator_table(project) if not query or query in (r["三级指标"] or "")]
    st.dataframe(rows, hide_index=True, width="stretch")
