"""Chinese word segmentation: jieba's dictionary and algorithm (through rjieba, the Rust port,
which starts in a tenth of a second where jieba's Python dictionary load takes one), with the
domain dictionary of budget filings.

The tokenizer is rjieba's own process-wide one (importing rjieba builds it; a second one would
cost as much again), given the domain words once per process on first use. TOKENIZER_ID names it with the word lists
that shape its tokens: an index records it and re-tokenizes its documents when it changes.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DOMAIN_WORDS = DATA / "domain_words.txt"
# the tokenizer and the word lists that shape the tokens (the domain words, the synonym groups)
TOKENIZER_ID = (
    "rjieba+" + hashlib.sha1(DOMAIN_WORDS.read_bytes() + (DATA / "synonyms.txt").read_bytes()).hexdigest()[:10]
)


@cache
def _tokenizer():
    import rjieba

    tokenizer = rjieba
    for line in DOMAIN_WORDS.read_text(encoding="utf-8").splitlines():
        word, *rest = line.split() or [""]
        if not word or word.startswith("#"):
            continue
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def words(text: str) -> list[str]:
    """Content words: jieba tokens without punctuation and single characters of no weight."""
    return [w for w in _tokenizer().cut(text or "") if w.strip() and (len(w) > 1 or w.isalnum())]


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) of every token, as jieba tags them (n noun, vn verbal noun, ns place…)."""
    return list(_tokenizer().tag(text or ""))


def nouns(text: str) -> list[str]:
    """Noun tokens (n*, vn), in order: the objects a goal or an indicator speaks of."""
    return [w for w, flag in _tokenizer().tag(text or "") if len(w) > 1 and (flag.startswith("n") or flag == "vn")]
