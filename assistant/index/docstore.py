"""The document store: every indexed document's text, tokens and metadata in a small SQLite file.

It is the record the other parts are rebuilt from: the lexical index is fitted from its tokens,
chromadb is refilled from its copy of the vectors (no embedding endpoint paid twice) and
re-embedded from its texts after an embedder change, and a folder sync compares file
fingerprints against it, all without reading a filing again. Every write bumps a generation, so
the other parts can tell whether they are in step with it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

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
                CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, vector BLOB);
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

    def generation(self) -> int:
        """How many writes the documents have seen (0 for a new store)."""
        return int(self.setting("generation") or 0)

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def replace(
        self,
        key: str,
        docs: Sequence[IndexDoc],
        tokens: Sequence[list[str]],
        vectors: np.ndarray,
        path: str,
        fingerprint: str,
    ) -> list[str]:
        """Everything under `key` replaced by `docs` and their vectors, in one transaction;
        returns the old ids."""
        with closing(self._connect()) as conn, conn:
            old = [r[0] for r in conn.execute("SELECT id FROM docs WHERE file=?", (key,))]
            conn.execute("DELETE FROM vectors WHERE id IN (SELECT id FROM docs WHERE file=?)", (key,))
            conn.execute("DELETE FROM docs WHERE file=?", (key,))
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (d.id, d.kind, key, d.text, " ".join(t), json.dumps(d.meta.stored(), ensure_ascii=False))
                    for d, t in zip(docs, tokens)
                ],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                [(d.id, _blob(v)) for d, v in zip(docs, vectors)],
            )
            conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (key, path, fingerprint))
            self._bump(conn)
        return old

    def set_vectors(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """The stored copy of documents' vectors (refilled after an embedder change)."""
        with closing(self._connect()) as conn, conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?)", [(i, _blob(v)) for i, v in zip(ids, vectors)]
            )

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
            conn.execute("DELETE FROM vectors WHERE id IN (SELECT id FROM docs WHERE file=?)", (key,))
            conn.execute("DELETE FROM docs WHERE file=?", (key,))
            conn.execute("DELETE FROM files WHERE key=?", (key,))
            self._bump(conn)
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

    def vector_count(self, kind: Kind) -> int:
        """Documents of a kind that have a stored vector."""
        with closing(self._connect()) as conn:
            query = "SELECT COUNT(*) FROM docs d JOIN vectors v ON v.id = d.id WHERE d.kind=?"
            return conn.execute(query, (kind,)).fetchone()[0]

    def vectors(self, kind: Kind) -> tuple[list[str], np.ndarray]:
        """(ids, one vector per row) of the documents of a kind that have a stored vector."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT d.id, v.vector FROM docs d JOIN vectors v ON v.id = d.id WHERE d.kind=? ORDER BY d.id", (kind,)
            ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])

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


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()
