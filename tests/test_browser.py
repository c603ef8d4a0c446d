"""The web application in a real browser: Debian's chromium driven by Playwright.

Screenshots of each step are written to ``test-output/screenshots/`` (look at them).  Skipped, with
the reason, when chromium or Playwright is missing (``make setup`` installs both).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, SHARED

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "screenshots"
PUTUO_PDF = SHARED / "samples" / "2024-shanghai-putuo-czj.pdf"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="chromium is not installed (Debian package chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from juesuan.web import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("web")))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True,
                                  locale="zh-CN")
    p = context.new_page()
    yield p
    context.close()


def _published_pdf(tmp_path: Path) -> Path:
    """The real 普陀 PDF when ../shared is there, else the one juesuan builds from the fixture."""
    if PUTUO_PDF.exists():
        return PUTUO_PDF
    from juesuan.build import build
    from juesuan.readers import read

    result = build(read(EXAMPLES / "putuo-2024.yaml"), tmp_path, ("pdf",))
    return result.files[0]


def test_upload_a_pdf_and_open_a_highlighted_cell(server, page, tmp_path):
    pdf = _published_pdf(tmp_path)
    page.goto(server + "/")
    page.screenshot(path=str(SHOTS / "01-home.png"))
    page.set_input_files("#file", str(pdf))
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/*", timeout=60_000)
    assert page.locator("h1").inner_text().startswith("上海市普陀区财政局")
    assert page.locator(".count.err b").inner_text().isdigit()
    page.screenshot(path=str(SHOTS / "02-report.png"), full_page=True)
    # filters: hide 提示, the 提示 findings disappear
    shown = page.locator('.finding[data-severity="提示"]:visible').count()
    page.uncheck('.sev-filter[value="提示"]')
    assert shown > 0 and page.locator('.finding[data-severity="提示"]:visible').count() == 0
    page.check('.sev-filter[value="提示"]')
    page.locator("text=在表中查看").first.click()
    page.wait_for_selector("td.hl")
    assert page.locator("td.hl").first.is_visible()
    page.screenshot(path=str(SHOTS / "03-highlighted-cell.png"))
    page.go_back()
    if pdf == PUTUO_PDF:
        page.locator("text=查看第 21 页原文").first.click()
        page.wait_for_selector(".page img")
        page.wait_for_function("document.querySelector('.page img').complete")
        assert page.locator(".page .box").count() >= 1
        page.screenshot(path=str(SHOTS / "04-page-region.png"), full_page=True)


def test_build_from_a_filled_workbook_and_download_the_pdf(server, page, tmp_path):
    from juesuan.readers import read
    from juesuan.tables import load_profile
    from juesuan.writers.workbook import write_workbook

    d = read(EXAMPLES / "putuo-2024.yaml")
    workbook = write_workbook(load_profile(d.profile), tmp_path / "普陀区财政局-底稿.xlsx", d)
    page.goto(server + "/build")
    with page.expect_download() as dl:
        page.click("text=上海 2024")
    assert dl.value.suggested_filename.endswith(".xlsx")
    page.set_input_files("#file", str(workbook))
    page.click("button[type=submit]")
    page.wait_for_url("**/documents/*", timeout=120_000)
    page.wait_for_selector("text=已生成的公开文件")
    page.screenshot(path=str(SHOTS / "05-built.png"), full_page=True)
    with page.expect_download() as dl:
        page.locator(".built a", has_text=".pdf").click()
    target = tmp_path / "downloaded.pdf"
    dl.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 50_000


def test_batch_of_three_files_finishes(server, page, tmp_path):
    broken = tmp_path / "损坏.pdf"
    broken.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    page.goto(server + "/batch")
    page.set_input_files("#files", [str(EXAMPLES / "putuo-2024.yaml"), str(EXAMPLES / "wuhan-2022.yaml"),
                                    str(broken)])
    page.click("button[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.screenshot(path=str(SHOTS / "06-batch-running.png"))
    page.wait_for_selector("text=已完成", timeout=60_000)
    rows = page.locator("#job-table tbody tr")
    assert rows.count() == 3
    assert page.locator("#job-table td.failed").count() == 1
    page.screenshot(path=str(SHOTS / "07-batch-done.png"), full_page=True)
    # the job survives a reload
    page.reload()
    assert page.locator("#job-table tbody tr").count() == 3


def test_phone_layout(server, browser):
    import httpx

    path = EXAMPLES / "wuhan-2022.yaml"
    doc = httpx.post(server + "/api/documents", files={"file": (path.name, path.read_bytes())},
                     timeout=60).json()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    p = context.new_page()
    for url, shot in (("/library", "08-phone-library.png"), (doc["report_url"], "09-phone-report.png")):
        p.goto(server + url)
        p.screenshot(path=str(SHOTS / shot), full_page=True)
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{url}: no horizontal scrolling of the whole page on a phone"
    context.close()
