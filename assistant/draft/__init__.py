"""Drafting measurable indicators for a new project, from similar past ones, with or without an LLM."""

from .models import Brief, Draft, DraftIndicator, DraftRow, DraftTable
from .offline import draft_offline

__all__ = ["Brief", "Draft", "DraftIndicator", "DraftRow", "DraftTable", "draft_offline"]
