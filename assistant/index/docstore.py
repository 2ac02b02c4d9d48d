"""The document store: every indexed document's text, tokens and metadata in a small SQLite file.

It is the record the other parts are rebuilt from: the lexical index is fitted from its tokens,
vectors are re-embedded from its texts after an embedder change, and a folder sync compares file
fingerprints against it, all without reading a filing again.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from .documents import IndexDoc, IndicatorMeta, Kind, ProjectMeta, meta_of


class StoredDoc:
    """One document as stored: id, text, BM25 tokens and typed metadata."""

    __slots__ = ("id", "kind", "meta", "text", "tokens")

    def __init__(self, doc_id: str, kind: str, text: str, tokens: str, meta: ProjectMeta | IndicatorMeta) -> None:
        self.id, self.kind, self.text, self.tokens, self.meta = doc_id, kind, text, tokens, meta


class DocumentStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        with closing(self._connect()) as conn, conn:
            conn.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, path TEXT, fingerprint TEXT);
                CREATE TABLE IF NOT EXISTS unread (key TEXT PRIMARY KEY, fingerprint TEXT, error TEXT);
                CREATE TABLE IF NOT EXISTS docs (
                    id TEXT PRIMARY KEY, kind TEXT, file TEXT, text TEXT, tokens TEXT, metadata TEXT);
                CREATE INDEX IF NOT EXISTS docs_file ON docs(file);
                """
            )

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    # --- settings ------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- writing -------------------------------------------------------------------------

    def replace(
        self, key: str, docs: Sequence[IndexDoc], tokens: Sequence[list[str]], path: str, fingerprint: str
    ) -> list[str]:
        """Everything under `key` replaced by `docs`, in one transaction; returns the old ids."""
        with closing(self._connect()) as conn, conn:
            old = [r[0] for r in conn.execute("SELECT id FROM docs WHERE file=?", (key,))]
            conn.execute("DELETE FROM docs WHERE file=?", (key,))
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (d.id, d.kind, key, d.text, " ".join(t), json.dumps(d.meta.stored(), ensure_ascii=False))
                    for d, t in zip(docs, tokens)
                ],
            )
            conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (key, path, fingerprint))
        return old

    def forget_files(self) -> int:
        """Make every indexed file look changed (not drafts: they are not files), so the next sync
        reads them again, and the unreadable ones too; returns how many were indexed."""
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM unread")
            return conn.execute("UPDATE files SET fingerprint='' WHERE key NOT LIKE 'draft:%'").rowcount

    def set_unread(self, key: str, fingerprint: str, error: str | None) -> None:
        """Remember that a file (as of `fingerprint`) cannot be read, and why; None forgets it."""
        with closing(self._connect()) as conn, conn:
            if error is None:
                conn.execute("DELETE FROM unread WHERE key=?", (key,))
            else:
                conn.execute("INSERT OR REPLACE INTO unread VALUES (?, ?, ?)", (key, fingerprint, error))

    def set_tokens(self, tokens: dict[str, list[str]]) -> None:
        """New BM25 tokens for documents already stored (the tokenizer changed)."""
        with closing(self._connect()) as conn, conn:
            conn.executemany("UPDATE docs SET tokens=? WHERE id=?", [(" ".join(t), i) for i, t in tokens.items()])

    def remove(self, key: str) -> list[str]:
        with closing(self._connect()) as conn, conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM docs WHERE file=?", (key,))]
            conn.execute("DELETE FROM docs WHERE file=?", (key,))
            conn.execute("DELETE FROM files WHERE key=?", (key,))
        return ids

    # --- reading -------------------------------------------------------------------------

    def files(self) -> dict[str, tuple[str, str]]:
        """File key → (path, fingerprint) of every indexed file or draft."""
        with closing(self._connect()) as conn:
            return {k: (p, f) for k, p, f in conn.execute("SELECT key, path, fingerprint FROM files")}

    def unread(self) -> dict[str, tuple[str, str]]:
        """File key → (fingerprint, error) of every file a sync could not read."""
        with closing(self._connect()) as conn:
            return {k: (f, e) for k, f, e in conn.execute("SELECT key, fingerprint, error FROM unread")}

    def count(self, kind: Kind) -> int:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM docs WHERE kind=?", (kind,)).fetchone()[0]

    def _select(self, where: str, args: Sequence[object]) -> list[StoredDoc]:
        with closing(self._connect()) as conn:
            rows = conn.execute(f"SELECT id, kind, text, tokens, metadata FROM docs WHERE {where}", args).fetchall()
        return [StoredDoc(i, k, t, tok, meta_of(k, json.loads(m))) for i, k, t, tok, m in rows]

    def all(self, kind: Kind) -> list[StoredDoc]:
        """Every document of a kind, in id order (the order the lexical index numbers them)."""
        return self._select("kind=? ORDER BY id", (kind,))

    def by_ids(self, ids: Sequence[str]) -> dict[str, StoredDoc]:
        if not ids:
            return {}
        return {d.id: d for d in self._select(f"id IN ({','.join('?' * len(ids))})", list(ids))}

    def indicators_of(self, project_ids: Sequence[str]) -> list[StoredDoc]:
        """The indicators of these projects, in their projects' row order."""
        if not project_ids:
            return []
        docs = self._select(
            f"kind='indicators' AND json_extract(metadata, '$.project_id') IN ({','.join('?' * len(project_ids))})",
            list(project_ids),
        )
        return sorted(docs, key=lambda d: d.meta.index)  # type: ignore[union-attr]

    def indicators_under(self, level2: str) -> list[StoredDoc]:
        return self._select("kind='indicators' AND json_extract(metadata, '$.level2')=?", (level2,))
