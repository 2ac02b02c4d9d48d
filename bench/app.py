"""Benchmark: the workbench in a real headless Chromium. Time to first render of the 起草 page,
and time from clicking 起草 to the draft table shown (offline), each beside a baseline in the
same run: a bare Streamlit page (one st.title) served the same way.

    python bench/app.py [--loads 5] [--drafts 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402  (shared with the browser test)


def first_render(browser, url: str, text: str, loads: int) -> list[float]:
    times = []
    for _ in range(loads):
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.get_by_text(text).first.wait_for(timeout=120_000)
        times.append(time.perf_counter() - start)
        page.close()
    return times


def draft_shown(browser, url: str, drafts: int) -> list[float]:
    times = []
    for n in range(drafts):
        page = browser.new_page()
        page.goto(url)
        page.get_by_label("项目名称").wait_for(timeout=120_000)
        page.get_by_label("项目名称").fill(f"信访维稳专项经费{n}")
        page.get_by_label("资金总额（万元）").fill("12")
        page.get_by_label("实施期绩效目标").fill("做好重大会议期间信访维稳值班和劝返接待工作")
        start = time.perf_counter()
        page.get_by_role("button", name="起草").click()
        try:
            page.get_by_text("采纳全部无错误行").wait_for(timeout=120_000)
        except Exception:
            page.screenshot(path="/tmp/bench_app_fail.png", full_page=True)
            raise
        times.append(time.perf_counter() - start)
        page.close()
    return times


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--drafts", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "corpus", root / "corpus")
        bare = root / "bare.py"
        bare.write_text('import streamlit as st\nst.title("基线页面")\n', encoding="utf-8")
        env = {
            k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL")
        }
        env.update(ASSISTANT_CORPUS_DIR=str(root / "corpus"), ASSISTANT_DATA_DIR=str(root / "data"))
        subprocess.run(
            [sys.executable, "-m", "assistant", "index"], env=env, check=True, capture_output=True
        )  # as make run
        servers = [serve(bare, env, root), serve(REPO / "app.py", env, REPO)]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                baseline = first_render(browser, servers[0][1], "基线页面", args.loads)
                ours = first_render(browser, servers[1][1], "起草绩效指标", args.loads)
                drafts = draft_shown(browser, servers[1][1], args.drafts)
                browser.close()
        finally:
            for process, _ in servers:
                process.terminate()
    med = statistics.median
    print(f"{'measure':<34}{'median s':>10}{'max s':>8}")
    print(f"{'bare Streamlit page (baseline)':<34}{med(baseline):>10.2f}{max(baseline):>8.2f}")
    print(f"{'起草 page, first render':<34}{med(ours):>10.2f}{max(ours):>8.2f}")
    print(f"{'起草 clicked → draft shown':<34}{med(drafts):>10.2f}{max(drafts):>8.2f}")
    print(
        "each load, in order:",
        " ".join(f"{t:.2f}" for t in ours),
        "| each draft:",
        " ".join(f"{t:.2f}" for t in drafts),
    )
    print(f"ratio first render / baseline: {med(ours) / med(baseline):.2f}x (first load includes the cold start)")


if __name__ == "__main__":
    main()
