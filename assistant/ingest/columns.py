"""Header cells → the fields they hold, and one table row → one Indicator.

Header names vary between forms and years (评（扣分标准）, 评（扣）分标准, 计量单位, 年度指标值…); the
map is by squashed text, so line breaks inside a header cell ("年度\\n指标值") do not matter.
"""

from __future__ import annotations

from ..models import Indicator, Level2, SourceRef
from ..normalize import (
    clean,
    comparator_of,
    level1_of,
    level2_of,
    parse_number,
    squash,
    weight_from_text,
)

HEADER_FIELDS: dict[str, str] = {
    "序号": "seq",
    "单位代码": "unit_code",
    "单位编码": "unit_code",
    "单位（专项）名称": "project",
    "单位(专项)名称": "project",
    "项目名称": "project",
    "项目支出名称": "project",
    "专项名称": "project",
    "资金总额": "amount",
    "年度资金总额": "amount",
    "项目资金（万元）": "amount",
    "实施期绩效目标": "goal",
    "年度绩效目标": "goal",
    "绩效目标": "goal",
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标值": "target",
    "年度指标值": "target",
    "指标值内容": "target_detail",
    "指标解释": "target_detail",
    "评（扣分标准）": "scoring",
    "评（扣）分标准": "scoring",
    "评(扣)分标准": "scoring",
    "评分标准": "scoring",
    "扣分标准": "scoring",
    "度量单位": "unit",
    "计量单位": "unit",
    "指标值类型": "comparator",
    "分值": "weight",
    "备注": "note",
    "实际完成值": "actual",
    "得分": "score",
}

REQUIRED = ("name", "target")
FIELD_LABELS = {"name": "三级指标", "target": "指标值"}


def header_map(cells: list[str]) -> dict[str, int]:
    """Field → column index; the first column wins when a merged header repeats."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = HEADER_FIELDS.get(squash(cell))
        if field and field not in found:
            found[field] = index
    return found


def cell(cells: list[str], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    if index is None or index >= len(cells):
        return ""
    return clean(cells[index])


def optional(text: str) -> str | None:
    return text if text else None


def indicator_from(
    fields: dict[str, str],
    level1_raw: str,
    level2_raw: str,
    source: SourceRef,
    level2: Level2 | None = None,
) -> Indicator:
    """Build an indicator from as-written field texts, parsing numbers where they are numbers.

    `level2` is given when the filing does not write it and the aligner inferred it.
    """
    target = fields.get("target", "")
    scoring = fields.get("scoring", "")
    note = fields.get("note", "")
    weight_text = fields.get("weight", "")
    comparator_raw = fields.get("comparator", "")
    level2 = level2 or level2_of(level2_raw)
    level1 = level2.level1 if level2 is not None else level1_of(level1_raw)
    weight = parse_number(weight_text) if weight_text else None
    if weight is None:
        weight = weight_from_text(note) if note else None
    if weight is None:
        weight = weight_from_text(scoring) if scoring else None
    score_text = fields.get("score", "")
    return Indicator(
        level1=level1,
        level1_raw=optional(level1_raw),
        level2=level2,
        level2_raw=optional(level2_raw),
        name=fields.get("name", ""),
        target=optional(target),
        target_number=parse_number(target),
        target_detail=optional(fields.get("target_detail", "")),
        scoring=optional(scoring),
        unit=optional(fields.get("unit", "")),
        comparator=comparator_of(comparator_raw),
        comparator_raw=optional(comparator_raw),
        weight=weight,
        note=optional(note),
        actual=optional(fields.get("actual", "")),
        score=parse_number(score_text) if score_text else None,
        source=source,
    )


PLACEHOLDERS = {"无", "-", "—", "--", "/", "*", "_", "……", "...", "…"}


def is_placeholder(text: str) -> bool:
    return squash(text) in PLACEHOLDERS or not squash(text)


def is_na_row(fields: dict[str, str]) -> bool:
    """A row that declares its 二级 not applicable: every field 无 or blank."""
    return all(is_placeholder(v) for v in fields.values())
