"""Run the registered rules over projects and collect findings, worst first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple

from ..models import Project
from .config import ReviewConfig
from .lexicon import Lexicon, load_lexicon
from .registry import Context, Rule, Severity, all_rules
from .rules.project import count_copies


class Finding(NamedTuple):
    """One problem a reviewer would raise, where it is and how to fix it.

    A named tuple, not a pydantic model nor a frozen dataclass: a review makes tens of thousands
    of them, from values the engine made itself, and a tuple is built in a seventh of a frozen
    dataclass's time (bench/review). Immutable all the same; pydantic models holding findings
    still validate them."""

    file: str | None
    project: str
    project_key: str  # Project.key of the project it is about
    indicator: str | None  # the 三级 name; None for a project-level finding
    indicator_index: int | None  # position of the row in its project, from 0
    code: str
    severity: Severity
    message: str
    suggestion: str
    rule: str

    def to_json(self) -> dict:
        """The finding as JSON-ready data (severity as its value)."""
        return {**self._asdict(), "severity": self.severity.value}


def active_rules(config: ReviewConfig) -> list[tuple[Rule, Severity]]:
    """The rules a config runs, each at its severity: worked out once per batch."""
    return [
        (r, config.severity_of(r.code, r.severity))
        for r in all_rules()
        if config.enabled(r.code, bool(r.off_by_default))
    ]


def review_project(
    project: Project,
    *,
    config: ReviewConfig | None = None,
    lexicon: Lexicon | None = None,
    siblings: Sequence[Project] = (),
    history: Sequence[Project] = (),
    copies: Mapping[tuple, int] | None = None,
    rules: Sequence[tuple[Rule, Severity]] | None = None,
) -> list[Finding]:
    config = config or ReviewConfig()
    lexicon = lexicon or load_lexicon(config.lexicon)
    ctx = Context(
        project=project,
        lexicon=lexicon,
        siblings=tuple(siblings),
        history=tuple(history),
        copies=copies if copies is not None else count_copies(siblings),
    )
    file = project.source.file if project.source else None
    name, key = project.name, project.key
    rows = project.indicators
    # (sort key, finding): the key is known when the finding is made, so sorting reads no enum
    keyed: list[tuple[tuple[int, int, str], Finding]] = []
    for rule, severity in rules if rules is not None else active_rules(config):
        check, code, rank = rule.check, rule.code, severity.rank
        if rule.scope == "project":
            for message, index in check(project, ctx):
                indicator = rows[index].name if index is not None else None
                finding = Finding(file, name, key, indicator, index, code, severity, message, rule.fix, rule.name)
                keyed.append(((rank, -1 if index is None else index, code), finding))
        else:
            levels = rule.levels
            for index, row in enumerate(rows):
                if levels is not None and row.level2 not in levels:
                    continue
                for message in check(row, ctx):
                    finding = Finding(file, name, key, row.name, index, code, severity, message, rule.fix, rule.name)
                    keyed.append(((rank, index, code), finding))
    keyed.sort(key=itemgetter(0))  # worst first, then project-level before rows, rows in order
    return [finding for _, finding in keyed]


def review_projects(
    projects: Sequence[Project],
    *,
    config: ReviewConfig | None = None,
    history: Sequence[Project] = (),
) -> list[Finding]:
    """Review projects together: rows copied across a unit's projects are seen as such."""
    config = config or ReviewConfig()
    lexicon = load_lexicon(config.lexicon)
    copies = count_copies(projects)
    rules = active_rules(config)
    siblings, past = tuple(projects), tuple(history)
    findings: list[Finding] = []
    for project in projects:
        findings += review_project(
            project, config=config, lexicon=lexicon, siblings=siblings, history=past, copies=copies, rules=rules
        )
    return findings


__all__ = ["Finding", "review_project", "review_projects"]
