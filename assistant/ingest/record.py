"""Filing records: a published table kept as data (`corpus/filings/*.json`).

Real filings reach us as web pages. We keep each page as a record, not as a copy of the page: the
address, what the page says about each project (unit, year, amount, goal) and each indicator
table exactly as published — its header row in column order, then its rows, every cell's text
unchanged, a merged cell blank where the page leaves it blank. Rows the page cut off are dropped
and the record's `notes` say so. The tables are read by the same layout readers as any .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import IngestError
from ..models import DocKind, Horizon, Project, SourceRef
from .aligned import read_aligned
from .columns import header_field
from .grid import Row, Table


class RecordTable(BaseModel):
    """One indicator table as published: the header row, then the rows below it."""

    model_config = ConfigDict(extra="forbid")

    horizon: str | None = None  # "年度" / "中长期" where the page has one table per horizon
    header: list[str]
    rows: list[list[str]]

    @field_validator("header")
    @classmethod
    def _names_an_indicator(cls, header: list[str]) -> list[str]:
        if not any(header_field(h) == "name" for h in header):
            raise ValueError("表头必须含指标名称列（三级指标、指标名称、指标内容等）")
        return header

    @model_validator(mode="after")
    def _rows_fit_header(self) -> RecordTable:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.header):
                raise ValueError(f"第 {number} 行有 {len(row)} 个单元格，表头有 {len(self.header)} 列")
        return self


class RecordProject(BaseModel):
    """What the page gives about one project, and its tables."""

    model_config = ConfigDict(extra="forbid")

    name: str
    unit: str | None = None
    year: int | None = None
    amount: float | None = None  # 万元, as the page states it
    # 年度 / 实施期绩效目标: None when the page does not show it, "" when it shows the box empty
    goal: str | None = None
    goal_midterm: str | None = None  # 中长期 / 实施期绩效目标, when the form has both
    tables: list[RecordTable] = Field(min_length=1)


class FilingRecord(BaseModel):
    """One source page: where it is, what form it shows, and its projects."""

    model_config = ConfigDict(extra="forbid")

    address: str
    page_title: str
    province: str
    place: str | None = None  # city / county / district
    form: str  # the table's title as published, e.g. 项目支出绩效目标表, 项目支出绩效自评表
    notes: str = ""  # what was dropped and why (page cut off, cells unreadable)
    projects: list[RecordProject] = Field(min_length=1)


def read_record(path: Path) -> list[Project]:
    """A filing record's projects, each table read by the aligned-table reader."""
    try:
        record = FilingRecord.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise IngestError(f"不是有效的填报记录：{where} {first['msg']}", SourceRef(file=path.name)) from None
    projects: list[Project] = []
    for n, item in enumerate(record.projects, start=1):
        base = Project(
            doc_kind=DocKind.TARGET_TABLE,
            unit_name=item.unit,
            year=item.year,
            name=item.name,
            amount=item.amount,
            goal=item.goal,
            goal_midterm=item.goal_midterm,
            province=record.province,
            place=record.place,
            source_url=record.address,
        )
        for m, published in enumerate(item.tables, start=1):
            table = Table(file=path.name, name=f"项目{n}表{m} {record.form}")
            table.rows = [Row(cells=published.header, number=0)]
            table.rows += [Row(cells=cells, number=k) for k, cells in enumerate(published.rows, start=1)]
            horizon = Horizon.MIDTERM if (published.horizon or "").startswith(("中长期", "实施期")) else Horizon.ANNUAL
            known = {"name": item.name}
            for read in read_aligned(table, base.model_copy(update={"horizon": horizon}), known):
                read.amount, read.goal = item.amount, item.goal
                if horizon is Horizon.MIDTERM:
                    read.goal = item.goal_midterm or item.goal
                projects.append(read)
    return projects
