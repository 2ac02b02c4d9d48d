"""Benchmark: reviewing generated projects on one core, and the slowest rules.

Generates N projects by recombining seed indicators (every annual seed project, rows shuffled
between projects of the same kind, new names and amounts), then measures in one process:
  - baseline: a pass that touches every field of every row (the floor for any per-row check);
  - ours: `review_projects` with every rule enabled;
  - per rule: time spent in each rule's check, slowest first.
Each pass is repeated (--repeat) and the best and the median are printed: on a shared machine
other work only ever slows a pass down, so the best is the engine's own speed (as timeit reports).

    python bench/review.py [--projects 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import defaultdict
from pathlib import Path

from assistant.ingest import read_filing
from assistant.models import Horizon, Project
from assistant.review import engine
from assistant.review.engine import review_projects
from assistant.review.registry import REGISTRY, all_rules

REPO = Path(__file__).resolve().parent.parent


def generate(n: int, rng: random.Random) -> list[Project]:
    seeds = [
        p
        for path in sorted((REPO / "corpus").glob("*.txt"))
        for p in read_filing(path).projects
        if p.horizon is Horizon.ANNUAL and p.indicators
    ]
    pool = [ind for p in seeds for ind in p.indicators]
    projects = []
    for i in range(n):
        base = rng.choice(seeds)
        rows = [rng.choice(pool) if rng.random() < 0.3 else ind for ind in base.indicators]
        projects.append(
            base.model_copy(
                update={
                    "name": f"{base.name}（{i}）",
                    "unit_name": f"测试单位{i // 50}",
                    "amount": round(rng.uniform(1, 500), 2),
                    "indicators": rows,
                }
            )
        )
    return projects


def touch_every_field(projects: list[Project]) -> int:
    total = 0
    for project in projects:
        for ind in project.indicators:
            for value in (ind.name, ind.target, ind.target_detail, ind.scoring, ind.unit):
                total += len(value or "")
    return total


def timed_rules() -> dict[str, float]:
    """Wrap every rule's check to accumulate its time."""
    spent: dict[str, float] = defaultdict(float)
    for code, rule in list(REGISTRY.items()):

        def wrapper(*args, _check=rule.check, _code=code):
            start = time.perf_counter()
            result = list(_check(*args))
            spent[_code] += time.perf_counter() - start
            return iter(result)

        REGISTRY[code] = type(rule)(**{**rule.__dict__, "check": wrapper})
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=8, help="slowest rules to list")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best and median printed)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the issue asks
    all_rules()
    projects = generate(args.projects, random.Random(11))
    rows = sum(len(p.indicators) for p in projects)
    review_projects(projects[:50])  # warm up: lexicon, jieba dictionary

    base_runs, ours_runs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        touch_every_field(projects)
        base_runs.append(time.perf_counter() - start)

        # Projects are reviewed in unit-sized batches, as a bureau reviews one unit's filings.
        start = time.perf_counter()
        findings = 0
        for i in range(0, len(projects), 50):
            findings += len(review_projects(projects[i : i + 50]))
        ours_runs.append(time.perf_counter() - start)
    base_s, ours_s = min(base_runs), min(ours_runs)
    ours_median = statistics.median(ours_runs)

    spent = timed_rules()
    engine.all_rules = all_rules  # the wrapped registry is read through all_rules()
    for i in range(0, min(len(projects), 2000), 50):
        review_projects(projects[i : i + 50])

    print(f"{len(projects)} projects, {rows} indicators, one core")
    print(f"{'run':<32}{'seconds':>10}{'projects/s':>14}")
    print(f"{'baseline: read every field':<32}{base_s:>10.3f}{len(projects) / base_s:>14.0f}")
    print(f"{'review_projects, all rules':<32}{ours_s:>10.3f}{len(projects) / ours_s:>14.0f}")
    print(f"{'  the same, median pass':<32}{ours_median:>10.3f}{len(projects) / ours_median:>14.0f}")
    print(f"best of {args.repeat} passes; ratio ours/baseline: {ours_s / base_s:.0f}x; {findings} findings")
    print()
    total = sum(spent.values())
    print("slowest rules (share of rule time, on the first 2000 projects):")
    for code, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {code} {REGISTRY[code].name:<32}{seconds:>8.3f} s  {seconds / total:>5.0%}")


if __name__ == "__main__":
    main()
