"""Benchmark: importing a generated corpus of budget-system .xlsx files.

Generates N projects by recombining the seed projects (new names, units, amounts and years),
writes them as standard-layout .xlsx files of M projects each, then measures, in one process:
  - baseline: openpyxl alone (read-only mode) opening each workbook and reading every cell,
    the floor for any .xlsx importer built on openpyxl;
  - python-calamine (a Rust reader), when installed: every sheet's cells and merged ranges, to
    judge whether it should replace the openpyxl streaming parser (it loads a whole sheet at once,
    so limits would have to be checked before it runs);
  - ours: `read_filing` on each file (limits, streaming grid, merged cells, header detection,
    model building).
Prints projects per second for both, their ratio, and peak memory (tracemalloc, measured
apart on a few files: tracing slows Python several-fold).

    python bench/ingest.py [--projects 10000] [--per-file 100] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import openpyxl

from assistant.export.xlsx import write_xlsx
from assistant.ingest import read_filing
from assistant.models import Horizon, Project

REPO = Path(__file__).resolve().parent.parent
UNITS = ["财政局", "教育局", "卫健委", "民政局", "住建局", "交通局", "农业农村局", "文旅局", "水利局", "审计局"]


def seed_projects() -> list[Project]:
    projects = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        projects += [p for p in read_filing(path).projects if p.horizon is Horizon.ANNUAL and p.indicators]
    return projects


def generate(n: int, per_file: int, folder: Path, rng: random.Random) -> list[Path]:
    seeds = seed_projects()
    paths = []
    for start in range(0, n, per_file):
        batch = []
        unit = f"衡阳市{rng.choice(UNITS)}{start // per_file}"
        for i in range(start, min(n, start + per_file)):
            base = rng.choice(seeds)
            batch.append(
                base.model_copy(
                    update={
                        "name": f"{base.name}（{i}）",
                        "unit_name": unit,
                        "unit_code": f"{900000 + start // per_file}",
                        "amount": round(rng.uniform(1, 5000), 2),
                        "year": rng.choice([2022, 2023, 2024, 2025]),
                    }
                )
            )
        paths.append(write_xlsx(batch, folder / f"filing_{start // per_file:04d}.xlsx"))
    return paths


def openpyxl_baseline(paths: list[Path]) -> int:
    cells = 0
    for path in paths:
        book = openpyxl.load_workbook(str(path), data_only=True, read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += sum(1 for v in row if v is not None)
        book.close()
    return cells


def calamine_read(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            cells += sum(1 for row in sheet.to_python() for v in row if v != "")
            cells += 0 * len(sheet.merged_cell_ranges or [])
    return cells


def ours(paths: list[Path]) -> tuple[int, int]:
    projects = indicators = 0
    for path in paths:
        filing = read_filing(path)
        projects += len(filing.projects)
        indicators += filing.indicator_count
    return projects, indicators


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def peak_memory(fn, *args) -> int:
    """Peak traced memory; run apart from timing because tracing slows Python several-fold."""
    tracemalloc.start()
    fn(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="write the generated files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        paths = generate(args.projects, args.per_file, folder, random.Random(7))
        size = sum(p.stat().st_size for p in paths) / 2**20
        print(
            f"generated {args.projects} projects in {len(paths)} .xlsx files "
            f"({size:.1f} MiB) in {time.perf_counter() - t0:.1f} s"
        )
        cells, base_s = timed(openpyxl_baseline, paths)
        (projects, indicators), our_s = timed(ours, paths)
        assert projects == args.projects, (projects, args.projects)
        sample = paths[:3]  # files are read one at a time, so a few show the peak
        base_peak, our_peak = peak_memory(openpyxl_baseline, sample), peak_memory(ours, sample)
        print()
        print(f"{'run':<28}{'seconds':>10}{'projects/s':>14}{'peak MiB':>10}")
        print(f"{'openpyxl read (baseline)':<28}{base_s:>10.2f}{projects / base_s:>14.0f}{base_peak / 2**20:>10.1f}")
        try:
            _, cal_s = timed(calamine_read, paths)
            cal_peak = peak_memory(calamine_read, sample)
            print(
                f"{'python-calamine read':<28}{cal_s:>10.2f}{projects / cal_s:>14.0f}{cal_peak / 2**20:>10.1f}"
                "  (Rust allocations are not traced)"
            )
        except ImportError:
            print("python-calamine not installed: skipped")
        print(f"{'assistant read_filing':<28}{our_s:>10.2f}{projects / our_s:>14.0f}{our_peak / 2**20:>10.1f}")
        print()
        print(f"ratio ours/baseline: {our_s / base_s:.2f}x time; {indicators} indicators, {cells} cells")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
