"""绩效指标助手: draft, review and compare Chinese budget performance indicators (绩效指标).

The public API. Everything goes through one core object, `Assistant`; the stage packages
`review`, `draft` and `export` are also callable for the common one-liners:

    from assistant import review
    result = review("申报表.xlsx")                 # Assistant().review(...)
    for project, findings in result.by_project():
        print(project.name, result.opinion(project))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import draft, export, review
    from .core import Assistant, ReviewResult
    from .ingest import read_filing
    from .models import Comparator, DraftIndicator, Filing, Indicator, Level1, Level2, Project

# Imported on first use (PEP 562), so `assistant similar` does not pay for the LLM client,
# the review engine or the exporters it never calls.
_HOMES = {
    "Assistant": "core",
    "ReviewResult": "core",
    "read_filing": "ingest",
    **dict.fromkeys(("Comparator", "DraftIndicator", "Filing", "Indicator", "Level1", "Level2", "Project"), "models"),
}
_STAGES = ("draft", "export", "review")


def __getattr__(name: str) -> Any:
    if name in _STAGES:
        return importlib.import_module(f".{name}", __name__)
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def similar(query: str, k: int = 5, **options):
    """Past projects like `query` (Assistant().similar)."""
    from .core import Assistant

    return Assistant().similar(query, k, **options)


__all__ = [
    "Assistant",
    "Comparator",
    "DraftIndicator",
    "Filing",
    "Indicator",
    "Level1",
    "Level2",
    "Project",
    "ReviewResult",
    "draft",
    "export",
    "read_filing",
    "review",
    "similar",
]


def __dir__() -> list[str]:
    return sorted(__all__)
