"""The fixed 一级/二级 framework and the comparators of 指标值类型 (财预〔2021〕101号, the 2024 Hunan
forms): the vocabulary every other module speaks, with no dependencies of its own."""

from __future__ import annotations

from enum import StrEnum


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
