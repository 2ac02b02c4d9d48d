"""The review vocabulary, loaded from lexicon.toml (Vale's idea: words are data, not code).

Word lists are tuples: hashable, so `contains_any` compiles each list once, and `str.startswith`
takes them whole."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel

DEFAULT_PATH = Path(__file__).with_name("lexicon.toml")


class Words(BaseModel):
    evaluative: tuple[str, ...]
    direction: tuple[str, ...]
    direction_exceptions: tuple[str, ...]
    baseline: tuple[str, ...]
    hedges: tuple[str, ...]
    hedge_exceptions: tuple[str, ...]
    discretionary: tuple[str, ...]
    slogans: tuple[str, ...]
    scope: tuple[str, ...]
    time_vague: tuple[str, ...]
    placeholders: tuple[str, ...]
    checkable_states: tuple[str, ...]
    benchmark_pattern: str
    graded_levels: tuple[str, ...]


class Names(BaseModel):
    generic: tuple[str, ...]
    activity_prefixes: tuple[str, ...]
    activity_suffixes: tuple[str, ...]
    measurable: tuple[str, ...]
    compound_separators: tuple[str, ...]
    enumeration_separator: str
    enumeration_min_chars: int
    max_chars: int


class Units(BaseModel):
    valid: tuple[str, ...]
    none: tuple[str, ...]
    pseudo: tuple[str, ...]
    money: tuple[str, ...]


class Subjects(BaseModel):
    wrong: tuple[str, ...]


class Levels(BaseModel):
    execution: tuple[str, ...]
    budget_execution: tuple[str, ...]
    output_rates: tuple[str, ...]
    spending: tuple[str, ...]
    output_verbs: tuple[str, ...]
    output_leads: tuple[str, ...]
    entitlement: tuple[str, ...]
    time_names: tuple[str, ...]
    reverse_names: tuple[str, ...]
    positive_names: tuple[str, ...]


class Goal(BaseModel):
    generic_objects: tuple[str, ...]
    delivery_verbs: tuple[str, ...]


class Thresholds(BaseModel):
    satisfaction_floor: float
    satisfaction_ceiling: float
    target_too_high_ratio: float
    expected_totals: tuple[float, ...]
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
