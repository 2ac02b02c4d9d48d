"""Benchmark: the workbench and the CLI from a cold start, each beside a bare baseline in the same run.

For one checkout (this one, or an older commit's worktree with --repo, for before/after figures),
on a copy of its corpus/ with an empty data folder (no index yet), as a new user meets it:

- `make run` to first answer: the checkout's own run recipe (the older one built the index first)
  until the server answers, and until the 起草 page's heading is drawn in headless Chromium;
  baseline: a bare Streamlit page (one st.title) started the same way;
- the first visit of every page in that server: heading drawn, and the page's script finished
  (a page may show the index build's progress: drawn, but not finished), then repeat visits;
- cold CLI commands once the index exists (`similar`, `draft`, `review`), each a new process;
  baseline: `python -c pass` and the CLI's `--help`.

    python bench/app.py [--repo PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS, answers, free_port  # noqa: E402  (shared with the browser test)

VENV = Path(sys.executable).parent.parent
PAGES = [
    ("", "起草"),
    ("review", "审核"),
    ("compare", "对比"),
    ("library", "指标库"),
    ("corpus", "语料"),
    ("settings", "设置"),
]
LIMIT_S = 300.0


def start(command: list[str], env: dict, cwd: Path, port: int) -> tuple[subprocess.Popen, float, str]:
    """Start a server command in its own process group; seconds until /_stcore/health answers."""
    began = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    if answers(url, LIMIT_S):
        return process, time.perf_counter() - began, url
    stop(process)
    raise RuntimeError(f"no answer in {LIMIT_S:g} s: {' '.join(command)}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def visit(browser, url: str) -> tuple[float, float] | None:
    """Seconds to the page's heading, and to its script finished; None if it never shows one."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        began = time.perf_counter()
        page.goto(url)
        page.locator("h1").first.wait_for(timeout=LIMIT_S * 1000)
        if page.get_by_text("Page not found").count():
            return None
        drawn = time.perf_counter() - began
        page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=LIMIT_S * 1000)
        return drawn, time.perf_counter() - began
    except Exception:  # noqa: BLE001 — a page that never answers is reported as missing
        return None
    finally:
        page.close()


def timed(command: list[str], env: dict, cwd: Path) -> float:
    """Seconds a command takes; exit 1 is a review that found errors, not a failure."""
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=str(cwd), capture_output=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - began


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(label: str, value: float | None, worst: float | None = None) -> None:
    """Print a measure as soon as it is taken (a long run that fails keeps what it measured)."""
    print(f"{label:<46}{fmt(value):>10}{fmt(worst) if worst is not None else '':>8}", flush=True)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to measure (default: this one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    repo = args.repo.resolve()
    bin_dir = VENV / "bin"
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        root = Path(tmp)
        shutil.copytree(repo / "corpus", root / "corpus")
        bare = root / "bare.py"
        bare.write_text('import streamlit as st\nst.title("基线页面")\n', encoding="utf-8")
        env = {
            k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL")
        }
        env.update(
            ASSISTANT_CORPUS_DIR=str(root / "corpus"), ASSISTANT_DATA_DIR=str(root / "data"), PYTHONPATH=str(repo)
        )
        streamlit_args = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        print(f"checkout: {repo}")
        print(f"{'measure':<46}{'median s':>10}{'max s':>8}", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            port = free_port()
            process, answered, url = start(
                [str(bin_dir / "streamlit"), "run", str(bare), "--server.port", str(port), *streamlit_args],
                env,
                root,
                port,
            )
            shown = visit(browser, url)
            stop(process)
            report("bare Streamlit: start → answers (baseline)", answered)
            report("bare Streamlit: first page drawn (baseline)", shown[0] if shown else None)

            port = free_port()
            make = ["make", "-C", str(repo), "-o", str(VENV / ".installed"), "run", f"VENV={VENV}", f"PORT={port}"]
            process, answered, url = start(make, env, repo, port)
            first = visit(browser, url)
            report("make run → answers", answered)
            report("make run → 起草 heading drawn", answered + first[0] if first else None)
            try:
                for path, title in PAGES:
                    once = visit(browser, f"{url}/{path}")
                    again = [visit(browser, f"{url}/{path}") for _ in range(args.repeat)]
                    drawn = [a[0] for a in again if a]
                    report(f"{title}: first visit, heading drawn", once[0] if once else None)
                    report(f"{title}: first visit, page finished", once[1] if once else None)
                    report(f"{title}: repeat visit, heading (median)", statistics.median(drawn) if drawn else None)
            finally:
                stop(process)
            browser.close()

        python = str(bin_dir / "python")
        cli = [python, "-m", "assistant"]
        subprocess.run([*cli, "index"], env=env, cwd=str(root), capture_output=True)  # exit 2: a file unread
        filing = sorted((root / "corpus").glob("*.txt"))[0]  # a seed: every checkout reads those
        commands = {
            "python -c pass (baseline)": [python, "-c", "pass"],
            "assistant --help": [*cli, "--help"],
            "assistant similar": [*cli, "similar", "乡镇污水处理厂运维"],
            "assistant draft": [
                *cli,
                "draft",
                "--name",
                "农村饮水安全巩固提升工程",
                "--year",
                "2026",
                "--goal",
                "新建集中供水工程3处",
            ],
            "assistant review (one filing)": [*cli, "review", str(filing)],
        }
        for label, command in commands.items():
            times = [timed(command, env, root) for _ in range(args.repeat)]
            report(f"cold CLI: {label}", statistics.median(times), max(times))


if __name__ == "__main__":
    main()
