"""Rate limits per client and per account (ASVS 2.2.1, 11.1.4): sign-ins, writes, documents and reads."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from jiancha.errors import JianchaError
from jiancha.web import create_app, limits
from jiancha.web.config import WebConfig
from jiancha.web.headers import CSP
from jiancha.web.limits import Limit, RateLimiter, RateLimits
from jiancha.workspace import Workspace
from web.conftest import PASSWORD, csrf_of, sign_in


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tight(store, tmp_path):
    """An app with small limits and a clock the test moves."""
    limits = RateLimits(sign_in=Limit(3, 60), write=Limit(2, 60), documents=Limit(1, 60), read=Limit(5, 60))
    app = create_app(
        WebConfig(store_url=store.url, secret_key="test-secret", rate_limits=limits), store=store
    )
    clock = Clock()
    app.state.limiter = RateLimiter(limits, clock=clock)
    return app, clock


def test_sign_ins_from_one_client_are_limited_across_accounts_and_recover(tight):
    """Password spraying (a few guesses on each of many accounts) never reaches the per-account lock."""
    app, clock = tight
    with TestClient(app) as client:
        for name in ("xiong_p", "rong_p", "boss"):
            assert client.post("/api/token", json={"name": name, "password": "guess-1"}).status_code == 401
        refused = client.post("/api/token", json={"name": "data", "password": PASSWORD})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "60"
        assert refused.json() == {
            "ok": False,
            "error": {
                "code": "rate_limited",
                "message": "请求过于频繁（登录每 60 秒至多 3 次）；请 60 秒后再试。",
            },
        }
        clock.now += 30
        page = client.get("/login")
        form = {
            "name": "data",
            "password": PASSWORD,
            "csrf_token": page.text.split('name="csrf_token" value="')[1].split('"')[0],
        }
        on_page = client.post("/login", data=form, follow_redirects=False)
        assert on_page.status_code == 429 and on_page.headers["retry-after"] == "30"
        assert "请求过于频繁" in on_page.text and on_page.headers["content-security-policy"] == CSP
        clock.now += 31
        assert client.post("/api/token", json={"name": "data", "password": PASSWORD}).status_code == 200


def test_writes_are_limited_per_account_not_for_everyone(tight):
    app, clock = tight
    with TestClient(app) as xiong, TestClient(app) as rong:
        clock.now += 60  # the sign-ins below are in a fresh window
        sign_in(xiong, "xiong_p")
        sign_in(rong, "rong_p")
        clock.now += 60
        headers = {"X-CSRF-Token": csrf_of(xiong, "/login")}
        clue_id = "no-such-clue"
        for _ in range(2):
            response = xiong.post(f"/api/clues/{clue_id}/assign", json={"assignee": None}, headers=headers)
            assert response.status_code == 404
        assert (
            xiong.post(f"/api/clues/{clue_id}/assign", json={"assignee": None}, headers=headers).status_code
            == 429
        )
        other = {"X-CSRF-Token": csrf_of(rong, "/login")}
        assert (
            rong.post(f"/api/clues/{clue_id}/assign", json={"assignee": None}, headers=other).status_code
            == 404
        )


def test_a_revoked_copy_of_a_session_cannot_use_up_the_current_ones_limits(tight):
    app, clock = tight
    with TestClient(app) as browser:
        sign_in(browser, "xiong_p")
        copied = dict(browser.cookies)
        browser.post("/logout", data={"csrf_token": csrf_of(browser, "/login")})
        sign_in(browser, "xiong_p")
        clock.now += 60
        stale = TestClient(app)

        def replay() -> int:
            stale.cookies.clear()  # the thief sends the copied cookie every time
            stale.cookies.update(copied)
            return stale.get("/api/me").status_code

        assert [replay() for _ in range(6)] == [401] * 5 + [429]
        assert browser.get("/api/me").status_code == 200


def test_documents_and_reads_have_their_own_buckets(tight):
    app, clock = tight
    with TestClient(app) as client:
        sign_in(client, "xiong_p")
        clock.now += 60
        draft = "/api/clues/no-such-clue/suggestion/draft"
        assert client.get(draft).status_code == 404
        assert client.get(draft).status_code == 429
        for _ in range(5):
            assert client.get("/api/me").status_code == 200  # reads are counted apart
        assert client.get("/api/me").status_code == 429
        assert (
            client.get("/static/app.js").status_code == 200
        )  # static files are not routed through the limits


def test_the_limiter_forgets_idle_keys_once_it_holds_many():
    clock = Clock()
    limiter = RateLimiter(replace(RateLimits(), read=Limit(1, 10)), clock=clock)
    for i in range(limits.MAX_KEYS):
        assert limiter.wait_needed("read", f"client:{i}") == 0
    clock.now += 600
    assert limiter.wait_needed("read", "client:new") == 0
    assert len(limiter._seen) == 1
    assert limiter.wait_needed("read", "client:new") == 10


def test_serve_takes_its_limits_from_the_environment_and_refuses_a_bad_one(monkeypatch, tmp_path):
    monkeypatch.setenv(limits.LIMITS_ENV, "read=1200/60, sign_in=5/30")
    config = WebConfig.for_workspace(Workspace(tmp_path))
    assert config.rate_limits == RateLimits(read=Limit(1200, 60), sign_in=Limit(5, 30))
    monkeypatch.setenv(limits.LIMITS_ENV, "reads=1200")
    with pytest.raises(JianchaError) as refused:
        WebConfig.for_workspace(Workspace(tmp_path))
    assert str(refused.value) == (
        "JIANCHA_RATE_LIMITS 中的“reads=1200”无效：应为 类别=次数/秒数，"
        "类别为 sign_in、write、documents、read，如 read=1200/60。"
    )


def test_a_body_over_the_limit_is_refused_while_it_is_read(client_for):
    """ASVS 12.1.1: declared or sent in chunks, a body over ``MAX_BODY`` is a 413 with a sentence."""
    client = client_for()
    token = client.post("/api/token", json={"name": "xiong_p", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    big = b'{"reason": "' + b"x" * limits.MAX_BODY + b'"}'
    declared = client.post("/api/clues/abc/actions/triage", content=big, headers=auth)
    chunked = client.post(
        "/api/clues/abc/actions/triage", content=iter([big[:1000], big[1000:]]), headers=auth
    )
    for response in (declared, chunked):
        assert response.status_code == 413
        assert response.json()["error"] == {
            "code": "too_large",
            "message": "请求内容过大：至多 1024 KiB；本系统不接收文件上传，数据请用 jiancha ingest 导入。",
        }
        assert response.headers["content-security-policy"] == CSP
    form = client.post("/login", data={"name": "x", "password": "y" * limits.MAX_BODY, "csrf_token": "t"})
    assert form.status_code == 413 and "请求内容过大" in form.text
    small = client.post(
        "/api/clues/abc/actions/triage",
        json={"reason": "核实"},
        headers={"Authorization": auth["Authorization"]},
    )
    assert small.status_code == 404
