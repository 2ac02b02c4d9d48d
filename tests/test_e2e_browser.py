"""End to end in a real headless Chromium (Debian's) against `streamlit run app.py` on
127.0.0.1, the three jobs as a clerk does them: draft a project (edit a row, accept, download the
.xlsx), review a folder of filings (three published ones and the downloaded draft), compare.
Screenshots of every page go to test-artifacts/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from assistant.export.xlsx import write_xlsx
from assistant.ingest import read_filing

from .conftest import REPO
from .streamlit_server import CHROMIUM, CHROMIUM_ARGS, serve

ARTIFACTS = REPO / "test-artifacts" / "screenshots"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make test installs it)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_paths):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # the screenshots of this run only
    root = tmp_path_factory.mktemp("e2e")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in seed_paths.values():
        shutil.copy(path, corpus)
    env = {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_DATA_DIR": str(root / "data"),
        "ASSISTANT_EMBEDDING": "hashing",
    }
    for key in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ASSISTANT_LLM_MODEL", "ASSISTANT_DB_URL"):
        env.pop(key, None)
    process, url = serve(REPO / "app.py", env, REPO)
    try:
        yield url, root
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def shot(page, name: str) -> None:
    """A full-page screenshot once the page's script has finished (no skeletons)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(timeout=60_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


PUBLISHED = (  # real filings of three provinces and kinds
    "hebei-langfang-2019-shipin-xuexiao-nuantong.json",
    "hubei-ezhou-2021-shiminzhongxin-yunwei.json",
    "shanxi-jishan-2021-zhaidian-jibengongwei.json",
)


def edit_first_name(page, text: str) -> None:
    """Type over the first row's 三级指标 in the draft grid (a canvas: cells by position)."""
    from assistant.ui.draft_page import GRID_ROW_HEIGHT, WIDTHS

    box = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    columns = list(WIDTHS)
    left = sum(WIDTHS[c] for c in columns[: columns.index("三级指标")]) + WIDTHS["三级指标"] / 2
    page.mouse.dblclick(box["x"] + left, box["y"] + 36 + GRID_ROW_HEIGHT / 2)
    page.wait_for_timeout(300)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_draft_review_folder_compare(server, browser, tmp_path):
    url, _ = server
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.get_by_text("起草绩效指标").wait_for(timeout=60_000)
    shot(page, "1-起草-简介")
    page.get_by_label("审核人/填报人姓名").fill("张会计")
    page.get_by_label("审核人/填报人姓名").press("Enter")
    page.get_by_label("项目名称").fill("信访维稳专项经费")
    page.get_by_label("预算单位").fill("衡阳市城市管理局")
    page.get_by_label("资金总额（万元）").fill("12")
    page.get_by_label("预算年度").fill("2025")
    page.get_by_label("实施期绩效目标").fill("做好重大会议期间信访维稳值班和劝返接待工作")
    page.get_by_role("button", name="起草").click()
    page.get_by_text("草稿 #1：信访维稳专项经费").wait_for(timeout=60_000)
    assert "draft=1" in page.url
    shot(page, "2-起草-草稿表")
    edit_first_name(page, "信访接待批次")
    page.get_by_text("已修改").first.wait_for(state="attached", timeout=30_000)  # the grid's accessible table
    grids = page.locator("[data-testid=stDataFrame]")
    assert sum(grids.nth(i).is_visible() for i in range(grids.count())) == 1  # one grid after the edit
    page.get_by_text("与可复制的表格文本").click()
    page.get_by_text("二级指标\t三级指标", exact=False).first.wait_for(timeout=10_000)
    shot(page, "2b-起草-修改一行后")
    page.get_by_role("button", name="采纳全部无错误行").click()
    download_button = page.get_by_role("button", name="下载 .xlsx（标准格式）")
    download_button.wait_for(timeout=30_000)
    shot(page, "3-起草-已采纳")
    with page.expect_download() as info:
        download_button.click()
    saved = tmp_path / "草稿.xlsx"
    info.value.save_as(saved)

    reimported = read_filing(saved).projects
    assert len(reimported) == 1 and reimported[0].name == "信访维稳专项经费"
    assert reimported[0].amount == 12 and reimported[0].year == 2025 and len(reimported[0].indicators) >= 6

    page.reload()  # the decisions survive a reload: they are in the database
    page.get_by_role("button", name="下载 .xlsx（标准格式）").wait_for(timeout=60_000)

    other = context.new_page()  # a new tab of the same browser keeps the name (its cookie)
    other.goto(url)
    other.get_by_text("起草绩效指标").wait_for(timeout=60_000)
    other.wait_for_timeout(500)
    assert other.get_by_label("审核人/填报人姓名").input_value() == "张会计"
    other.close()

    folder = tmp_path / "待审核"
    folder.mkdir()
    shutil.copy(saved, folder)
    for name in PUBLISHED:
        filing = read_filing(REPO / "corpus" / "filings" / name)  # as a bureau receives it: an .xlsx
        write_xlsx(filing.projects, folder / f"{Path(name).stem}.xlsx")
    page.goto(f"{url}/review")
    page.get_by_text("审核填报文件").wait_for(timeout=60_000)
    page.locator("input[type=file]").set_input_files(sorted(str(p) for p in folder.iterdir()))
    page.get_by_text("共审核 4 个项目").wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"退回 \d+ 个，修改后通过 \d+ 个，通过 \d+ 个")).wait_for()  # graded
    assert page.get_by_text(re.compile(r"^【(退回|修改后通过)】.*经审核")).count() >= 1  # a letter
    shot(page, "4-审核-一个文件夹")

    page.goto(f"{url}/compare")
    page.get_by_text("对比相似项目").wait_for(timeout=60_000)
    page.get_by_text("输入项目简介").click()
    page.get_by_label("项目名称和绩效目标").fill("信访维稳专项经费 值班劝返")
    page.get_by_label("项目名称和绩效目标").press("Enter")
    page.get_by_text("二级指标覆盖").wait_for(timeout=60_000)
    shot(page, "5-对比")

    for path, title, name in (
        ("library", "指标库", "6-指标库"),
        ("corpus", "语料库", "7-语料"),
        ("settings", "设置", "8-设置"),
    ):
        page.goto(f"{url}/{path}")
        page.get_by_role("heading", name=title).wait_for(timeout=60_000)
        shot(page, name)
    assert not page.get_by_text("Traceback").count()
    context.close()
