"""Hybrid search: lexical and vector ranks fused by reciprocal rank, each hit with why it was found.

RRF adds 1/(K + rank) from each side, so a document both sides find rises, and neither side's
scores need to be on the same scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from .documents import IndicatorMeta, ProjectMeta

RRF_K = 60


class Filters(BaseModel):
    level2: str | None = None
    year: int | None = None
    unit_name: str | None = None
    doc_kind: str | None = None
    horizon: str | None = None
    exclude_ids: list[str] = Field(default_factory=list)

    def where(self) -> dict | None:
        """The same filters as a chromadb `where` clause (None when there are none)."""
        terms = [
            {f: getattr(self, f)}
            for f in ("level2", "year", "unit_name", "doc_kind", "horizon")
            if getattr(self, f) is not None
        ]
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else {"$and": terms}


SIDES = {"lexical": "关键词", "vector": "语义", "project": "相似项目"}


class Explanation(BaseModel):
    found_by: list[str]  # "lexical", "vector", "project"
    lexical_rank: int | None = None
    vector_rank: int | None = None
    shared_terms: list[str] = Field(default_factory=list)

    def sides(self) -> str:
        """How the hit was found, as a person reads it: 关键词+语义."""
        return "+".join(SIDES.get(s, s) for s in self.found_by)


class Hit(BaseModel):
    """A document found, typed by its kind: `meta` is a ProjectMeta or an IndicatorMeta."""

    id: str
    kind: str
    score: float
    meta: ProjectMeta | IndicatorMeta
    explanation: Explanation

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def unit_name(self) -> str | None:
        return self.meta.unit_name

    @property
    def year(self) -> int | None:
        return self.meta.year

    @property
    def source(self) -> str | None:
        return self.meta.source

    @property
    def indicator(self) -> IndicatorMeta:
        """The indicator a hit of kind "indicators" stands for."""
        assert isinstance(self.meta, IndicatorMeta), self.kind
        return self.meta

    @property
    def metadata(self) -> dict:
        """The stored fields as a plain dict (JSON output)."""
        return self.meta.stored()


def rrf(*rankings: Sequence[tuple[str, float]]) -> tuple[dict[str, float], list[dict[str, int]]]:
    """Fused scores of every ranked id, and each ranking as id → rank (from 1)."""
    ranks = [{doc_id: r for r, (doc_id, _) in enumerate(ranking, start=1)} for ranking in rankings]
    fused: dict[str, float] = {}
    for ranking in ranks:
        for doc_id, rank in ranking.items():
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (RRF_K + rank)
    return fused, ranks


def explain(
    doc_id: str, tokens: str, query_tokens: set[str], lexical: Mapping[str, int], vector: Mapping[str, int]
) -> Explanation:
    found_by = [side for side, ranks in (("lexical", lexical), ("vector", vector)) if doc_id in ranks]
    return Explanation(
        found_by=found_by,
        lexical_rank=lexical.get(doc_id),
        vector_rank=vector.get(doc_id),
        shared_terms=sorted(query_tokens & set(tokens.split())),
    )
