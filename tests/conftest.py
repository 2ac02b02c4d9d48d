"""Shared fixtures: the seed filings, imported once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import read_filing
from assistant.models import Filing

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return SEEDS


@pytest.fixture(scope="session")
def seeds() -> dict[str, Filing]:
    return {key: read_filing(path) for key, path in SEEDS.items()}
