"""Retrieval quality on the labelled similar-project pairs: recall@1, recall@3 and MRR for
lexical only, vector only and hybrid, in one run.

Each query is a seed project (its name, unit and goal, as the index holds it); the project
itself and its other horizon are excluded from the results, which are limited to annual
projects. A project is relevant when the labelled set lists it (grade 1 or 2). recall@k is
capped: |relevant ∩ top k| / min(|relevant|, k), so 1.0 is reachable at every k.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel

from ..index.embeddings import Embedder
from ..index.store import CorpusIndex, Filters
from .retrieval import MODES, ModeScore, _score


class RetrievalEvaluation(BaseModel):
    embedder: str
    projects: dict[str, ModeScore]  # mode → score, project-to-project queries
    text: dict[str, ModeScore]  # mode → score, free-text queries


def _key(file: str, name: str, unit: str | None) -> tuple[str, str, str]:
    return (file, name.strip(), (unit or "").strip())


def evaluate_retrieval(
    labels: Path, corpus_dir: Path, embedder: Embedder, files: list[Path] | None = None
) -> RetrievalEvaluation:
    """`files`: index only these (the seeds, for the in-sample figure), not the whole folder."""
    data = json.loads(labels.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="eval-retrieval-") as tmp:
        if files is not None:
            corpus_dir = Path(tmp) / "corpus"
            corpus_dir.mkdir()
            for path in files:
                shutil.copy(path, corpus_dir / path.name)
        import chromadb
        from chromadb.config import Settings

        client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
        index = CorpusIndex(Path(tmp), embedder=embedder, client=client, prefix=f"eval{abs(hash(tmp))}_")
        index.sync(corpus_dir)
        docs = index.project_docs()
        ids_of: dict[tuple, list[str]] = {}
        text_of: dict[str, str] = {}
        key_of: dict[str, tuple] = {}
        for doc_id, text, meta in docs:
            key = _key((meta.source or "")[:3], meta.name, meta.unit_name)
            ids_of.setdefault(key, []).append(doc_id)
            text_of[doc_id] = text
            key_of[doc_id] = key
        annual = Filters(horizon="annual")
        result_projects: dict[str, ModeScore] = {}
        result_text: dict[str, ModeScore] = {}
        for mode in MODES:
            ranked, relevant = [], []
            for query in data["queries"]:
                own = ids_of.get(_key(query["file"], query["name"], query.get("unit")), [])
                if not own:
                    raise ValueError(f"query project not in the index: {query['file']} {query['name']}")
                filters = annual.model_copy(update={"exclude_ids": own})
                hits = index.search(text_of[own[0]], "projects", 10, filters, mode=mode)
                ranked.append([key_of[h.id] for h in hits])
                relevant.append({_key(r["file"], r["name"], r.get("unit")) for r in query["relevant"]})
            result_projects[mode] = _score(ranked, relevant)
            ranked, relevant = [], []
            for query in data.get("text_queries", []):
                hits = index.search(query["query"], "projects", 10, annual, mode=mode)
                ranked.append([key_of[h.id] for h in hits])
                relevant.append({_key(r["file"], r["name"], r.get("unit")) for r in query["relevant"]})
            result_text[mode] = _score(ranked, relevant)
        index.vectors.drop()
    return RetrievalEvaluation(embedder=embedder.id, projects=result_projects, text=result_text)


def format_retrieval(results: list[RetrievalEvaluation]) -> str:
    lines = [f"{'embedder':<36}{'queries':<14}{'mode':<9}{'recall@1':>9}{'recall@3':>9}{'MRR':>7}"]
    for result in results:
        for label, table in (("projects", result.projects), ("text", result.text)):
            for mode, s in table.items():
                lines.append(
                    f"{result.embedder:<36}{label + f'({s.queries})':<14}{mode:<9}"
                    f"{s.recall_at_1:>9.3f}{s.recall_at_3:>9.3f}{s.mrr:>7.3f}"
                )
    return "\n".join(lines)
