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

    class SharedTagsPOSTokenizer(jieba.posseg.POSTokenizer):
        """Takes the part-of-speech tags of jieba's default dictionary from the tokenizer that
        importing jieba.posseg has already built, instead of parsing that 350k-line file a
        second time (half a second at start-up). Ours uses the same dictionary; the domain
        words' tags are merged by jieba on first use."""

        def load_word_tag(self, f) -> None:
            f.close()
            self.word_tag_tab = dict(jieba.posseg.dt.word_tag_tab)

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DOMAIN_WORDS))
    return tokenizer, SharedTagsPOSTokenizer(tokenizer)


def words(text: str) -> list[str]:
    """Content words: jieba tokens without punctuation and single characters of no weight."""
    tokenizer, _ = _tokenizer()
    return [w for w in tokenizer.lcut(text or "") if w.strip() and (len(w) > 1 or w.isalnum())]


def nouns(text: str) -> list[str]:
    """Noun tokens (n*, vn), in order: the objects a goal or an indicator speaks of."""
    _, pos = _tokenizer()
    return [w.word for w in pos.lcut(text or "") if len(w.word) > 1 and (w.flag.startswith("n") or w.flag == "vn")]
