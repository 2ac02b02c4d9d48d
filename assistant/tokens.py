"""Chinese word segmentation (jieba) with the domain dictionary of budget filings.

jieba is loaded once per process on first use; its start-up message is silenced.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

DOMAIN_WORDS = Path(__file__).resolve().parent / "data" / "domain_words.txt"


@cache
def _tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DOMAIN_WORDS))
    return tokenizer, jieba.posseg.POSTokenizer(tokenizer)


def words(text: str) -> list[str]:
    """Content words: jieba tokens without punctuation and single characters of no weight."""
    tokenizer, _ = _tokenizer()
    return [w for w in tokenizer.lcut(text or "") if w.strip() and (len(w) > 1 or w.isalnum())]


def nouns(text: str) -> list[str]:
    """Noun tokens (n*, vn), in order: the objects a goal or an indicator speaks of."""
    _, pos = _tokenizer()
    return [w.word for w in pos.lcut(text or "") if len(w.word) > 1 and (w.flag.startswith("n") or w.flag == "vn")]
