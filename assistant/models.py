"""The domain model every stage passes along: filings, projects and their indicators.

The 一级/二级 framework is fixed (财预〔2021〕101号 and the 2024 Hunan forms); filings spell it in
variants, so each indicator keeps both the normalised level and the text as written.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from .framework import LEVEL1_OF, LEVEL2_ORDER, Comparator, Level1, Level2
from .normalize import comparator_of, level2_of, parse_number

__all__ = [
    "DOC_KIND_LABELS",
    "HORIZON_LABELS",
    "LEVEL1_OF",
    "LEVEL2_ORDER",
    "ROW_COMPARATORS",
    "SCOPE_LABELS",
    "Comparator",
    "DocKind",
    "DraftIndicator",
    "DraftRow",
    "Filing",
    "Horizon",
    "Indicator",
    "Level1",
    "Level2",
    "Project",
    "Scope",
    "SourceRef",
]


class DocKind(StrEnum):
    TARGET_TABLE = "target_table"  # 项目支出绩效目标表 (2024 forms, xlsx exports)
    APPLICATION_FORM = "application_form"  # 2020 专项资金绩效目标申报表
    SELF_EVALUATION = "self_evaluation"  # 绩效自评表


class Horizon(StrEnum):
    ANNUAL = "annual"  # 年度
    MIDTERM = "midterm"  # 中长期 (实施期)


class Scope(StrEnum):
    PROJECT = "project"
    DEPARTMENT = "department"  # 部门整体支出


DOC_KIND_LABELS = {
    DocKind.TARGET_TABLE: "绩效目标表",
    DocKind.APPLICATION_FORM: "绩效目标申报表",
    DocKind.SELF_EVALUATION: "绩效自评表",
}
SCOPE_LABELS = {Scope.PROJECT: "项目支出", Scope.DEPARTMENT: "部门整体支出"}
HORIZON_LABELS = {Horizon.ANNUAL: "年度", Horizon.MIDTERM: "中长期"}


class SourceRef(BaseModel):
    """Where a project or a row came from, precise enough to open the file and find it."""

    model_config = ConfigDict(frozen=True)

    file: str
    table: str | None = None  # sheet name, or "表3 项目支出绩效目标表" for text/docx tables
    row: int | None = None  # 1-based row within that table or sheet
    line: int | None = None  # 1-based line in a text file

    def describe(self) -> str:
        parts = [f"文件 {self.file}"]
        if self.table:
            parts.append(f"表 {self.table}")
        if self.row == 0:  # a filing record's header: its rows are numbered from the first under it
            parts.append("表头")
        elif self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.line is not None:
            parts.append(f"(文本第 {self.line} 行)")
        return "，".join(parts)


class Indicator(BaseModel):
    """One 三级指标 row. Text fields are kept exactly as written; what can be derived from them is
    derived here, once: the 一级 of a known 二级, the comparator a written 指标值类型 names, the
    number in 指标值. Build one with the written fields; `revise` applies an edit."""

    level1: Level1 | None = None  # given only where the 二级 is not known (the 一级 cell alone)
    level1_raw: str | None = None
    level2: Level2 | None = None
    level2_raw: str | None = None
    name: str
    target: str | None = None  # 指标值 as written
    target_detail: str | None = None  # 指标值内容 / 指标解释
    scoring: str | None = None  # 评（扣）分标准
    unit: str | None = None  # 度量单位
    comparator: Comparator | None = None  # 指标值类型, normalised
    comparator_raw: str | None = None
    nature: str | None = None  # 指标性质 / 指标方向 where a form has one beside the comparator: 正向, 反向
    weight: float | None = None  # 分值
    note: str | None = None  # 备注
    actual: str | None = None  # 实际完成值 (自评表)
    score: float | None = None  # 得分 (自评表)
    source: SourceRef | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def target_number(self) -> float | None:
        """The number in 指标值, when there is exactly one."""
        return parse_number(self.target)

    @model_validator(mode="after")
    def _derive(self) -> Self:
        if self.level2 is not None:
            self.level1 = self.level2.level1
        written = comparator_of(self.comparator_raw)
        if written is not None:  # a comparator read from the value cell stays when none is written
            self.comparator = written
        return self

    def revise(self, **changes: object) -> Self:
        """A copy with `changes` applied and what derives from them worked out again."""
        return self.model_validate({**self.model_dump(exclude={"target_number"}), **changes})

    def shown(self) -> dict:
        """The fields as a table shows them: a level the filing left implicit (the split layout
        of 000/001, aligned by us) shows as its normalised name once written out."""
        data = self.model_dump(exclude={"source"})
        data["level1_raw"] = self.level1_raw or (self.level1.value if self.level1 else None)
        data["level2_raw"] = self.level2_raw or (self.level2.value if self.level2 else None)
        return data

    def same_content(self, other: Indicator) -> bool:
        """Equal in every field a user sees, ignoring where each came from."""
        return self.shown() == other.shown()


# The 指标值类型 a drafted row may carry (the ones a budget system accepts; never a bare 定量).
RowComparator = Literal["≥", "≤", "=", ">", "<", "定性"]
ROW_COMPARATORS: tuple[str, ...] = get_args(RowComparator)


Origin = Literal["brief", "similar", "library", "generic"]
ORIGIN_LABELS: dict[str, str] = {
    "brief": "从申报内容提取",
    "similar": "同类项目",
    "library": "指标库",
    "generic": "通用",
}


class DraftIndicator(Indicator):
    """A suggested row: an indicator plus where it came from (the brief, a similar past project,
    the library, or a generic form), the past indicators it drew on and why."""

    sources: list[str] = Field(default_factory=list)  # ids of past indicators in the index
    rationale: str = ""
    origin: Origin | None = None  # None: a row drafted before origins were kept
    origin_note: str = ""  # 同类项目：名称（单位，地点，年度）· 同为农林水、建设工程

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin or "", "—")


class DraftRow(BaseModel):
    """One row as the model must answer it (validated before anything else sees it)."""

    level2: Level2
    name: str = Field(min_length=2, max_length=100)
    target: str = Field(min_length=1)
    unit: str = ""
    comparator: RowComparator = "≥"
    target_detail: str = ""
    scoring: str = ""
    weight: float = Field(default=10, ge=0, le=100)
    sources: list[str] = Field(default_factory=list)
    rationale: str = ""

    @field_validator("level2", mode="before")
    @classmethod
    def _level2(cls, value: object) -> object:
        return level2_of(str(value)) or value

    @field_validator("comparator", mode="before")
    @classmethod
    def _comparator(cls, value: object) -> object:
        found = comparator_of(str(value))
        return found.value if found is not None else value

    @field_validator("target", "unit", "target_detail", "scoring", "rationale", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return "" if value is None else str(value) if isinstance(value, int | float) else value

    def indicator(self, sources: list[str] | None = None) -> DraftIndicator:
        """The row as an indicator of the table, citing the past indicators it drew on."""
        return DraftIndicator(
            level2=self.level2,
            name=self.name,
            target=self.target,
            target_detail=self.target_detail or None,
            scoring=self.scoring or None,
            unit=self.unit or None,
            comparator_raw=self.comparator,
            weight=self.weight,
            sources=sources or [],
            rationale=self.rationale,
        )


class Project(BaseModel):
    doc_kind: DocKind
    scope: Scope = Scope.PROJECT
    unit_name: str | None = None
    unit_code: str | None = None
    year: int | None = None
    name: str
    amount: float | None = None  # 资金总额, 万元
    goal: str | None = None
    goal_midterm: str | None = None
    horizon: Horizon = Horizon.ANNUAL
    province: str | None = None  # 省级行政区, where the filing says or its source shows
    place: str | None = None  # city / county / district
    source_url: str | None = None  # the published page a filing record was taken from
    source: SourceRef | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    # 二级 declared not applicable ("无") in the filing, kept so review can tell n/a from missing.
    level2_na: list[Level2] = Field(default_factory=list)
    # the fields the filing's indicator table has columns for (name, target, unit, weight,
    # scoring…), so review can tell a column left blank from a form without it; [] when unknown
    columns: list[str] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """Names the project across files, reruns and horizons: file, table, name, horizon."""
        source = self.source
        return f"{source.file if source else ''}|{source.table if source and source.table else ''}|{self.name}|{self.horizon}"

    def same_content(self, other: Project) -> bool:
        """The same filing content, whatever layout it was read from (source, columns; a goal
        the form has no box for reads back from the standard layout as an empty box)."""
        layout = {"source", "indicators", "columns", "goal"}
        if (self.goal or None) != (other.goal or None):
            return False
        if self.model_dump(exclude=layout) != other.model_dump(exclude=layout):
            return False
        return len(self.indicators) == len(other.indicators) and all(
            a.same_content(b) for a, b in zip(self.indicators, other.indicators)
        )


class Filing(BaseModel):
    """One imported file: its projects and what the importer had to guess."""

    path: str
    doc_kind: DocKind
    unit_name: str | None = None
    year: int | None = None
    projects: list[Project] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)
