"""Builders for review tests: one indicator or one project, with sensible measurable defaults."""

from __future__ import annotations

from assistant.models import Comparator, DocKind, Indicator, Level2, Project, SourceRef
from assistant.normalize import comparator_of, parse_number


def ind(name: str, target: str | None, level2: Level2 = Level2.QUANTITY, **fields) -> Indicator:
    comparator = fields.pop("comparator", "≥")
    data = {
        "level2": level2,
        "level1": level2.level1,
        "name": name,
        "target": target,
        "target_number": parse_number(target),
        "target_detail": fields.pop("detail", f"{name}达到{target}"),
        "scoring": fields.pop("scoring", "10分；每少1个单位扣1分，扣完为止"),
        "unit": fields.pop("unit", "个"),
        "comparator": comparator_of(comparator) if isinstance(comparator, str) else comparator,
        "comparator_raw": comparator if isinstance(comparator, str) else None,
        "weight": fields.pop("weight", 10.0),
        **fields,
    }
    return Indicator(**data)


GOOD_ROWS = [
    ind(
        "培训经费支出",
        "40",
        Level2.ECONOMIC_COST,
        unit="万元",
        comparator="≤",
        weight=20,
        scoring="20分；每超支1万元扣2分，扣完为止",
    ),
    ind("培训人数", "300", Level2.QUANTITY, unit="人", weight=20, scoring="20分；每少10人扣1分，扣完为止"),
    ind("培训考核合格率", "95", Level2.QUALITY, unit="%", weight=10, scoring="10分；每低1个百分点扣1分"),
    ind(
        "培训完成时间",
        "2024年11月30日",
        Level2.TIMELINESS,
        unit="日期",
        comparator="≤",
        weight=10,
        scoring="10分；每逾期5天扣2分，扣完为止",
    ),
    ind("参训人员岗位技能达标率", "90", Level2.SOCIAL_BENEFIT, unit="%", weight=20, scoring="20分；每低1个百分点扣1分"),
    ind("参训人员满意度", "90", Level2.SATISFACTION, unit="%", weight=10, scoring="10分；每低1个百分点扣1分"),
]


def project(rows: list[Indicator] | None = None, **fields) -> Project:
    data = {
        "doc_kind": DocKind.TARGET_TABLE,
        "unit_name": "衡阳市测试局",
        "year": 2024,
        "name": "干部教育培训经费",
        "amount": 40.0,
        "goal": "开展干部教育培训，提升培训人员岗位技能。",
        "indicators": list(GOOD_ROWS if rows is None else rows),
        "source": SourceRef(file="test.xlsx", table="Sheet1", row=5),
        **fields,
    }
    return Project(**data)


def with_row(index: int, row: Indicator) -> Project:
    """The good project with one row replaced."""
    rows = list(GOOD_ROWS)
    rows[index] = row
    return project(rows)


__all__ = ["GOOD_ROWS", "Comparator", "ind", "project", "with_row"]
