"""Every rule on its own examples, read from the registry as the docs show them: the bad example
is flagged by the rule, the good one is not (ruff's way of testing each rule on its fixtures)."""

from __future__ import annotations

import pytest

from assistant.review.engine import review_projects
from assistant.review.examples import parse_example
from assistant.review.registry import all_rules

RULES = all_rules()


def _codes(text: str) -> set[str]:
    example = parse_example(text)
    return {f.code for f in review_projects(example.projects, history=example.history)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_the_bad_example_is_flagged_by_its_rule(rule):
    assert rule.code in _codes(rule.bad), rule.bad


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_the_good_example_is_not(rule):
    assert rule.code not in _codes(rule.good), rule.good
