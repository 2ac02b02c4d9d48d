"""The retrieval index over past filings: vectors in chromadb, BM25 over jieba tokens, fused.

Two collections, projects and indicators. Documents (text, tokens, metadata) also live in a
small SQLite file in the data directory, which makes incremental add/remove, the lexical index
and a rebuild after an embedder change possible without re-reading any filing. chromadb runs
embedded (a folder in the data directory) or as a server (ASSISTANT_CHROMA_HOST/_PORT) with no
other change.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from ..config import InputLimits
from ..errors import IngestError
from ..ingest import read_filing, scan_paths
from ..models import Project
from .documents import IndexDoc, file_key, filing_docs, project_docs
from .embeddings import Embedder, embedder_from_env
from .lexical import Bm25, tokenize

Kind = Literal["projects", "indicators"]
Mode = Literal["hybrid", "lexical", "vector"]
KINDS: tuple[Kind, ...] = ("projects", "indicators")
RRF_K = 60
OVERFETCH = 4  # filtered vector search: candidates fetched per candidate wanted
FILTER_FIELDS = ("level2", "year", "unit_name", "doc_kind", "horizon")
Progress = Callable[[int, int, str], None]


class Filters(BaseModel):
    level2: str | None = None
    year: int | None = None
    unit_name: str | None = None
    doc_kind: str | None = None
    horizon: str | None = None
    exclude_ids: list[str] = Field(default_factory=list)

    def matches(self, meta: dict) -> bool:
        for field in ("level2", "year", "unit_name", "doc_kind", "horizon"):
            wanted = getattr(self, field)
            if wanted is not None and meta.get(field) != wanted:
                return False
        return True

    def where(self) -> dict | None:
        terms = [
            {f: getattr(self, f)}
            for f in ("level2", "year", "unit_name", "doc_kind", "horizon")
            if getattr(self, f) is not None
        ]
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else {"$and": terms}


class Explanation(BaseModel):
    found_by: list[str]  # "lexical", "vector"
    lexical_rank: int | None = None
    vector_rank: int | None = None
    shared_terms: list[str] = Field(default_factory=list)


class Hit(BaseModel):
    id: str
    kind: str
    name: str
    unit_name: str | None
    year: int | None
    score: float
    source: str | None
    metadata: dict
    explanation: Explanation


class SyncReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)


def _codes(values: list) -> tuple[dict, np.ndarray]:
    """A column as integer codes, so a filter is one vectorised comparison."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values))
    return index, codes


