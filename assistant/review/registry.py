"""The one place rules are registered, in the manner of ruff: a code, a family, a severity, a
message quoting the offending text, a fix hint and a doc (why, source, bad, good).

A rule is a small generator function decorated with `@rule(...)`; it yields one message per
problem it sees. Indicator rules receive one row; project rules receive the whole project and
yield (message, indicator index or None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

from ..models import Indicator, Level2, Project
from .lexicon import Lexicon
from .structure import Parts, parts


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self]  # a StrEnum member hashes as its value; `.value` costs an enum lookup

    @property
    def label(self) -> str:
        return _LABELS[self.value]


_RANKS = {"error": 0, "warning": 1, "info": 2}
_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


FAMILIES = {
    "V": "指标值 (value)",
    "N": "指标名称 (name)",
    "C": "指标归类 (classification)",
    "T": "类型与单位 (type and unit)",
    "K": "成本、时效与满意度 (cost, time, satisfaction)",
    "S": "评（扣）分标准 (scoring rule)",
    "P": "项目结构 (project structure)",
}


@dataclass(frozen=True)
class Context:
    """What a rule may consult besides the row: its project, the vocabulary, and the projects
    reviewed alongside it (for copy-paste across projects and earlier years' actual values)."""

    project: Project
    lexicon: Lexicon
    siblings: tuple[Project, ...] = ()
    history: tuple[Project, ...] = ()
    # (unit, row fingerprint) → how many sibling projects carry that row; computed once per batch
    copies: Mapping[tuple, int] = field(default_factory=dict)

    @cached_property
    def has_scoring_column(self) -> bool:
        """Whether the project's layout has a 评（扣）分标准 column (some row fills it); the 2020
        申报表 has none. Asked by several rules for every row, so worked out once per project."""
        return any(i.scoring for i in self.project.indicators)

    @cached_property
    def has_detail_column(self) -> bool:
        """Whether the layout has a 指标值内容 column (some row fills it): asked for every row."""
        return any(i.target_detail for i in self.project.indicators)

    @cached_property
    def parts(self) -> Parts:
        """Heading rows and the detail rows under them (review/structure.py)."""
        return parts(self.project)

    def index_of(self, ind: Indicator) -> int:
        """The position of a row in its project (rules receive the row itself)."""
        return next(n for n, row in enumerate(self.project.indicators) if row is ind)


IndicatorCheck = Callable[[Indicator, Context], Iterator[str]]
ProjectCheck = Callable[[Project, Context], Iterator[tuple[str, int | None]]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    source: str
    bad: str
    good: str
    fix: str
    scope: Literal["indicator", "project"]
    check: Callable
    implements: tuple[str, ...] = ()  # the R-… names of indicator-rules.md it checks
    # conventions a bureau accepts that the rule lets pass, each with where it was seen
    allows: tuple[str, ...] = ()
    # why a rule is off unless a config selects it ("" when it runs by default)
    off_by_default: str = ""
    # the 二级 whose rows a row rule reads (None: every row); the engine asks it of those only
    levels: frozenset[Level2] | None = None

    @property
    def family(self) -> str:
        return self.code[0]


REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    why: str,
    source: str,
    bad: str,
    good: str,
    fix: str,
    scope: Literal["indicator", "project"] = "indicator",
    implements: tuple[str, ...] = (),
    allows: tuple[str, ...] = (),
    off_by_default: str = "",
    levels: tuple[Level2, ...] | None = None,
) -> Callable[[Callable], Callable]:
    def register(check: Callable) -> Callable:
        if code in REGISTRY:
            raise ValueError(f"duplicate rule code {code}")
        if code[0] not in FAMILIES:
            raise ValueError(f"unknown family for {code}")
        REGISTRY[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            why=why,
            source=source,
            bad=bad,
            good=good,
            fix=fix,
            scope=scope,
            check=check,
            implements=implements,
            allows=allows,
            off_by_default=off_by_default,
            levels=frozenset(levels) if levels is not None else None,
        )
        return check

    return register


def all_rules() -> list[Rule]:
    from . import rules  # noqa: F401  (importing the package registers every rule)

    return [REGISTRY[code] for code in sorted(REGISTRY)]
