"""The domain model every stage passes along: filings, projects and their indicators.

The 一级/二级 framework is fixed (财预〔2021〕101号 and the 2024 Hunan forms); filings spell it in
variants, so each indicator keeps both the normalised level and the text as written.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Level1(StrEnum):
    COST = "成本指标"
    OUTPUT = "产出指标"
    EFFECT = "效益指标"
    SATISFACTION = "满意度指标"


class Level2(StrEnum):
    ECONOMIC_COST = "经济成本指标"
    SOCIAL_COST = "社会成本指标"
    ECOLOGICAL_COST = "生态环境成本指标"
    QUANTITY = "数量指标"
    QUALITY = "质量指标"
    TIMELINESS = "时效指标"
    ECONOMIC_BENEFIT = "经济效益指标"
    SOCIAL_BENEFIT = "社会效益指标"
    ECOLOGICAL_BENEFIT = "生态效益指标"
    SUSTAINABILITY = "可持续影响指标"
    SATISFACTION = "服务对象满意度指标"

    @property
    def level1(self) -> Level1:
        return LEVEL1_OF[self]


LEVEL1_OF: dict[Level2, Level1] = {
    Level2.ECONOMIC_COST: Level1.COST,
    Level2.SOCIAL_COST: Level1.COST,
    Level2.ECOLOGICAL_COST: Level1.COST,
    Level2.QUANTITY: Level1.OUTPUT,
    Level2.QUALITY: Level1.OUTPUT,
    Level2.TIMELINESS: Level1.OUTPUT,
    Level2.ECONOMIC_BENEFIT: Level1.EFFECT,
    Level2.SOCIAL_BENEFIT: Level1.EFFECT,
    Level2.ECOLOGICAL_BENEFIT: Level1.EFFECT,
    Level2.SUSTAINABILITY: Level1.EFFECT,
    Level2.SATISFACTION: Level1.SATISFACTION,
}

# Skeleton order of the 2024 forms; rows of a project follow it.
LEVEL2_ORDER: tuple[Level2, ...] = tuple(Level2)


class Comparator(StrEnum):
    EQ = "="
    GE = "≥"
    LE = "≤"
    GT = ">"
    LT = "<"
    QUALITATIVE = "定性"
    QUANTITATIVE = "定量"


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
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.line is not None:
            parts.append(f"(文本第 {self.line} 行)")
        return "，".join(parts)


class Indicator(BaseModel):
    """One 三级指标 row. Text fields are kept exactly as written; parsed values sit beside them."""

    level1: Level1 | None = None
    level1_raw: str | None = None
    level2: Level2 | None = None
    level2_raw: str | None = None
    name: str
    target: str | None = None  # 指标值 as written
    target_number: float | None = None  # the number in 指标值, when there is exactly one
    target_detail: str | None = None  # 指标值内容 / 指标解释
    scoring: str | None = None  # 评（扣）分标准
    unit: str | None = None  # 度量单位
    comparator: Comparator | None = None  # 指标值类型, normalised
    comparator_raw: str | None = None
    weight: float | None = None  # 分值
    note: str | None = None  # 备注
    actual: str | None = None  # 实际完成值 (自评表)
    score: float | None = None  # 得分 (自评表)
    source: SourceRef | None = None

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

    def same_content(self, other: Project) -> bool:
        if self.model_dump(exclude={"source", "indicators"}) != other.model_dump(exclude={"source", "indicators"}):
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
