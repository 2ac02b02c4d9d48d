"""Similar-project search on the labelled pairs: recall@1, recall@3 and MRR for lexical, vector
and hybrid search, per split of the query project.

Each query is a published project that has a labelled partner, asked as the index holds it (its
name, unit and goal, with its class, kind of spending and measured objects: `like_project`); it
is excluded from its own results, which are the annual projects of the
whole corpus (seeds included). recall@k is capped: |relevant ∩ top k| / min(|relevant|, k).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import IngestError
from ..index.embeddings import Embedder
from ..index.store import CorpusIndex, Filters, Mode
from ..ingest import read_filing
from .labels import Labels, Split

MODES: tuple[Mode, ...] = ("lexical", "vector", "hybrid")


class ModeScore(BaseModel):
    recall_at_1: float = 0.0
    recall_at_3: float = 0.0
    mrr: float = 0.0
    queries: int = 0
    found_at_1: int = 0  # queries whose first hit is relevant
    found_at_3: int = 0  # queries with a relevant hit in the top 3


class TypedScore(BaseModel):
    """Whether typed words get the project that fits them, and nothing unrelated, as relevant."""

    queries: int = 0
    with_fit: int = 0  # queries that a corpus project fits (grade 2)
    fit_offered: int = 0  # ... whose fitting project is among the relevant hits of the top 5
    fit_first: int = 0  # ... whose first relevant hit fits
    without_fit: int = 0  # queries that nothing in the corpus fits
    nothing_said: int = 0  # ... answered with no relevant hit, or only related ones (grade 1)
    unrelated_offered: int = 0  # queries, of all, offering an unlabelled project as relevant


class RetrievalEvaluation(BaseModel):
    embedder: str
    splits: dict[str, dict[str, ModeScore]] = Field(default_factory=dict)  # split → mode → score
    typed: dict[str, TypedScore] = Field(default_factory=dict)  # split → typed queries (labels/queries.csv)


def _score(ranked: list[list[tuple]], relevant: list[set[tuple]]) -> ModeScore:
    score = ModeScore(queries=len(ranked))
    for hits, rel in zip(ranked, relevant):
        score.recall_at_1 += len(rel & set(hits[:1])) / min(len(rel), 1)
        score.recall_at_3 += len(rel & set(hits[:3])) / min(len(rel), 3)
        first = next((n for n, h in enumerate(hits, start=1) if h in rel), None)
        score.mrr += 1 / first if first else 0.0
        score.found_at_1 += first == 1
        score.found_at_3 += first is not None and first <= 3
    n = max(1, len(ranked))
    score.recall_at_1, score.recall_at_3, score.mrr = (
        round(v / n, 3) for v in (score.recall_at_1, score.recall_at_3, score.mrr)
    )
    return score


def evaluate_pairs(corpus_dir: Path, labels: Labels, index: CorpusIndex) -> RetrievalEvaluation:
    """The labelled pairs searched in `index`, which holds the whole corpus (`corpus_index`).
    A pair with a file the importer cannot read is left out (the report lists unread files)."""
    corpus_dir = Path(corpus_dir)
    # the label key (corpus-relative file, project number) of every project, by file name and name
    key_of: dict[tuple[str, str, str], tuple[str, int]] = {}
    unread: set[str] = set()
    for file in {p.file for p in labels.pairs} | {p.partner_file for p in labels.pairs}:
        try:
            projects = read_filing(corpus_dir / file).projects
        except IngestError:
            unread.add(file)
            continue
        for n, project in enumerate(projects, start=1):
            key_of.setdefault((Path(file).name, project.name, project.horizon.value), (file, n))
    partners: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
    for pair in labels.pairs:
        if not {pair.file, pair.partner_file} & unread:
            partners[(pair.file, pair.project)].add((pair.partner_file, pair.partner_project))
    label_of: dict[str, tuple[str, int] | None] = {}
    ids_of: dict[tuple[str, int], list[str]] = defaultdict(list)
    for doc_id, _, meta in index.project_docs():
        key = key_of.get((meta.source or "", meta.name, meta.horizon.value))
        label_of[doc_id] = key
        if key:
            ids_of[key].append(doc_id)
    result = RetrievalEvaluation(embedder=index.embedder.id)
    for mode in MODES:
        by_split: dict[Split, tuple[list, list]] = defaultdict(lambda: ([], []))
        for query, relevant in sorted(partners.items()):
            own = ids_of.get(query)
            if not own:
                raise ValueError(f"query project not in the index: {query}")
            filters = Filters(horizon="annual", exclude_ids=own)
            hits = index.like_project(own[0], 10, filters, mode=mode)
            ranked, wanted = by_split[labels.split_of(query[0])]
            ranked.append([label_of[h.id] for h in hits])
            wanted.append(relevant)
        for split, (ranked, wanted) in by_split.items():
            result.splits.setdefault(split, {})[mode] = _score(ranked, wanted)
    for split in sorted({q.split for q in labels.queries}):
        result.typed[split] = evaluate_typed(labels, index, split)
    return result


def evaluate_typed(labels: Labels, index: CorpusIndex, split: Split = "dev", k: int = 5) -> TypedScore:
    """The typed queries of a split as `assistant similar` asks them (hybrid, annual projects):
    dev set the relevance threshold, test was written apart and blind to the tool's answers.
    Projects are matched by name."""
    graded: dict[str, dict[str, int]] = defaultdict(dict)
    for label in labels.queries:
        if label.split == split:
            graded[label.query].update({label.project: label.grade} if label.project else {})
    score = TypedScore(queries=len(graded))
    for query, grades in graded.items():
        offered = [h.name for h in index.search(query, "projects", k, Filters(horizon="annual")) if h.relevant]
        fits = {name for name, grade in grades.items() if grade >= 2}
        if fits:
            score.with_fit += 1
            score.fit_offered += bool(fits & set(offered))
            score.fit_first += bool(offered) and offered[0] in fits
        else:
            score.without_fit += 1
            score.nothing_said += all(name in grades for name in offered)
        score.unrelated_offered += any(name not in grades for name in offered)
    return score


@contextmanager
def corpus_index(corpus_dir: Path, embedder: Embedder) -> Iterator[CorpusIndex]:
    """The whole corpus in a throw-away index (an in-memory chromadb, a temporary folder)."""
    import chromadb
    from chromadb.config import Settings

    with tempfile.TemporaryDirectory(prefix="eval-index-") as tmp:
        client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
        index = CorpusIndex(Path(tmp), embedder=embedder, client=client, prefix=f"eval{abs(hash(tmp))}_")
        index.sync(corpus_dir)
        try:
            yield index
        finally:
            index.vectors.drop()
