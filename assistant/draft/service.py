"""Draft with the configured LLM when there is one, offline otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..index import CorpusIndex
from ..llm import LLMClient, LLMSettings
from .llm_drafter import draft_with_llm
from .models import Brief, Draft
from .offline import draft_offline


def draft(
    index: CorpusIndex,
    brief: Brief,
    llm: LLMSettings | None = None,
    exclude_ids: Sequence[str] = (),
    client: LLMClient | None = None,
    corpus_dir: Path | None = None,
) -> Draft:
    """`corpus_dir` lets the library offer the reference entries kept beside the filings."""
    if client is None and llm is not None:
        client = LLMClient(llm)
    if client is None:
        notice = "离线模式：未配置大模型，草稿由申报内容、同类项目、指标库和通用写法生成。"
        return draft_offline(index, brief, exclude_ids, notices=[notice], corpus_dir=corpus_dir)
    return draft_with_llm(index, brief, client, exclude_ids, corpus_dir=corpus_dir)
