"""绩效指标助手: draft, review and compare Chinese budget performance indicators (绩效指标).

The public API. Everything goes through one core object, `Assistant`; the stage packages
`review`, `draft` and `export` are also callable for the common one-liners:

    from assistant import review
    result = review("申报表.xlsx")                 # Assistant().review(...)
    for project, findings in result.by_project():
        print(project.name, result.opinion(project))
"""

from . import draft, export, review
from .core import Assistant, ReviewResult
from .ingest import read_filing
from .models import Comparator, DraftIndicator, Filing, Indicator, Level1, Level2, Project


def similar(query: str, k: int = 5, **options):
    """Past projects like `query` (Assistant().similar)."""
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
