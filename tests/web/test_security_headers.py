"""Security headers: a CSP without 'unsafe-inline' on every page, framing refused, HSTS only behind TLS."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from jiancha.web import create_app
from jiancha.web.config import WebConfig
from jiancha.web.headers import CSP
from web.conftest import PASSWORD
from web.test_browser import (
    ARGS,
    CHROMIUM,
    base_url,  # noqa: F401 - the fixture serving the app on a loopback port
)


def test_pages_api_and_errors_carry_the_headers_and_no_hsts_on_plain_http(client_for):
    client = client_for("xiong_p")
    for path in ("/", "/clues", "/api/clues", "/no-such-page", "/login"):
        response = client.get(path)
        headers = response.headers
        assert headers["content-security-policy"] == CSP, path
        assert "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
        assert (headers["x-frame-options"], headers["x-content-type-options"]) == ("DENY", "nosniff")
        assert headers["cache-control"] == "no-store" and "strict-transport-security" not in headers


def test_a_server_error_carries_the_headers_and_no_traceback(app, caplog):
    """The 500 of an unexpected exception passes the security-header middleware like any response."""

    def boom() -> None:
        raise RuntimeError("secret detail 130632198001011234")

    app.add_api_route("/api/boom", boom)
    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        api, page = client.get("/api/boom"), client.get("/boom?lang=en")
    assert api.status_code == page.status_code == 500
    assert api.json()["error"] == {
        "code": "internal_error",
        "message": "服务器内部错误，已记录日志；请联系管理员。",
    }
    assert (
        "Internal server error; it has been logged." in page.text
    )  # the error page, in the language asked for
    for response in (api, page):
        assert response.headers["content-security-policy"] == CSP
        assert (
            response.headers["x-content-type-options"] == "nosniff"
            and response.headers["cache-control"] == "no-store"
        )
        assert "secret detail" not in response.text and "Traceback" not in response.text
    assert "RuntimeError: secret detail" in caplog.text


def test_a_download_is_an_attachment_named_safely_and_never_sniffed_or_cached(client_for):
    """ASVS 12.5.2: a .docx is an attachment, its Chinese name RFC 5987-encoded, nosniff and no-store."""
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    draft = client.get(f"/api/clues/{clue_id}/suggestion/draft")
    assert draft.status_code == 200, draft.text
    name = quote(f"{clue_id}-检察建议书草稿.docx")
    assert draft.headers["content-disposition"] == f"attachment; filename*=utf-8''{name}"
    assert draft.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        draft.headers["x-content-type-options"] == "nosniff" and draft.headers["cache-control"] == "no-store"
    )


def test_static_files_stay_cacheable(client_for):
    response = client_for().get("/static/app.js")
    assert response.status_code == 200 and "cache-control" not in response.headers
    assert response.headers["content-security-policy"] == CSP


def test_hsts_is_sent_over_tls_and_when_configured_https_only(store, tmp_path):
    over_tls = TestClient(create_app(WebConfig(store.url, "k"), store=store), base_url="https://testserver")
    assert (
        over_tls.get("/login").headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    )
    configured = TestClient(create_app(WebConfig(store.url, "k", https_only=True), store=store))
    assert "strict-transport-security" in configured.get("/login").headers


def test_the_api_docs_page_allows_only_its_own_inline_script_by_hash(client_for):
    response = client_for().get("/api/docs")
    policy = response.headers["content-security-policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert scripts and "unsafe-inline" not in policy
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_templates_hold_no_inline_script_style_or_handler():
    """What a CSP without 'unsafe-inline' would block: executable inline scripts, styles, handlers."""
    from importlib import resources

    templates = resources.files("jiancha.web").joinpath("templates")
    found = []
    for page in templates.iterdir():
        text = page.read_text("utf-8")
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text)
        found += [f"{page.name}: {m}" for m in scripts + re.findall(r"<style|\sstyle=|\son[a-z]+=", text)]
    assert found == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium (/usr/bin/chromium) is not installed")
def test_chromium_reports_no_csp_violation_on_the_pages(base_url):  # noqa: F811
    """The dashboard's charts and the clue page's map run under the policy (Chromium's own check)."""
    from playwright.sync_api import sync_playwright

    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(base_url=base_url)
        page.on(
            "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
        )
        page.goto("/login")
        page.fill("input[name=name]", "xiong_p")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        page.wait_for_selector("[id^=chart-] svg")
        page.hover("[id^=chart-] svg path >> nth=-1", force=True)  # a tooltip, which ECharts styles inline
        page.goto("/clues")
        page.click("table a[href^='/clues/']")
        page.wait_for_selector(".leaflet-container")
        charts_drawn = page.goto("/").ok and page.locator("[id^=chart-] svg").count() > 0
        browser.close()
    assert charts_drawn and violations == []
