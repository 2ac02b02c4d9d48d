"""The retrieval index over past filings: the parts put together and the questions asked of them.

- documents (docstore.py): text, tokens and metadata of every project and indicator, in SQLite;
- vectors (vectors.py): chromadb collections of our embeddings, embedded or on a server;
- lexical (lexical.py): BM25 over jieba tokens, fitted from the stored tokens on first search;
- fusion (fusion.py): reciprocal rank fusion and the explanation of each hit;
- sync (sync.py): a corpus folder's files in and out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np

from ..classify import Classification, classify
from ..config import InputLimits
from ..models import Indicator, Project
from ..tokens import TOKENIZER_ID
from .docstore import DocumentStore, StoredDoc
from .documents import (
    DOCUMENTS_ID,
    IndexDoc,
    IndicatorMeta,
    Kind,
    ProjectMeta,
    measured_objects,
    project_docs,
    project_text,
)
from .embeddings import Embedder, embedder_from_env
from .fusion import Explanation, Filters, Hit, explain, related, rrf, standing
from .lexical import LexicalIndex, tokenize
from .sync import Progress, SyncReport, sync_folder
from .vectors import KINDS, VectorStore, chroma_client, chroma_host, cosine_distances, rank_stored

Mode = Literal["hybrid", "lexical", "vector"]
OVERFETCH = 4  # filtered vector search: candidates fetched per candidate wanted
# beyond the n wanted, so that documents tied with the n-th (copies of one text) are all there to
# be put in id order, as the stored-vector ranking does, before the list is cut
TIE_MARGIN = 10

__all__ = ["CorpusIndex", "Filters", "Hit", "Kind", "Mode", "SyncReport", "open_index"]


class CorpusIndex:
    """The document store, chromadb and BM25 kept in step, and the searches over them.

    chromadb is opened on first need (`vectors`). With `read_chroma=False` — a one-shot command —
    vector searches rank the document store's copy of the vectors instead, as long as that copy
    is the one chromadb holds: importing chromadb costs about 0.7 s, more than the command's
    whole work, and an exact ranking of a corpus's vectors takes milliseconds (it finds the
    neighbours HNSW finds, or nearer ones: HNSW is approximate). Any write still goes through
    chromadb."""

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder | None = None,
        client=None,
        prefix: str = "",
        *,
        environ: Mapping[str, str] | None = None,
        read_chroma: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.embedder = embedder or embedder_from_env()
        self.prefix = prefix
        self.notices: list[str] = []
        self._client = client
        self._environ = environ
        (self.data_dir / "index").mkdir(parents=True, exist_ok=True)
        self.documents = DocumentStore(self.data_dir / "index" / f"{prefix}documents.sqlite3")
        self._lexical: dict[str, LexicalIndex] = {}
        self._stored: dict[str, tuple[list[str], np.ndarray]] = {}
        # a client given (an evaluation's in-memory one) or a server: chromadb is the only copy read
        read_chroma = read_chroma or client is not None or bool(chroma_host(environ))
        if read_chroma or not self._stored_in_step():
            self.vectors  # noqa: B018  (opened now: its check may rebuild, with a notice)
        self._check_tokens()
        self._check_documents()

    @cached_property
    def client(self):
        """The chromadb client: the one given, else embedded in the data folder or a server."""
        return self._client if self._client is not None else chroma_client(self.data_dir, self._environ)

    @cached_property
    def vectors(self) -> VectorStore:
        """chromadb's collections, brought in step with the document store when opened."""
        store = VectorStore(self.client, self.embedder, self.prefix)
        self._check_vectors(store)
        return store

    # --- keeping the parts in step -------------------------------------------------------

    def _stamp(self) -> str:
        return f"{self.embedder.id}@{self.documents.generation()}"

    def _stored_in_step(self) -> bool:
        """Whether chromadb holds, by this embedder, the documents as stored now (the document
        store's vectors are then the same vectors)."""
        return self.documents.setting("vectors") == self._stamp()

    def _check_vectors(self, store: VectorStore) -> None:
        """Vectors of another embedder, or missing after a build was cut short, are rebuilt
        from the document store with a notice saying which of the two it was; an index made
        before the document store kept vectors gets its copy from chromadb."""
        recorded = self.documents.setting("embedder")
        counts = {k: self.documents.count(k) for k in KINDS}
        vectors = {k: store.count(k) for k in KINDS}
        changed = (recorded and recorded != self.embedder.id) or store.filled_by_other_embedder()
        if (changed or counts != vectors) and any(counts.values()):
            if changed:
                self.notices.append(
                    f"索引的向量由“{recorded or '未知'}”生成，与当前的“{self.embedder.id}”不一致，已重新生成向量。"
                )
            else:
                self.notices.append(
                    f"上次建立索引没有完成（可能被中断），已补齐向量（文档 {sum(counts.values())} 条，"
                    f"原有向量 {sum(vectors.values())} 条）。"
                )
            store.clear()
            for kind in KINDS:
                docs = self.documents.all(kind)
                embedded = self.embedder.embed_documents([d.text for d in docs])
                self.documents.set_vectors([d.id for d in docs], embedded)
                store.upsert(kind, docs, embedded)
        else:
            for kind in KINDS:
                if self.documents.vector_count(kind) != counts[kind]:
                    self.documents.set_vectors(*store.embeddings(kind))
        self.documents.set_setting("embedder", self.embedder.id)
        self._mark_in_step()

    def _mark_in_step(self) -> None:
        self.documents.set_setting("vectors", self._stamp())
        self._stored.clear()

    def _check_tokens(self) -> None:
        """Documents tokenized by another tokenizer are tokenized again from their stored text
        (a project's with its indicators' names, as `project_docs` gives them)."""
        recorded = self.documents.setting("tokenizer")
        if recorded != TOKENIZER_ID and self.documents.count("projects"):
            names: dict[str, list[str]] = {}
            indicators = self.documents.all("indicators")
            for doc in sorted(indicators, key=lambda d: d.meta.index):  # type: ignore[union-attr]
                names.setdefault(doc.meta.project_id, []).append(doc.meta.name)  # type: ignore[union-attr]
            tokens = {d.id: tokenize(f"{d.text} ") for d in indicators}
            for doc in self.documents.all("projects"):
                tokens[doc.id] = tokenize(f"{doc.text} {' '.join(names.get(doc.id, []))}")
            self.documents.set_tokens(tokens)
            self.notices.append(
                f"分词方式已更新（{recorded or '旧版'} → {TOKENIZER_ID}），已重新分词 {len(tokens)} 条文档。"
            )
        self.documents.set_setting("tokenizer", TOKENIZER_ID)

    def _check_documents(self) -> None:
        """Metadata made under other class word lists or another tokenizer (class, kind,
        measured objects) is remade: the files are read again at the next sync."""
        recorded = self.documents.setting("documents")
        if recorded != DOCUMENTS_ID and self.documents.count("projects"):
            stale = self.documents.forget_files()
            self.notices.append(f"索引的项目分类和衡量对象需要更新，将重新读取 {stale} 个文件。")
        self.documents.set_setting("documents", DOCUMENTS_ID)

    def add_docs(self, key: str, docs: Sequence[IndexDoc], path: str = "", fingerprint: str = "") -> None:
        """Replace everything indexed under `key` with `docs` (embedded first: an embedding
        endpoint that fails leaves the index as it was)."""
        tokens = [tokenize(f"{d.text} {d.keywords}") for d in docs]
        embedded = self.embedder.embed_documents([d.text for d in docs])
        vectors = self.vectors
        old = self.documents.replace(key, docs, tokens, embedded, path or key, fingerprint)
        vectors.delete(old)
        for kind in KINDS:
            rows = [n for n, d in enumerate(docs) if d.kind == kind]
            if rows:
                vectors.upsert(kind, [docs[n] for n in rows], embedded[rows])
        self._mark_in_step()
        self._lexical.clear()

    def add_projects(self, projects: Sequence[Project], key: str) -> None:
        """Index projects that are not a file, such as an accepted draft."""
        self.add_docs(key, [doc for n, p in enumerate(projects) for doc in project_docs(p, key, n)], path=key)

    def remove(self, key: str) -> int:
        vectors = self.vectors
        ids = self.documents.remove(key)
        if ids:
            vectors.delete(ids)
            self._lexical.clear()
        self._mark_in_step()
        return len(ids)

    def sync(self, corpus_dir: Path, progress: Progress | None = None, limits: InputLimits | None = None) -> SyncReport:
        """Bring the index in line with a folder: new and changed files in, removed files out."""
        return sync_folder(self, corpus_dir, progress, limits)

    # --- what is in it -------------------------------------------------------------------

    def count(self, kind: Kind) -> int:
        return self.documents.count(kind)

    def indexed_files(self) -> dict[str, tuple[str, str]]:
        return self.documents.files()

    def project_docs(self) -> list[tuple[str, str, ProjectMeta]]:
        """(id, text, metadata) of every indexed project."""
        return [(d.id, d.text, d.meta) for d in self.documents.all("projects")]  # type: ignore[misc]

    def project_indicators(self, project_id: str) -> list[Indicator]:
        """The indicators of an indexed project, rebuilt from their stored fields, in order."""
        return [d.meta.indicator() for d in self.documents.indicators_of([project_id])]  # type: ignore[union-attr]

    def level2_rows(self, level2: str) -> list[IndicatorMeta]:
        """Every indexed indicator under one 二级 (for distributions)."""
        return [d.meta for d in self.documents.indicators_under(level2)]  # type: ignore[misc]

    # --- search --------------------------------------------------------------------------

    def lexical(self, kind: Kind) -> LexicalIndex:
        if kind not in self._lexical:
            self._lexical[kind] = LexicalIndex(self.documents.all(kind))
        return self._lexical[kind]

    def _vector_ranks(
        self, kind: Kind, query: np.ndarray, n: int, filters: Filters, need: int
    ) -> list[tuple[str, float]]:
        """Nearest vectors. With a filter: over-fetch without it and keep the matches, judged on
        the in-memory filter columns (chromadb's own metadata filtering costs ~0.7 ms per 1,000
        documents); fall back to it when too few survive a selective filter."""
        excluded = set(filters.exclude_ids)
        mask = self.lexical(kind).mask(filters) if filters.where() is not None else None
        kept = self._kept_by(kind, mask, excluded)
        if "vectors" not in self.__dict__ and self._stored_in_step():
            return [hit for hit in rank_stored(*self._stored_vectors(kind), query) if kept(hit[0])][:n]
        if mask is None:
            found = self.vectors.nearest(kind, query, n + len(excluded) + TIE_MARGIN)
            return [hit for hit in found if kept(hit[0])][:n]
        found = [hit for hit in self.vectors.nearest(kind, query, n * OVERFETCH) if kept(hit[0])][:n]
        if len(found) >= need or self.vectors.count(kind) <= n * OVERFETCH:
            return found
        found = self.vectors.nearest(kind, query, n + len(excluded) + TIE_MARGIN, where=filters.where())
        return [(i, d) for i, d in found if i not in excluded][:n]

    def _similarity_spread(self, kind: Kind, query: np.ndarray) -> tuple[float, float]:
        """Mean and standard deviation of the query's cosine similarity to every document of a
        kind: the yardstick a hit's own similarity is read against (`fusion.standing`)."""
        if self._stored_in_step():
            _, matrix = self._stored_vectors(kind)
            distances = cosine_distances(matrix, query) if len(matrix) else np.zeros(0)
        else:
            distances = np.array([d for _, d in self.vectors.nearest(kind, query, self.vectors.count(kind))])
        if not len(distances):
            return 0.0, 0.0
        return float(1.0 - distances.mean()), float(distances.std())

    def _kept_by(self, kind: Kind, mask, excluded: Set[str]):
        """Whether a document passes the filters: not excluded, and in the filter mask if any."""
        if mask is None:
            return lambda doc_id: doc_id not in excluded
        lexical = self.lexical(kind)
        return lambda doc_id: doc_id not in excluded and lexical.keeps(doc_id, mask)

    def _stored_vectors(self, kind: Kind) -> tuple[list[str], np.ndarray]:
        if kind not in self._stored:
            self._stored[kind] = self.documents.vectors(kind)
        return self._stored[kind]

    def search(
        self,
        query: str,
        kind: Kind = "projects",
        k: int = 5,
        filters: Filters | None = None,
        mode: Mode = "hybrid",
        about: Classification | None = None,
        objects: Set[str] = frozenset(),
    ) -> list[Hit]:
        """Reciprocal rank fusion of BM25 and vector ranks; in hybrid mode a document of the
        query's class and kind of spending (`about`, else read from the query) ranks higher, and,
        when the query is a project, one measuring its `objects`. Each hit says why it was found
        and whether it is like the query beyond words (`Hit.relevant`)."""
        filters = filters or Filters()
        n = max(50, 10 * k)
        tokens = tokenize(query)
        lexical = self.lexical(kind).ranks(tokens, n, filters) if mode != "vector" else []
        embedded = self.embedder.embed_query(query) if mode != "lexical" else None
        vector = self._vector_ranks(kind, embedded, n, filters, need=k) if embedded is not None else []
        fused, (lexical_rank, vector_rank) = rrf(lexical, vector)
        docs = self.documents.by_ids(list(fused))
        # typed words, not a project: how far a hit stands above the corpus decides whether it fits
        stands = None
        if about is None and kind == "projects" and embedded is not None:
            stands = standing(vector, *self._similarity_spread(kind, embedded))
        about = about or classify(query)
        metas = {i: d.meta for i, d in docs.items()}
        given = bool(objects)
        objects = objects or set(measured_objects([query]))
        boosted, shared = related(fused, metas, about.class_, about.kind, objects, weigh_objects=given, stands=stands)
        if mode == "hybrid":
            fused = boosted
        best = sorted(fused, key=lambda d: -fused[d])[:k]
        return [
            self._hit(
                docs[i], fused[i], explain(i, docs[i].tokens, set(tokens), lexical_rank, vector_rank, shared.get(i))
            )
            for i in best
        ]

    def like_project(
        self, project: Project | str, k: int = 5, filters: Filters | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]:
        """Projects like a whole project (one in memory, or a corpus project by id): its text as
        the query, its class, kind of spending and measured objects as the signals beside it;
        the project itself never among the hits."""
        filters = filters or Filters()
        if isinstance(project, str):
            doc = self.documents.by_ids([project]).get(project)
            if doc is None or not isinstance(doc.meta, ProjectMeta):
                raise KeyError(f"索引中没有项目 {project}")
            text, meta = doc.text, doc.meta
            filters = filters.model_copy(update={"exclude_ids": [*filters.exclude_ids, project]})
        else:
            text, first = project_text(project), project_docs(project, "query", 0)[0].meta
            assert isinstance(first, ProjectMeta)
            meta = first
        about = Classification(class_=meta.class_, kind=meta.kind)
        objects = set(meta.objects.split())
        return self.search(text, "projects", k, filters, mode, about=about, objects=objects)

    @staticmethod
    def _hit(doc: StoredDoc, score: float, explanation: Explanation) -> Hit:
        return Hit(id=doc.id, kind=doc.kind, score=round(score, 6), meta=doc.meta, explanation=explanation)

    def indicators_like(
        self, query: str, level2: str | None = None, k_projects: int = 5, k: int = 10, exclude_ids: Sequence[str] = ()
    ) -> list[Hit]:
        """One call for "the 质量指标 of projects like this one": similar projects first, then
        their indicators under that 二级, best project first. Only projects like the query
        beyond words (`Hit.relevant`) lend their rows."""
        found = self.search(query, "projects", k_projects, Filters(exclude_ids=list(exclude_ids)))
        return self.rows_of([p for p in found if p.relevant], level2)[:k]

    def rows_of(self, projects: Sequence[Hit], level2: str | None = None) -> list[Hit]:
        """The indicators of these project hits (under one 二级, if given), best project first,
        each scored and explained as its project."""
        order: Mapping[str, int] = {p.id: n for n, p in enumerate(projects)}
        by_id = {p.id: p for p in projects}
        rows = [d for d in self.documents.indicators_of(list(order)) if level2 is None or _level2_text(d) == level2]
        rows.sort(key=lambda d: (order[d.meta.project_id], d.meta.index))  # type: ignore[union-attr]
        out = []
        for d in rows:
            project = by_id[d.meta.project_id]  # type: ignore[union-attr]
            why = project.explanation.model_copy(update={"found_by": ["project"]})
            out.append(self._hit(d, project.score, why))
        return out


def _level2_text(doc: StoredDoc) -> str | None:
    level = getattr(doc.meta, "level2", None)
    return level.value if level is not None else None


def open_index(
    data_dir: Path,
    embedder: Embedder | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    read_chroma: bool = True,
) -> CorpusIndex:
    """The index of a data folder: chromadb embedded in it, or the server the environment names."""
    return CorpusIndex(Path(data_dir), embedder=embedder, environ=environ, read_chroma=read_chroma)
