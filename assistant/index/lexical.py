"""BM25 over jieba tokens (bm25s), with the domain dictionary and synonym groups.

Tokens are computed once per document and kept in the index database; the BM25 model is fitted
from them on first search and refitted after a change (no re-tokenising, no re-embedding).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from ..tokens import words

SYNONYMS = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"
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
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
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
