"""Header cells → the fields they hold, and one table row → one Indicator.

Header names vary between forms, years and provinces (评（扣分标准）, 计量单位, 年度指标值, 目标值,
权重, 符号, 指标内容, 三級指標…; docs/conventions.md lists where each was seen); the map is by
squashed, simplified text, so line breaks and spaces inside a header cell ("年度\\n指标值",
"一级 指标") and a trailing note in brackets ("年初目标值(A)", "单位(文字描述)") do not matter.
"""

from __future__ import annotations

import re

from ..models import Indicator, Level1, Level2, SourceRef
from ..normalize import (
    clean,
    comparator_of,
    level1_of,
    level2_of,
    parse_number,
    split_value,
    squash,
    to_simplified,
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
    "三级": "name",
    "三级指标名称": "name",
    "指标名称": "name",
    "指标内容": "name",
    "一级": "level1",
    "二级": "level2",
    "指标类型": "level1",
    "指标值": "target",
    "年度指标值": "target",
    "目标值": "target",
    "年度目标值": "target",
    "年初目标值": "target",
    "预期指标值": "target",
    "绩效指标值": "target",
    "区域目标值": "target",
    "指标值内容": "target_detail",
    "指标解释": "target_detail",
    "指标描述": "target_detail",
    "指标说明": "target_detail",
    "评（扣分标准）": "scoring",
    "评（扣）分标准": "scoring",
    "评(扣)分标准": "scoring",
    "评分标准": "scoring",
    "扣分标准": "scoring",
    "度量单位": "unit",
    "计量单位": "unit",
    "绩效度量单位": "unit",
    "单位": "unit",
    "指标值类型": "comparator",
    "指标方向": "comparator",
    "符号": "comparator",
    "指标性质": "nature",  # 正向/反向 on some forms, the comparator on others
    "分值": "weight",
    "指标分值": "weight",
    "权重": "weight",
    "权重占比": "weight",
    "备注": "note",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "全年完成值": "actual",
    "完成值": "actual",
    "实际值": "actual",
    "单项指标实际完成值": "actual",
    "得分": "score",
    "单项指标得分": "score",
    "自评得分": "score",
}
_BRACKET_RE = re.compile(r"[（(][^（()）]*[)）]?$")


def header_field(cell: str) -> str | None:
    """The field a header cell names, or None."""
    label = to_simplified(squash(cell)).strip("*＊★")
    return HEADER_FIELDS.get(label) or HEADER_FIELDS.get(_BRACKET_RE.sub("", label))


REQUIRED = ("name", "target")
FIELD_LABELS = {"name": "三级指标", "target": "指标值"}


def header_map(cells: list[str]) -> dict[str, int]:
    """Field → column index; the first column wins when a merged header repeats."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        field = header_field(cell)
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
    # a 一级 name written where the 二级 goes (实施效果指标 › 产出指标 › 三级) gives the 一级
    level1 = level2.level1 if level2 is not None else (level1_of(level2_raw) or level1_of(level1_raw))
    if level2 is None and level1 is Level1.SATISFACTION:
        level2 = Level2.SATISFACTION  # the one 二级 of 满意度, whatever the form calls it (具体指标)
    comparator = comparator_of(comparator_raw)
    nature = fields.get("nature", "")
    if comparator is None and comparator_of(nature) is not None:
        comparator_raw, nature = nature, ""
        comparator = comparator_of(comparator_raw)
    unit = fields.get("unit", "")
    # Forms without a 指标值类型 or 度量单位 column write both into the value ("≥95%", "=10个"):
    # read them from there, so a review sees what the form says (the value stays as written).
    parts = split_value(target)
    if parts is not None:
        if comparator is None and not comparator_raw:
            comparator = parts[0]
        if "unit" not in fields and parts[2]:
            unit = parts[2]
    weight = parse_number(weight_text) if weight_text else None
    detail = fields.get("target_detail", "")
    if weight is None and not detail and _PROSE_RE.search(weight_text):
        detail = weight_text  # 河北 2020 自评表 prints the 指标解释 under its 指标分值 heading
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
        target_detail=optional(detail),
        scoring=optional(scoring),
        unit=optional(unit),
        comparator=comparator,
        comparator_raw=optional(comparator_raw),
        nature=squash(nature) if squash(nature) in ("正向", "反向") else None,
        weight=weight,
        note=optional(note),
        actual=optional(fields.get("actual", "")),
        score=parse_number(score_text) if score_text else None,
        source=source,
    )


_PROSE_RE = re.compile(r"[\u4e00-\u9fff]{6}")
PLACEHOLDERS = {"无", "-", "—", "--", "/", "*", "_", "……", "...", "…"}


def is_placeholder(text: str) -> bool:
    return squash(text) in PLACEHOLDERS or not squash(text)


_NOT_APPLICABLE_RE = re.compile(r"不适用|不涉及|无此类|无此项|本项目无")


def declares_na(fields: dict[str, str]) -> bool:
    """A row that says in words that its 二级 does not apply — "本项目不适用此指标 | 无" — as
    the framework asks, rather than leaving it blank: a declaration, not an indicator."""
    value = fields.get("target", "")
    said = any(_NOT_APPLICABLE_RE.search(fields.get(f, "")) for f in ("name", "target", "target_detail", "note"))
    return said and (is_placeholder(value) or bool(_NOT_APPLICABLE_RE.search(value)))


def is_na_row(fields: dict[str, str]) -> bool:
    """A row that declares its 二级 not applicable: every field 无 or blank."""
    return all(is_placeholder(v) for v in fields.values())
