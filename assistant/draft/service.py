"""Draft with the configured LLM when there is one, offline otherwise."""

from __future__ import annotations

from collections.abc import Sequence

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
) -> Draft:
    if client is None and llm is not None:
        client = LLMClient(llm)
    if client is None:
        return draft_offline(
            index, brief, exclude_ids, notices=["离线模式：未配置大模型，草稿由往年相似项目和模板生成。"]
        )
    return draft_with_llm(index, brief, client, exclude_ids)
