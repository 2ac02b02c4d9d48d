"""Drafts and every decision on them, in SQLite (WAL) by default or PostgreSQL via
ASSISTANT_DB_URL: the record of what a person decided, not the browser session."""

from .db import ConflictError, DecisionRecord, DraftRecord, RowRecord, Store, open_store

__all__ = ["ConflictError", "DecisionRecord", "DraftRecord", "RowRecord", "Store", "open_store"]
