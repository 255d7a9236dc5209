"""The prosecutor's day in Debian's Chromium: sign in, filter, open a clue, work it, see the dashboard move.

Screenshots go to ``test-artifacts/web/`` (gitignored) for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from docx import Document

from web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium (/usr/bin/chromium) is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def base_url(app) -> Iterator[str]:
    """The app served by uvicorn in a background thread on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 20 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def page(base_url) -> Iterator:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1360, "height": 900})
        blocked: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base_url)
                else (blocked.append(route.request.url), route.abort())
            ),
        )
        yield context.new_page()
        browser.close()
    assert blocked == [], f"the pages asked for outside resources: {blocked}"


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def funnel_cells(page) -> list[str]:
    return page.locator("#funnel tbody tr").first.locator("td").all_inner_texts()


def test_prosecutor_works_a_clue_and_the_dashboard_follows(page):
    page.goto("/")
    assert page.url.endswith("/login?next=/")
    page.fill("input[name=name]", "xiong_p")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#chart-funnel[data-ready='1']")
    assert funnel_cells(page)[1:5] == ["3", "0", "0", "0"]  # own office only
    shot(page, "1-dashboard-before")

    page.goto("/clues")
    assert page.locator("#clue-total").inner_text() == "3"
    page.select_option("select[name=severity]", "high")
    page.click("#filter-submit")
    rows = page.locator("#clue-table tbody tr")
    assert rows.count() == 1
    assert "severity=high" in page.url
    shot(page, "2-clues-filtered")

    rows.first.locator("a").click()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("#map path.leaflet-interactive").count() >= 5  # office polygons on a blank background
    assert page.locator("#routing-note").inner_text() == (
        "雄县人民检察院：位置（116.1000, 38.9900）位于雄县，属雄县人民检察院辖区"
    )
    assert "130632198001011234" in page.content()  # own office: unmasked
    shot(page, "3-clue")

    for action, status in (("triage", "已初核"), ("review", "审查中"), ("file_case", "已立案")):
        form = page.locator(f"form:has(button[data-action={action}])")
        form.locator("input[name=reason]").fill("经初查属实")
        form.locator("button").click()
        page.wait_for_selector(f"#clue-status:has-text('{status}')")
    assert page.locator("#history tbody tr").count() >= 3
    shot(page, "4-clue-case-filed")

    page.check("#suggestion-form input[name=urgent]")  # a 纠正违法 letter: the prosecutor sets the date
    page.fill("#suggestion-form input[name=reply_by]", "2025-06-10")
    page.click("#issue-suggestion")
    page.wait_for_selector("#clue-status:has-text('已制发检察建议')")
    assert (
        page.locator("p.notice").inner_text() == "已制发检察建议书 雄县检纠建〔2025〕1号，答复期限 2025-06-10"
    )
    with page.expect_download() as download:
        page.click("#suggestions .suggestion-file")
    assert download.value.suggested_filename == "雄县检纠建〔2025〕1号.docx"
    assert Document(download.value.path()).paragraphs[0].text == "雄县人民检察院"
    shot(page, "4b-suggestion-issued")

    page.goto("/")
    page.wait_for_selector("#chart-funnel[data-ready='1']")
    assert funnel_cells(page)[1:5] == ["3", "1", "1", "0"]
    shot(page, "5-dashboard-after")

    page.goto("/?lang=en")
    assert page.locator("h1").first.inner_text().startswith("Dashboard")
