"""Projects and indicators as index documents: an id, the text to match, typed metadata.

Ids are stable for a file's content position (file key + project + row), so re-indexing a
changed file replaces exactly its documents. The metadata is what a hit carries back to the
drafter, the pages and the CLI: typed here once, stored flat (chromadb takes str, int and float).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import resources
from typing import Literal

from pydantic import BaseModel

from ..classify import classify
from ..models import Comparator, DocKind, Filing, Horizon, Indicator, Level2, Project, Scope
from ..normalize import indicator_label
from ..tokens import TOKENIZER_ID, nouns


def _documents_id() -> str:
    """What the stored metadata depends on besides the files: the class and kind word lists,
    the tokenizer (measured objects are its nouns) and how a name is read (the version: v4 reads
    a name without its form's marks, normalize.indicator_label). An index made under another is
    re-read."""
    classes = resources.files("assistant").joinpath("data", "classes.toml").read_bytes()
    return "meta-v4+" + hashlib.sha1(classes + TOKENIZER_ID.encode()).hexdigest()[:10]


DOCUMENTS_ID = _documents_id()


class _Meta(BaseModel):
    """What every document says of the project it belongs to."""

    file: str  # the key of the file (or draft) it came from
    source: str | None = None  # the file name a person would recognise
    unit_name: str | None = None
    year: int | None = None
    doc_kind: DocKind = DocKind.TARGET_TABLE
    horizon: Horizon = Horizon.ANNUAL
    scope: Scope = Scope.PROJECT
    province: str | None = None
    place: str | None = None
    class_: str | None = None  # 支出功能分类, as classify() reads the project
    kind: str | None = None  # kind of spending

    def stored(self) -> dict[str, str | int | float]:
        """Flat metadata as chromadb and the document table hold it (no None, no empty text)."""
        data = self.model_dump(mode="json", exclude_none=True)
        return {k: v for k, v in data.items() if v != ""}


class ProjectMeta(_Meta):
    """What the index keeps of a project."""

    name: str = ""
    amount: float | None = None
    goal: str | None = None
    indicator_count: int = 0
    objects: str = ""  # what its indicators measure (nouns of the 三级 names), space-separated


class IndicatorMeta(_Meta):
    """What the index keeps of one indicator: its fields and its project's."""

    project_id: str
    project_name: str = ""
    index: int = 0
    level2: Level2 | None = None
    name: str = ""
    target: str | None = None
    target_detail: str | None = None
    scoring: str | None = None
    unit: str | None = None
    comparator: Comparator | None = None
    weight: float | None = None
    actual: str | None = None

    def indicator(self) -> Indicator:
        """The indicator rebuilt from its stored fields."""
        return Indicator(
            level2=self.level2,
            name=self.name,
            target=self.target,
            target_detail=self.target_detail,
            scoring=self.scoring,
            unit=self.unit,
            comparator=self.comparator,
            comparator_raw=self.comparator.value if self.comparator else None,
            weight=self.weight,
            actual=self.actual,
        )


Kind = Literal["projects", "indicators"]


class IndexDoc(BaseModel):
    id: str
    kind: Kind
    file: str  # the key of the file (or draft) it came from
    text: str  # embedded, shown, and matched by BM25
    keywords: str = ""  # matched by BM25 only: a project's 三级 names say what kind of spending it is
    meta: ProjectMeta | IndicatorMeta


def meta_of(kind: str, stored: dict) -> ProjectMeta | IndicatorMeta:
    return IndicatorMeta.model_validate(stored) if kind == "indicators" else ProjectMeta.model_validate(stored)


def file_key(path_or_name: str) -> str:
    return hashlib.sha1(path_or_name.encode("utf-8")).hexdigest()[:12]


# Nouns every kind of project measures: they say nothing about which kind this one is.
_COMMON_OBJECTS = frozenset(
    {
        "满意度",
        "群众",
        "服务",
        "对象",
        "资金",
        "项目",
        "工作",
        "时间",
        "质量",
        "数量",
        "指标",
        "情况",
        "成本",
        "效益",
        "社会",
        "经济",
        "生态",
        "影响",
        "单位",
        "人员",
        "人数",
        "任务",
        "目标",
        "完成",
        "年度",
        "预算",
        "执行",
        "标准",
        "控制",
        "支出",
        "经费",
        "保障",
        "管理",
        "效果",
        "水平",
        "能力",
        "程度",
        "合格",
        "效率",
        "时效",
        "投诉",
        # where, not what: every rural (city, office) project names it
        "农村",
        "乡村",
        "城乡",
        "城市",
        "全市",
        "全县",
        "全省",
        "全区",
        "机关",
        "部门",
    }
)


def measured_objects(names: Iterable[str]) -> list[str]:
    """The objects indicators measure: nouns of their names, less those every project measures."""
    found: dict[str, None] = {}
    for name in names:
        for noun in nouns(indicator_label(name)):
            if noun not in _COMMON_OBJECTS:
                found.setdefault(noun)
    return list(found)


def project_text(project: Project) -> str:
    return " ".join(x for x in (project.name, project.unit_name, project.goal) if x)


def indicator_text(ind: Indicator) -> str:
    level = ind.level2.value if ind.level2 else (ind.level2_raw or "")
    return " ".join(x for x in (level, ind.name, ind.target, ind.target_detail) if x)


def project_docs(project: Project, key: str, position: int) -> list[IndexDoc]:
    pid = f"{key}-p{position}"
    classes = classify(project.name, project.goal, project.unit_name)
    common = dict(
        file=key,
        source=project.source.file if project.source else None,
        unit_name=project.unit_name,
        year=project.year,
        doc_kind=project.doc_kind,
        horizon=project.horizon,
        scope=project.scope,
        province=project.province,
        place=project.place,
        class_=classes.class_,
        kind=classes.kind,
    )
    meta = ProjectMeta(
        **common,
        name=project.name,
        amount=project.amount,
        goal=project.goal,
        indicator_count=len(project.indicators),
        objects=" ".join(measured_objects(i.name for i in project.indicators)),
    )
    docs = [
        IndexDoc(
            id=pid,
            kind="projects",
            file=key,
            text=project_text(project),
            keywords=" ".join(i.name for i in project.indicators),
            meta=meta,
        )
    ]
    for i, ind in enumerate(project.indicators):
        docs.append(
            IndexDoc(
                id=f"{pid}-i{i}",
                kind="indicators",
                file=key,
                text=indicator_text(ind),
                meta=IndicatorMeta(
                    **common,
                    project_id=pid,
                    project_name=project.name,
                    index=i,
                    level2=ind.level2,
                    name=ind.name,
                    target=ind.target,
                    target_detail=ind.target_detail,
                    scoring=ind.scoring,
                    unit=ind.unit,
                    comparator=ind.comparator,
                    weight=ind.weight,
                    actual=ind.actual,
                ),
            )
        )
    return docs


def filing_docs(filing: Filing, key: str) -> list[IndexDoc]:
    return [doc for n, project in enumerate(filing.projects) for doc in project_docs(project, key, n)]
