"""One error hierarchy: every error a user can cause names the file, table/sheet and row."""

from __future__ import annotations

from .models import SourceRef


class AssistantError(Exception):
    """Base of every error the tool reports to a person (never a traceback)."""


class IngestError(AssistantError):
    """A file that cannot be imported, with where the trouble is."""

    def __init__(self, message: str, where: SourceRef) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where.describe()}：{message}")


class ExportError(AssistantError):
    """An export that could not be written; nothing is left half-written."""