def chroma_client(data_dir: Path, environ: dict[str, str] | None = None):
    """Embedded by default; a server when ASSISTANT_CHROMA_HOST is set. Telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    env = os.environ if environ is None else environ
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    host = env.get("ASSISTANT_CHROMA_HOST")
    if host:
        port = int(env.get("ASSISTANT_CHROMA_PORT") or 8000)
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    path = data_dir / "index" / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class CorpusIndex:
    def __init__(self, data_dir: Path, embedder: Embedder | None = None, client=None, prefix: str = "") -> None:
        self.data_dir = Path(data_dir)
        self.embedder = embedder or embedder_from_env()
        self.client = client if client is not None else chroma_client(self.data_dir)
        self.prefix = prefix
        self.notices: list[str] = []
        (self.data_dir / "index").mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / "index" / f"{prefix}documents.sqlite3"
        self._init_db()
        self._lexical: dict[str, tuple[Bm25, list[dict], dict[str, np.ndarray]]] = {}
        self._vector_counts: dict[str, int] = {}
        self._collections = {kind: self._collection(kind) for kind in KINDS}
        self._check_embedder()

    # --- storage -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path)
        conn.execute("PRAGMA journal_mode=WAL")
        return conn

    def _init_db(self) -> None:
        with closing(self._connect()) as conn, conn:
            conn.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS files (key TEXT PRIMARY KEY, path TEXT, fingerprint TEXT);
                CREATE TABLE IF NOT EXISTS docs (
                    id TEXT PRIMARY KEY, kind TEXT, file TEXT, text TEXT, tokens TEXT, metadata TEXT);
                CREATE INDEX IF NOT EXISTS docs_file ON docs(file);
                """
            )

    def _collection(self, kind: str):
        return self.client.get_or_create_collection(
            name=f"{self.prefix}{kind}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedder": self.embedder.id},
        )

    def _meta(self, key: str) -> str | None:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _check_embedder(self) -> None:
        """An index built by another embedder is re-embedded, with a notice, never queried."""
        recorded = self._meta("embedder")
        stale = {k for k, c in self._collections.items() if (c.metadata or {}).get("embedder") != self.embedder.id}
        counts = {k: self.count(k) for k in KINDS}
        vectors = {k: self._collections[k].count() for k in KINDS}
        changed = (recorded and recorded != self.embedder.id) or stale
        if (changed or counts != vectors) and any(counts.values()):
            if changed:
                self.notices.append(
                    f"索引的向量由“{recorded or '未知'}”生成，与当前的“{self.embedder.id}”不一致，已重新生成向量。"
                )
            else:  # documents stored but their vectors not all written: a build was cut short
                self.notices.append(
                    f"上次建立索引没有完成（可能被中断），已补齐向量（文档 {sum(counts.values())} 条，"
                    f"原有向量 {sum(vectors.values())} 条）。"
                )
            self._reembed()
        self._set_meta("embedder", self.embedder.id)

    def _reembed(self) -> None:
        self._vector_counts = {}
        for kind in KINDS:
            self.client.delete_collection(f"{self.prefix}{kind}")
            self._collections[kind] = self._collection(kind)
            with closing(self._connect()) as conn:
                rows = conn.execute("SELECT id, text, metadata FROM docs WHERE kind=?", (kind,)).fetchall()
            self._add_vectors(kind, [r[0] for r in rows], [r[1] for r in rows], [json.loads(r[2]) for r in rows])

    def _add_vectors(self, kind: str, ids: list[str], texts: list[str], metas: list[dict]) -> None:
        collection = self._collections[kind]
        batch = min(4000, self.client.get_max_batch_size())
        for start in range(0, len(ids), batch):
            part = slice(start, start + batch)
            vectors = self.embedder.embed_documents(texts[part])
            collection.upsert(ids=ids[part], embeddings=vectors.tolist(), metadatas=metas[part], documents=texts[part])

    # --- updates -------------------------------------------------------------------------

    def count(self, kind: str) -> int:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT COUNT(*) FROM docs WHERE kind=?", (kind,)).fetchone()[0]

    def add_docs(self, key: str, docs: Sequence[IndexDoc], path: str = "", fingerprint: str = "") -> None:
        """Replace everything indexed under `key` with `docs`."""
        self.remove(key)
        tokens = [tokenize(f"{d.text} {d.keywords}") for d in docs]
        with closing(self._connect()) as conn, conn:
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (d.id, d.kind, key, d.text, " ".join(t), json.dumps(d.metadata, ensure_ascii=False))
                    for d, t in zip(docs, tokens)
                ],
            )
            conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (key, path, fingerprint))
        for kind in KINDS:
            chosen = [d for d in docs if d.kind == kind]
            if chosen:
                self._add_vectors(kind, [d.id for d in chosen], [d.text for d in chosen], [d.metadata for d in chosen])
        self._lexical.clear()
        self._vector_counts.clear()

    def add_projects(self, projects: Sequence[Project], key: str) -> None:
        """Index projects that are not a file, such as an accepted draft."""
        docs = [doc for n, p in enumerate(projects) for doc in project_docs(p, key, n)]
        self.add_docs(key, docs, path=key)

    def remove(self, key: str) -> int:
        with closing(self._connect()) as conn, conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM docs WHERE file=?", (key,))]
            conn.execute("DELETE FROM docs WHERE file=?", (key,))
            conn.execute("DELETE FROM files WHERE key=?", (key,))
        if ids:
            for kind in KINDS:
                self._collections[kind].delete(ids=[i for i in ids if ("-i" in i) == (kind == "indicators")])
            self._lexical.clear()
            self._vector_counts.clear()
        return len(ids)

    def project_docs(self) -> list[tuple[str, str, dict]]:
        """(id, text, metadata) of every indexed project."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT id, text, metadata FROM docs WHERE kind='projects' ORDER BY id").fetchall()
        return [(i, t, json.loads(m)) for i, t, m in rows]

    def project_indicators(self, project_id: str) -> list:
        """The indicators of an indexed project, rebuilt from their stored fields, in order."""
        from ..models import Indicator, Level2
        from ..normalize import comparator_of, parse_number

        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT metadata FROM docs WHERE kind='indicators' AND json_extract(metadata, '$.project_id')=?",
                (project_id,),
            ).fetchall()
        metas = sorted((json.loads(r[0]) for r in rows), key=lambda m: m.get("index", 0))
        return [
            Indicator(
                level2=Level2(m["level2"]) if m.get("level2") else None,
                level1=Level2(m["level2"]).level1 if m.get("level2") else None,
                name=m.get("name", ""),
                target=m.get("target"),
                target_number=parse_number(m.get("target")),
                target_detail=m.get("target_detail"),
                scoring=m.get("scoring"),
                unit=m.get("unit"),
                comparator=comparator_of(m.get("comparator")),
                comparator_raw=m.get("comparator"),
                weight=m.get("weight"),
                actual=m.get("actual"),
            )
            for m in metas
        ]

    def level2_rows(self, level2: str) -> list[dict]:
        """Metadata of every indexed indicator under one 二级 (for distributions)."""
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT metadata FROM docs WHERE kind='indicators' AND json_extract(metadata, '$.level2')=?", (level2,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        with closing(self._connect()) as conn:
            return {k: (p, f) for k, p, f in conn.execute("SELECT key, path, fingerprint FROM files")}

    def sync(self, corpus_dir: Path, progress: Progress | None = None, limits: InputLimits | None = None) -> SyncReport:
        """Bring the index in line with a folder: new and changed files in, removed files out."""
        corpus_dir = Path(corpus_dir)
        report = SyncReport(notices=list(self.notices))
        files, skipped = scan_paths([corpus_dir])
        report.notices += [str(s) for s in skipped]
        wanted = {file_key(str(p.relative_to(corpus_dir))): p for p in files}
        known = self.indexed_files()
        for key, (path, _) in known.items():
            if key not in wanted and not path.startswith("draft:"):
                self.remove(key)
                report.removed.append(path)
        for n, (key, path) in enumerate(wanted.items(), start=1):
            rel = str(path.relative_to(corpus_dir))
            stat = path.stat()
            fingerprint = f"{stat.st_size}:{stat.st_mtime_ns}"
            if progress:
                progress(n, len(wanted), rel)
            if known.get(key, ("", ""))[1] == fingerprint:
                report.unchanged += 1
                continue
            try:
                filing = read_filing(path, limits)
            except IngestError as exc:
                report.errors.append(str(exc))
                continue
            self.add_docs(key, filing_docs(filing, key), path=rel, fingerprint=fingerprint)
            (report.updated if key in known else report.added).append(rel)
        return report

    # --- search --------------------------------------------------------------------------

    def _lexical_index(self, kind: str) -> tuple[Bm25, list[dict], dict[str, np.ndarray]]:
        if kind not in self._lexical:
            with closing(self._connect()) as conn:
                rows = conn.execute(
                    "SELECT id, tokens, metadata FROM docs WHERE kind=? ORDER BY id", (kind,)
                ).fetchall()
            metas = [json.loads(r[2]) for r in rows]
            columns = {field: _codes([m.get(field) for m in metas]) for field in FILTER_FIELDS}
            columns["_position"] = {r[0]: n for n, r in enumerate(rows)}
            self._lexical[kind] = (Bm25([r[0] for r in rows], [r[1].split() for r in rows]), metas, columns)
        return self._lexical[kind]

    def _filter_mask(self, kind: str, filters: Filters) -> np.ndarray:
        """1.0 for documents the filters keep, in the lexical index's order."""
        bm25, _, columns = self._lexical_index(kind)
        mask = np.ones(len(bm25.ids), dtype=np.float32)
        for field in FILTER_FIELDS:
            wanted = getattr(filters, field)
            if wanted is not None:
                values, codes = columns[field]
                mask *= (codes == values.get(wanted, -1)).astype(np.float32)
        if filters.exclude_ids:
            position = columns["_position"]
            for doc_id in filters.exclude_ids:
                if doc_id in position:
                    mask[position[doc_id]] = 0.0
        return mask

    def _lexical_ranks(self, kind: str, tokens: list[str], n: int, filters: Filters) -> list[tuple[str, float]]:
        bm25, _, _ = self._lexical_index(kind)
        return bm25.search(tokens, n, self._filter_mask(kind, filters))

    def _vector_ranks(self, kind: str, query: str, n: int, filters: Filters) -> list[tuple[str, float]]:
        collection = self._collections[kind]
        total = self._vector_count(kind)
        if not total:
            return []
        answer = collection.query(
            query_embeddings=[self.embedder.embed_query(query).tolist()],
            n_results=min(total, n + len(filters.exclude_ids)),
            where=filters.where(),
            include=["distances"],
        )
        excluded = set(filters.exclude_ids)
        pairs = zip(answer["ids"][0], answer["distances"][0])
        return [(i, d) for i, d in pairs if i not in excluded][:n]

    def _vector_count(self, kind: str) -> int:
        """Vectors in a collection, remembered until the next change (a count costs ~8 ms at 100k)."""
        if kind not in self._vector_counts:
            self._vector_counts[kind] = self._collections[kind].count()
        return self._vector_counts[kind]

    def _vector_filtered(self, kind: str, query: str, n: int, filters: Filters, need: int) -> list[tuple[str, float]]:
        """With a filter: over-fetch without it and keep the matches, judged on the in-memory
        filter columns (chromadb's own metadata filtering costs ~0.7 ms per 1,000 documents);
        fall back to it when too few survive a selective filter."""
        collection = self._collections[kind]
        total = self._vector_count(kind)
        if not total:
            return []
        mask = self._filter_mask(kind, filters)
        position = self._lexical_index(kind)[2]["_position"]
        answer = collection.query(
            query_embeddings=[self.embedder.embed_query(query).tolist()],
            n_results=min(total, n * OVERFETCH),
            include=["distances"],
        )
        kept = [
            (i, d) for i, d in zip(answer["ids"][0], answer["distances"][0]) if i in position and mask[position[i]]
        ][:n]
        if len(kept) >= need or total <= n * OVERFETCH:
            return kept
        return self._vector_ranks(kind, query, n, filters)

    def search(
        self,
        query: str,
        kind: Kind = "projects",
        k: int = 5,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """Reciprocal rank fusion of BM25 and vector ranks; each hit says why it was found."""
        filters = filters or Filters()
        n = max(50, 10 * k)
        tokens = tokenize(query)
        lexical = self._lexical_ranks(kind, tokens, n, filters) if mode != "vector" else []
        if mode == "lexical":
            vector = []
        elif filters.where():
            vector = self._vector_filtered(kind, query, n, filters, need=k)
        else:
            vector = self._vector_ranks(kind, query, n, filters)
        fused: dict[str, float] = {}
        lex_rank = {doc_id: r for r, (doc_id, _) in enumerate(lexical, start=1)}
        vec_rank = {doc_id: r for r, (doc_id, _) in enumerate(vector, start=1)}
        for ranks in (lex_rank, vec_rank):
            for doc_id, rank in ranks.items():
                fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
        best = sorted(fused, key=lambda d: -fused[d])[:k]
        return self._hits(kind, best, fused, lex_rank, vec_rank, set(tokens))

    def _hits(self, kind, ids, fused, lex_rank, vec_rank, query_tokens) -> list[Hit]:
        if not ids:
            return []
        with closing(self._connect()) as conn:
            rows = {
                r[0]: (r[1], json.loads(r[2]))
                for r in conn.execute(
                    f"SELECT id, tokens, metadata FROM docs WHERE id IN ({','.join('?' * len(ids))})", ids
                )
            }
        hits = []
        for doc_id in ids:
            tokens, meta = rows[doc_id]
            shared = sorted(query_tokens & set(tokens.split()))
            found_by = [side for side, ranks in (("lexical", lex_rank), ("vector", vec_rank)) if doc_id in ranks]
            hits.append(
                Hit(
                    id=doc_id,
                    kind=kind,
                    name=meta.get("name", ""),
                    unit_name=meta.get("unit_name"),
                    year=meta.get("year"),
                    score=round(fused[doc_id], 6),
                    source=meta.get("source"),
                    metadata=meta,
                    explanation=Explanation(
                        found_by=found_by,
                        lexical_rank=lex_rank.get(doc_id),
                        vector_rank=vec_rank.get(doc_id),
                        shared_terms=shared,
                    ),
                )
            )
        return hits

    def indicators_like(
        self, query: str, level2: str | None = None, k_projects: int = 5, k: int = 10, exclude_ids: Sequence[str] = ()
    ) -> list[Hit]:
        """One call for "the 质量指标 of projects like this one": similar projects first, then
        their indicators under that 二级, best project first."""
        projects = self.search(query, "projects", k_projects, Filters(exclude_ids=list(exclude_ids)))
        if not projects:
            return []
        order = {p.id: n for n, p in enumerate(projects)}
        with closing(self._connect()) as conn:
            rows = conn.execute(
                f"SELECT id, metadata FROM docs WHERE kind='indicators' AND "
                f"json_extract(metadata, '$.project_id') IN ({','.join('?' * len(order))})",
                list(order),
            ).fetchall()
        chosen = [(i, json.loads(m)) for i, m in rows]
        chosen = [(i, m) for i, m in chosen if level2 is None or m.get("level2") == level2]
        chosen.sort(key=lambda pair: (order[pair[1]["project_id"]], pair[1].get("index", 0)))
        score = {p.id: p.score for p in projects}
        return [
            Hit(
                id=i,
                kind="indicators",
                name=m.get("name", ""),
                unit_name=m.get("unit_name"),
                year=m.get("year"),
                score=score[m["project_id"]],
                source=m.get("source"),
                metadata=m,
                explanation=Explanation(found_by=["project"], shared_terms=[]),
            )
            for i, m in chosen[:k]
        ]


def open_index(data_dir: Path, embedder: Embedder | None = None, environ: dict[str, str] | None = None) -> CorpusIndex:
    return CorpusIndex(data_dir, embedder=embedder, client=chroma_client(Path(data_dir), environ))
