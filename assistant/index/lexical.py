"""BM25 over jieba tokens (bm25s), with the domain dictionary and synonym groups, and the
in-memory filter columns that narrow it.

Tokens are computed once per document and kept in the document store; the BM25 model is fitted
from them on first search and refitted after a change (no re-tokenising, no re-embedding).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from ..tokens import words

if TYPE_CHECKING:
    from .docstore import StoredDoc
    from .fusion import Filters

FILTER_FIELDS = ("level2", "year", "unit_name", "doc_kind", "horizon")
_STOP = {
    "的",
    "和",
    "及",
    "与",
    "等",
    "对",
    "为",
    "在",
    "了",
    "是",
    "年",
    "万元",
    "指标",
    "工作",
    "经费",
    "项目",
    "专项",
    "专项经费",
    "工作经费",
}


@cache
def synonym_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    text = resources.files("assistant").joinpath("data", "synonyms.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        group = line.split("#", 1)[0].split()
        for word in group[1:]:
            mapping[word] = group[0]
    return mapping


def tokenize(text: str) -> list[str]:
    """jieba words, without stop words, each followed by its synonym group's canonical form."""
    synonyms = synonym_map()
    out: list[str] = []
    for word in words(text):
        if word in _STOP:
            continue
        out.append(word)
        canonical = synonyms.get(word)
        if canonical and canonical != word:
            out.append(canonical)
    return out


class Bm25:
    """A fitted BM25 model over documents given as token lists."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[list[str]]) -> None:
        import bm25s

        self.ids = list(ids)
        self._model = bm25s.BM25()
        if self.ids:
            self._model.index([t or ["_"] for t in tokens], show_progress=False)

    def search(self, query_tokens: list[str], k: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        if not self.ids or not query_tokens:
            return []
        vocab = self._model.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return []
        scores = self._model.get_scores(known)
        if mask is not None:
            scores = scores * mask
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]


def _codes(values: list) -> tuple[dict, np.ndarray]:
    """A column as integer codes, so a filter is one vectorised comparison."""
    index: dict = {}
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values))
    return index, codes


class LexicalIndex:
    """BM25 over one kind of document, with each filter field as a column of codes."""

    def __init__(self, docs: Sequence[StoredDoc]) -> None:
        self.bm25 = Bm25([d.id for d in docs], [d.tokens.split() for d in docs])
        self.position = {d.id: n for n, d in enumerate(docs)}
        self.columns = {field: _codes([_value(getattr(d.meta, field, None)) for d in docs]) for field in FILTER_FIELDS}

    def mask(self, filters: Filters) -> np.ndarray:
        """1.0 for documents the filters keep, in the index's order."""
        mask = np.ones(len(self.bm25.ids), dtype=np.float32)
        for field in FILTER_FIELDS:
            wanted = getattr(filters, field)
            if wanted is not None:
                values, codes = self.columns[field]
                mask *= (codes == values.get(_value(wanted), -1)).astype(np.float32)
        for doc_id in filters.exclude_ids:
            if doc_id in self.position:
                mask[self.position[doc_id]] = 0.0
        return mask

    def ranks(self, tokens: list[str], n: int, filters: Filters) -> list[tuple[str, float]]:
        return self.bm25.search(tokens, n, self.mask(filters))

    def keeps(self, doc_id: str, mask: np.ndarray) -> bool:
        return doc_id in self.position and bool(mask[self.position[doc_id]])


def _value(value: object) -> object:
    """Enums compare as their text, so a filter given as text or as an enum matches either."""
    return getattr(value, "value", value)
