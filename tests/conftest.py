"""Shared fixtures: the seed filings, imported once per test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.index import CorpusIndex, HashingEmbedder, open_index
from assistant.ingest import read_filing
from assistant.models import Filing

from .fake_llm import FakeLLM

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEEDS = {path.name[:3]: path for path in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    return SEEDS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder holding a copy of the seed filings."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in SEEDS.values():
        shutil.copy(path, folder)
    return folder


@pytest.fixture(scope="module")
def index(tmp_path_factory, corpus) -> CorpusIndex:
    """The seeds indexed in a real chromadb folder, with the instant hashing embedder."""
    built = open_index(tmp_path_factory.mktemp("data"), embedder=HashingEmbedder())
    report = built.sync(corpus)
    assert len(report.added) == 5 and not report.errors
    return built


@pytest.fixture(scope="session")
def national_index(tmp_path_factory) -> CorpusIndex:
    """The whole national corpus (corpus/: seeds and published filings of 20 provinces) indexed
    in a real chromadb folder, with the instant hashing embedder."""
    built = open_index(tmp_path_factory.mktemp("national"), embedder=HashingEmbedder())
    built.sync(CORPUS)
    return built


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    """A local OpenAI-compatible server with scripted answers (the one accepted test double)."""
    server = FakeLLM()
    yield server
    server.close()


@pytest.fixture(scope="session")
def seeds() -> dict[str, Filing]:
    return {key: read_filing(path) for key, path in SEEDS.items()}


def _pg_bin() -> Path | None:
    for version in ("17", "16", "15", "14", "13"):
        folder = Path(f"/usr/lib/postgresql/{version}/bin")
        if (folder / "initdb").exists():
            return folder
    return None


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on 127.0.0.1, run as the postgres user (it refuses root)."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql)")
    root = Path(tempfile.mkdtemp(prefix="pg-"))
    data = root / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(root, "postgres")
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "start",
            "-o",
            f"-p {port} -h 127.0.0.1 -k {root}",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)
