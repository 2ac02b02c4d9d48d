"""A real Streamlit server and headless Chromium, for the browser test and the app benchmark."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless, and no background calls: this machine's network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(script: Path, env: dict, cwd: Path, wait: float = 90) -> tuple[subprocess.Popen, str]:
    """`streamlit run script` on a free port; returns once /_stcore/health answers ok."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    process = subprocess.Popen(command, env=env, cwd=str(cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    if answers(url, wait):
        return process, url
    process.terminate()
    raise RuntimeError(f"streamlit did not start: {script}")


def answers(url: str, wait: float) -> bool:
    """Whether the server at `url` says ok on /_stcore/health within `wait` seconds."""
    deadline = time.perf_counter() + wait
    while time.perf_counter() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return True
        except OSError:
            time.sleep(0.1)
    return False
