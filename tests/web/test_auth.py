"""Sign-in, session cookie, CSRF, bearer tokens, error shape and the language switch."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web.conftest import PASSWORD, csrf_of, sign_in


def test_login_page_is_chinese_by_default_and_english_on_request(client_for):
    client = client_for()
    assert "<h1>登录</h1>" in client.get("/login").text
    english = client.get("/login?lang=en")
    assert "<h1>Sign in</h1>" in english.text
    assert "jiancha_lang=en" in english.headers["set-cookie"]
    assert "<h1>Sign in</h1>" in client.get("/login").text  # remembered by the cookie


def test_wrong_password_is_refused_with_a_sentence(client_for):
    client = client_for()
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"name": "xiong_p", "password": "nope", "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码不正确。" in response.text


def test_session_cookie_is_httponly_and_samesite_lax(client_for):
    client = client_for()
    token = csrf_of(client, "/login")
    response = client.post(
        "/login", data={"name": "boss", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("jiancha_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_https_only_marks_the_cookie_secure(store):
    from jiancha.web import create_app
    from jiancha.web.config import WebConfig

    app = create_app(WebConfig(store_url=store.url, secret_key="k", https_only=True), store=store)
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/login")
    assert "secure" in response.headers["set-cookie"].lower()


def test_post_without_csrf_token_is_refused(client_for):
    client = client_for("xiong_p")
    clue_id = client.get("/api/clues").json()["items"][0]["id"]
    response = client.post(f"/clues/{clue_id}/actions/triage", data={"reason": "核实"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    api = client.post(f"/api/clues/{clue_id}/actions/triage", json={"reason": "核实"})
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "forbidden"
    assert client.get(f"/api/clues/{clue_id}").json()["clue"]["status"] == "new"


def test_login_itself_needs_the_csrf_token(client_for):
    client = client_for()
    response = client.post("/login", data={"name": "boss", "password": PASSWORD})
    assert response.status_code == 403


def test_api_without_session_or_token_gets_401_in_the_error_shape(client_for):
    response = client_for().get("/api/clues")
    assert response.status_code == 401
    body = response.json()
    assert body["ok"] is False and body["error"]["code"] == "not_authenticated"
    assert body["error"]["message"].startswith("未登录或登录已过期")


def test_pages_without_session_redirect_to_login(client_for):
    response = client_for().get("/clues?status=new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/clues%3Fstatus%3Dnew"


def test_bearer_token_works_without_csrf_and_a_forged_one_does_not(client_for):
    client = client_for()
    issued = client.post("/api/token", json={"name": "xiong_p", "password": PASSWORD})
    assert issued.status_code == 200
    headers = {"Authorization": f"Bearer {issued.json()['token']}"}
    clues = client.get("/api/clues", headers=headers).json()
    assert clues["total"] == 3
    clue_id = clues["items"][0]["id"]
    done = client.post(f"/api/clues/{clue_id}/actions/triage", json={"reason": "初核"}, headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "triaged"
    forged = client.get(
        "/api/clues", headers={"Authorization": "Bearer " + issued.json()["token"][:-2] + "xx"}
    )
    assert forged.status_code == 401


def test_token_for_a_wrong_password_is_refused(client_for):
    response = client_for().post("/api/token", json={"name": "xiong_p", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "error": {"code": "not_authenticated", "message": "用户名或密码不正确。"},
    }


def test_logout_ends_the_session(client_for):
    client = client_for("boss")
    token = csrf_of(client)
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/api/me").status_code == 401


def test_login_rotates_the_session(client_for):
    client = client_for()
    before = csrf_of(client, "/login")
    sign_in(client, "boss")
    assert csrf_of(client) != before


def test_unknown_api_path_uses_the_error_shape(client_for):
    response = client_for("boss").get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_login_never_redirects_off_site(client_for):
    client = client_for()
    token = csrf_of(client, "/login")
    form = {"name": "boss", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_vendored_assets_are_served_with_their_licences(client_for):
    client = client_for()
    for path in (
        "/static/vendor/echarts/echarts.min.js",
        "/static/vendor/echarts/LICENSE",
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet/LICENSE",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/static/vendor/echarts/echarts.min.js").text.count("Apache") >= 1
