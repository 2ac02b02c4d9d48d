"""Drafting measurable indicators for a new project, from similar past ones, with or without an LLM.
Calling the package drafts: `draft(name=…, year=…, goal=…)` is `Assistant().draft(…)`."""

from ..core import job_module
from .models import Brief, Draft, DraftIndicator, DraftRow, DraftTable
from .offline import draft_offline

__all__ = ["Brief", "Draft", "DraftIndicator", "DraftRow", "DraftTable", "draft_offline"]

job_module(__name__, "draft")
