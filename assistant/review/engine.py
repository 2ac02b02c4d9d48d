"""Run the registered rules over projects and collect findings, worst first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from ..models import Project
from .config import ReviewConfig
from .lexicon import Lexicon, load_lexicon
from .registry import Context, Rule, Severity, all_rules
from .rules.project import count_copies


class Finding(BaseModel):
    """One problem a reviewer would raise, where it is and how to fix it."""

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


def active_rules(config: ReviewConfig) -> list[tuple[Rule, Severity]]:
    return [(r, config.severity_of(r.code, r.severity)) for r in all_rules() if config.enabled(r.code)]


def review_project(
    project: Project,
    *,
    config: ReviewConfig | None = None,
    lexicon: Lexicon | None = None,
    siblings: Sequence[Project] = (),
    history: Sequence[Project] = (),
    copies: Mapping[tuple, int] | None = None,
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
    findings: list[Finding] = []

    def add(rule: Rule, severity: Severity, message: str, index: int | None) -> None:
        findings.append(
            Finding(
                file=file,
                project=project.name,
                project_key=project.key,
                indicator=project.indicators[index].name if index is not None else None,
                indicator_index=index,
                code=rule.code,
                severity=severity,
                message=message,
                suggestion=rule.fix,
                rule=rule.name,
            )
        )

    for rule, severity in active_rules(config):
        if rule.scope == "project":
            for message, index in rule.check(project, ctx):
                add(rule, severity, message, index)
        else:
            for index, indicator in enumerate(project.indicators):
                for message in rule.check(indicator, ctx):
                    add(rule, severity, message, index)
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (f.severity.rank, -1 if f.indicator_index is None else f.indicator_index, f.code),
    )


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
    findings: list[Finding] = []
    for project in projects:
        findings += review_project(
            project, config=config, lexicon=lexicon, siblings=projects, history=history, copies=copies
        )
    return findings


__all__ = ["Finding", "review_project", "review_projects"]
