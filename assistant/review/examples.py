"""A rule's bad and good examples are rows a test can run, as ruff runs each rule on its fixtures.

One row per line:

    [二级 ›] 三级 | 指标值 | 单位 | 类型 [· 内容：… · 评分：… · 分值：20 · 实际：…]

Fields after the name may be left off from the right. A line starting with `项目：` sets the
project the rows below it belong to: `项目：名称 · 资金总额：40 · 目标：… · 年度：2024 · 自评`,
and `列：三级指标 指标值 分值` names the columns its form has (a column left blank on every row
is a fault only where the form has it).
A 自评 project is history (earlier actual values, for the cross-year check); several plain
projects are reviewed together, as a batch is. The docs show the same lines (docs/rules.md), so
an example can only change in a way the tests accept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.columns import header_field
from ..models import DocKind, Indicator, Project, SourceRef
from ..normalize import level2_of, parse_number

_FIELDS = {"内容": "target_detail", "评分": "scoring", "分值": "weight", "实际": "actual", "备注": "note"}


@dataclass
class Example:
    """The projects an example describes (reviewed together, as a batch is), and the earlier
    self-evaluations they are read beside."""

    projects: list[Project]
    history: list[Project] = field(default_factory=list)


def _row(line: str) -> Indicator:
    main, *extras = [part.strip() for part in line.split(" · ")]
    level2 = None
    if " › " in main:
        level, main = main.split(" › ", 1)
        level2 = level2_of(level)
        if level2 is None:
            raise ValueError(f"unknown 二级 in example: {level}")
    cells = [c.strip() for c in main.split("|")]
    name, target, unit, comparator = [*cells, "", "", "", ""][:4]
    fields: dict[str, object] = {}
    for extra in extras:
        key, _, value = extra.partition("：")
        if key not in _FIELDS:
            raise ValueError(f"unknown field in example: {extra}")
        fields[_FIELDS[key]] = parse_number(value) if key == "分值" else value
    return Indicator(
        level2=level2, name=name, target=target or None, unit=unit or None, comparator_raw=comparator or None, **fields
    )


def _project(line: str) -> Project:
    name, *extras = [part.strip() for part in line.removeprefix("项目：").split(" · ")]
    fields: dict[str, object] = {}
    kind = DocKind.TARGET_TABLE
    for extra in extras:
        key, _, value = extra.partition("：")
        if key == "资金总额":
            fields["amount"] = parse_number(value)
        elif key == "目标":
            fields["goal"] = value
        elif key == "年度":
            fields["year"] = int(value)
        elif key == "自评":
            kind = DocKind.SELF_EVALUATION
        elif key == "列":
            fields["columns"] = [f for f in (header_field(label) for label in value.split()) if f]
        else:
            raise ValueError(f"unknown project field in example: {extra}")
    return Project(doc_kind=kind, name=name, unit_name="示例单位", source=SourceRef(file="示例"), **fields)


def parse_example(text: str) -> Example:
    """The rows of an example, in a project (the one named, or an unnamed one)."""
    projects: list[Project] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if line.startswith("项目："):
            projects.append(_project(line))
            continue
        if not projects:
            projects.append(
                Project(
                    doc_kind=DocKind.TARGET_TABLE,
                    name="示例项目",
                    unit_name="示例单位",
                    year=2024,
                    source=SourceRef(file="示例"),
                )
            )
        projects[-1].indicators.append(_row(line))
    history = [p for p in projects if p.doc_kind is DocKind.SELF_EVALUATION]
    return Example(projects=[p for p in projects if p not in history], history=history)
