"""The review vocabulary, loaded from lexicon.toml (Vale's idea: words are data, not code)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel

DEFAULT_PATH = Path(__file__).with_name("lexicon.toml")


class Words(BaseModel):
    evaluative: list[str]
    direction: list[str]
    direction_exceptions: list[str]
    baseline: list[str]
    hedges: list[str]
    hedge_exceptions: list[str]
    discretionary: list[str]
    slogans: list[str]
    scope: list[str]
    time_vague: list[str]
    placeholders: list[str]
    checkable_states: list[str]
    benchmark_pattern: str
    graded_levels: list[str]


class Names(BaseModel):
    generic: list[str]
    activity_prefixes: list[str]
    activity_suffixes: list[str]
    measurable: list[str]
    compound_separators: list[str]
    enumeration_separator: str
    enumeration_min_chars: int
    max_chars: int


class Units(BaseModel):
    valid: list[str]
    none: list[str]
    pseudo: list[str]
    money: list[str]


class Subjects(BaseModel):
    wrong: list[str]


class Levels(BaseModel):
    execution: list[str]
    spending: list[str]
    output_verbs: list[str]
    output_leads: list[str]
    entitlement: list[str]
    time_names: list[str]
    reverse_names: list[str]
    positive_names: list[str]


class Goal(BaseModel):
    generic_objects: list[str]
    delivery_verbs: list[str]


class Thresholds(BaseModel):
    satisfaction_floor: float
    satisfaction_ceiling: float
    target_too_high_ratio: float
    expected_totals: list[float]
    budget_tolerance: float


class Lexicon(BaseModel):
    words: Words
    names: Names
    units: Units
    subjects: Subjects
    levels: Levels
    goal: Goal
    thresholds: Thresholds


def load_lexicon(path: Path | str | None = None) -> Lexicon:
    return _load(str(path or DEFAULT_PATH))


@cache
def _load(path: str) -> Lexicon:
    with open(path, "rb") as handle:
        return Lexicon.model_validate(tomllib.load(handle))
