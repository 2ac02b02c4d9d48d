"""Review: rules that flag vague indicators (registry, rules/, engine), the 退回意见 and reports,
the LLM critic on top. Calling the package reviews files: `from assistant import review;
review("申报表.xlsx")` is `Assistant().review("申报表.xlsx")`."""

from __future__ import annotations

from typing import Any

from ..core import job_module

__all__ = ["Finding", "Severity", "all_rules", "review_project", "review_projects"]
_LAZY = {
    "Finding": "engine",
    "review_project": "engine",
    "review_projects": "engine",
    "Severity": "registry",
    "all_rules": "registry",
}


def __getattr__(name: str) -> Any:  # the engine loads the rules and the lexicon: only when used
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)


job_module(__name__, "review")
