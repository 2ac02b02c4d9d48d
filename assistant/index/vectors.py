"""The vector store: one chromadb collection per kind, filled with our own embeddings.

chromadb runs embedded (a folder in the data directory) or as a server (ASSISTANT_CHROMA_HOST and
_PORT) with no other change; its default embedding function, which downloads a model, is never
used. Each collection records the embedder that filled it, so vectors of another model are
rebuilt from the document store instead of being queried.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .docstore import StoredDoc
from .documents import IndexDoc, Kind
from .embeddings import Embedder

KINDS: tuple[Kind, ...] = ("projects", "indicators")
SEARCH_EF = 200  # HNSW candidates per query: at 100 (chromadb's default) it misses neighbours more often


def chroma_host(environ: Mapping[str, str] | None = None) -> str:
    """The chromadb server's host when the index lives on one ("" when embedded)."""
    return (os.environ if environ is None else environ).get("ASSISTANT_CHROMA_HOST", "")


def chroma_client(data_dir: Path, environ: Mapping[str, str] | None = None):
    """Embedded by default; a server when ASSISTANT_CHROMA_HOST is set. Telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    env = os.environ if environ is None else environ
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    host = chroma_host(env)
    if host:
        port = int(env.get("ASSISTANT_CHROMA_PORT") or 8000)
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    path = data_dir / "index" / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    def __init__(self, client, embedder: Embedder, prefix: str = "") -> None:
        self.client = client
        self.embedder = embedder
        self.prefix = prefix
        self.collections = {kind: self._collection(kind) for kind in KINDS}
        self._counts: dict[str, int] = {}

    def _collection(self, kind: str):
        """A collection searched wide (ef_search) so that HNSW, an approximate search, finds nearly
        always the exact neighbours the stored-vector ranking of a one-shot command finds (all of
        them among a few hundred projects); collections made with chromadb's narrower default are
        widened in place."""
        collection = self.client.get_or_create_collection(
            name=f"{self.prefix}{kind}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF, "embedder": self.embedder.id},
        )
        if ((collection.configuration or {}).get("hnsw") or {}).get("ef_search", SEARCH_EF) < SEARCH_EF:
            collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        return collection

    def filled_by_other_embedder(self) -> bool:
        return any((c.metadata or {}).get("embedder") != self.embedder.id for c in self.collections.values())

    def count(self, kind: Kind) -> int:
        """Vectors in a collection, remembered until the next change (a count costs ~8 ms at 100k)."""
        if kind not in self._counts:
            self._counts[kind] = self.collections[kind].count()
        return self._counts[kind]

    def clear(self) -> None:
        for kind in KINDS:
            self.client.delete_collection(f"{self.prefix}{kind}")
            self.collections[kind] = self._collection(kind)
        self._counts.clear()

    def drop(self) -> None:
        """Delete the collections (an evaluation's throwaway index)."""
        for kind in KINDS:
            self.client.delete_collection(f"{self.prefix}{kind}")

    def upsert(self, kind: Kind, docs: Sequence[IndexDoc | StoredDoc], vectors: np.ndarray) -> None:
        """Documents with the vectors the index computed for them (one per document, in order)."""
        collection = self.collections[kind]
        batch = min(4000, self.client.get_max_batch_size())
        for start in range(0, len(docs), batch):
            part = docs[start : start + batch]
            collection.upsert(
                ids=[d.id for d in part],
                embeddings=vectors[start : start + batch].tolist(),
                metadatas=[d.meta.stored() for d in part],
                documents=[d.text for d in part],
            )
        self._counts.pop(kind, None)

    def embeddings(self, kind: Kind) -> tuple[list[str], np.ndarray]:
        """(ids, vectors) of every document of a collection, as chromadb holds them."""
        got = self.collections[kind].get(include=["embeddings"])
        return list(got["ids"]), np.asarray(got["embeddings"], dtype=np.float32)

    def delete(self, ids: Sequence[str]) -> None:
        for kind in KINDS:
            chosen = [i for i in ids if ("-i" in i) == (kind == "indicators")]
            if chosen:
                self.collections[kind].delete(ids=chosen)
                self._counts.pop(kind, None)

    def nearest(self, kind: Kind, query: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(id, cosine distance) of the `n` documents nearest to a query's embedding, optionally
        filtered by chromadb."""
        total = self.count(kind)
        if not total:
            return []
        answer = self.collections[kind].query(
            query_embeddings=[query.tolist()],
            n_results=min(total, n),
            where=where,
            include=["distances"],
        )
        return sorted(zip(answer["ids"][0], answer["distances"][0]), key=_nearest_first)


def rank_stored(ids: Sequence[str], matrix: np.ndarray, query: np.ndarray) -> list[tuple[str, float]]:
    """(id, cosine distance) of every stored vector, nearest first: the exact ranking chromadb's
    cosine HNSW index approximates (among projects it finds the same neighbours; among thousands
    of indicators HNSW now and then returns a farther one)."""
    if not len(ids):
        return []
    distances = cosine_distances(matrix, query)
    return sorted(((ids[i], float(d)) for i, d in enumerate(distances)), key=_nearest_first)


def cosine_distances(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
    """1 − cosine similarity of the query to each row (a zero row is at distance 1)."""
    norms = np.linalg.norm(matrix, axis=1) * (float(np.linalg.norm(query)) or 1.0)
    return 1.0 - (matrix @ query) / np.where(norms == 0, 1.0, norms)


def _nearest_first(hit: tuple[str, float]) -> tuple[float, str]:
    """Nearest first; distances equal to 5 decimals (copies of one text, or the float noise
    between chromadb's arithmetic and NumPy's) in id order, so both rank alike."""
    return (round(hit[1], 5), hit[0])
