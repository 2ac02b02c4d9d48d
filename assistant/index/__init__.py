"""Retrieval over past filings: which past projects are like this one, and what they measured."""

from .embeddings import E5Embedder, Embedder, HashingEmbedder, OpenAIEmbedder, embedder_from_env
from .store import CorpusIndex, Filters, Hit, SyncReport, open_index

__all__ = [
    "CorpusIndex",
    "E5Embedder",
    "Embedder",
    "Filters",
    "HashingEmbedder",
    "Hit",
    "OpenAIEmbedder",
    "SyncReport",
    "embedder_from_env",
    "open_index",
]
