"""Retrieval over past filings: which past projects are like this one, and what they measured."""

from .documents import IndicatorMeta, ProjectMeta
from .embeddings import E5Embedder, Embedder, HashingEmbedder, OpenAIEmbedder, embedder_from_env
from .fusion import Explanation, Filters, Hit
from .store import CorpusIndex, Mode, open_index
from .sync import SyncReport

__all__ = [
    "CorpusIndex",
    "E5Embedder",
    "Embedder",
    "Explanation",
    "Filters",
    "HashingEmbedder",
    "Hit",
    "IndicatorMeta",
    "Mode",
    "OpenAIEmbedder",
    "ProjectMeta",
    "SyncReport",
    "embedder_from_env",
    "open_index",
]
