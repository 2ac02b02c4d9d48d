"""Benchmark: hostile inputs against the input limits — a zip bomb, a 1,000,000-row sheet and a
200 MB upload — time and peak memory of each, beside a baseline that reads the same file without
limits (openpyxl's streaming reader going through every row; zipfile unpacking the bomb).

Each case runs in a fresh interpreter so its peak resident memory (VmHWM of /proc/self/status,
which unlike ru_maxrss starts afresh at exec) is its own.

    python bench/limits.py [--rows 1000000] [--bomb-mb 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.builders import raw_xlsx, sheet_xml, zip_bomb  # noqa: E402  (one generator for tests and bench)

CASE = """
import json, re, sys, time
sys.path.insert(0, {repo!r})
started = time.perf_counter()
outcome = ""
try:
{body}
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc)[:160]
seconds = time.perf_counter() - started
status = open("/proc/self/status").read()
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024
print(json.dumps({{"seconds": seconds, "peak_mib": peak, "outcome": outcome}}, ensure_ascii=False))
"""

OURS = """
    from assistant.ingest import read_filing
    read_filing({path!r})
    outcome = "read"
"""

OPENPYXL = """
    import openpyxl
    book = openpyxl.load_workbook({path!r}, read_only=True, data_only=True)
    rows = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
    outcome = f"read {{rows}} rows"
"""

UNZIP = """
    import zipfile
    with zipfile.ZipFile({path!r}) as z:
        total = sum(len(z.read(name)) for name in z.namelist())
    outcome = f"unpacked {{total / 1e6:.0f}} MB"
"""

BASELINE = """
    pass
"""


def run(body: str, path: Path | None = None) -> dict:
    code = CASE.format(repo=str(REPO), body=body.format(path=str(path) if path else ""))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mib": float("nan"), "outcome": done.stderr.strip()[-160:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bomb-mb", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        bomb = zip_bomb(folder / "bomb.xlsx", args.bomb_mb)
        rows = raw_xlsx(folder / "rows.xlsx", {"明细": sheet_xml(args.rows)})
        upload = folder / "upload.xlsx"
        with upload.open("wb") as out:
            out.truncate(200 * 1_000_000)  # a 200 MB file (sparse: its size is what is checked first)
        print(
            f"generated in {time.perf_counter() - t0:.1f} s: bomb {bomb.stat().st_size / 1e6:.2f} MB "
            f"({args.bomb_mb} MB unpacked), {args.rows:,}-row sheet {rows.stat().st_size / 1e6:.1f} MB, "
            f"upload {upload.stat().st_size / 1e6:.0f} MB"
        )
        cases = [
            ("empty interpreter (floor)", BASELINE, None),
            ("zip bomb: unzip all (baseline)", UNZIP, bomb),
            ("zip bomb: read_filing", OURS, bomb),
            (f"{args.rows:,} rows: openpyxl (baseline)", OPENPYXL, rows),
            (f"{args.rows:,} rows: read_filing", OURS, rows),
            ("200 MB upload: read_filing", OURS, upload),
        ]
        print()
        print(f"{'case':<38}{'seconds':>9}{'peak MiB':>10}  outcome")
        for label, body, path in cases:
            result = run(body, path)
            print(f"{label:<38}{result['seconds']:>9.2f}{result['peak_mib']:>10.0f}  {result['outcome']}")


if __name__ == "__main__":
    main()
