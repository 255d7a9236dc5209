"""Sessions end on the server (ASVS 3.3.1, 3.3.3): a copied cookie or token stops working after sign-out,
a new password or a disabled account, and re-enabling the account does not bring it back."""

from __future__ import annotations

import base64
import json

from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from jiancha.web.passwords import hash_password
from jiancha.web.users import authenticate
from web.conftest import PASSWORD, csrf_of, sign_in

NEW_PASSWORD = "amber-tractor-91"


def token_of(client: TestClient, name: str, password: str = PASSWORD) -> dict[str, str]:
    issued = client.post("/api/token", json={"name": name, "password": password})
    assert issued.status_code == 200, issued.text
    return {"Authorization": f"Bearer {issued.json()['token']}"}


def copy_of(app, client: TestClient) -> TestClient:
    """A second browser holding a copy of ``client``'s session cookie (what a thief would have)."""
    thief = TestClient(app)
    thief.cookies.update(client.cookies)
    return thief


def test_signing_out_ends_a_copied_cookie_and_the_users_tokens(app, client_for):
    browser = client_for("boss")
    stolen = copy_of(app, browser)
    token = token_of(client_for(), "boss")
    assert stolen.get("/api/me").status_code == 200
    browser.post("/logout", data={"csrf_token": csrf_of(browser)})
    assert stolen.get("/api/me").status_code == 401
    assert stolen.get("/clues", follow_redirects=False).headers["location"].startswith("/login")
    assert client_for().get("/api/me", headers=token).status_code == 401
    assert sign_in(client_for(), "boss").get("/api/me").status_code == 200  # signing in again works


def test_a_stale_cookie_cannot_sign_the_user_out_elsewhere(app, client_for):
    first = client_for("boss")
    token = csrf_of(first)
    stale = copy_of(app, first)
    first.post("/logout", data={"csrf_token": token})
    current = client_for("boss")
    assert stale.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert current.get("/api/me").status_code == 200


def test_disabling_ends_sessions_for_good_even_after_re_enabling(app, client_for):
    prosecutor = client_for("xiong_p")
    token = token_of(client_for(), "xiong_p")
    admin = client_for("root")
    headers = {"X-CSRF-Token": csrf_of(admin, "/users")}
    admin.post("/api/users/xiong_p/active", json={"active": False}, headers=headers)
    admin.post("/api/users/xiong_p/active", json={"active": True}, headers=headers)
    assert prosecutor.get("/api/me").status_code == 401
    assert client_for().get("/api/me", headers=token).status_code == 401
    assert sign_in(client_for(), "xiong_p").get("/api/me").status_code == 200


def test_changing_ones_password_keeps_this_browser_and_ends_every_other_session(app, client_for, store):
    browser = client_for("xiong_p")
    elsewhere = client_for("xiong_p")
    token = token_of(client_for(), "xiong_p")
    headers = {"X-CSRF-Token": csrf_of(browser)}
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = browser.post("/api/me/password", json=body, headers=headers)
    assert changed.status_code == 200, changed.text
    assert browser.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401
    assert client_for().get("/api/me", headers=token).status_code == 401
    renewed = {"Authorization": f"Bearer {changed.json()['token']}"}
    assert client_for().get("/api/me", headers=renewed).status_code == 200
    assert authenticate(store, "xiong_p", NEW_PASSWORD) is not None
    assert authenticate(store, "xiong_p", PASSWORD) is None


def test_changing_a_password_needs_the_current_one_and_meets_the_rules(client_for, store):
    client = client_for()
    headers = token_of(client, "rong_p")
    wrong = client.post(
        "/api/me/password",
        json={"current_password": "not-mine", "new_password": NEW_PASSWORD},
        headers=headers,
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["message"] == "用户 rong_p 的当前密码不正确，密码未修改。"
    assert store.get_user("rong_p").failed_sign_ins == 1  # it counts towards the lock like a sign-in
    weak = client.post(
        "/api/me/password",
        json={"current_password": PASSWORD, "new_password": "password1234"},
        headers=headers,
    )
    assert weak.status_code == 400
    assert (
        weak.json()["error"]["message"]
        == "用户 rong_p 的密码出现在公开泄露的常用密码表中，攻击者会最先尝试；请换一个。"
    )
    assert client.get("/api/me", headers=headers).status_code == 200  # a refused change ends nothing


def test_an_account_made_under_the_old_minimum_still_signs_in(client_for, store):
    """The 12-character rule applies when a password is set or changed, never at sign-in."""
    store.add_user("old_p", hash_password("eight-ch"), "prosecutor", office="雄县院")
    assert authenticate(store, "old_p", "eight-ch") is not None
    assert token_of(client_for(), "old_p", "eight-ch")


def test_a_session_from_before_generations_counts_as_the_first(app, store):
    """A cookie issued before revision 0013 carries no generation: it stays valid until the first sign-out."""
    signer = TimestampSigner("test-secret")
    payload = base64.b64encode(json.dumps({"user": "boss"}).encode())
    with TestClient(app) as client:
        client.cookies.set("jiancha_session", signer.sign(payload).decode())
        assert client.get("/api/me").json()["name"] == "boss"
        store.end_sessions("boss")
        assert client.get("/api/me").status_code == 401


def test_the_account_page_changes_the_password_and_keeps_this_browser_signed_in(client_for):
    browser = client_for("boss")
    elsewhere = client_for("boss")
    page = browser.get("/account")
    assert 'id="change-password"' in page.text and 'href="/account"' in page.text
    token = csrf_of(browser, "/account")
    form = {"csrf_token": token, "current_password": PASSWORD}
    differ = browser.post(
        "/account/password", data={**form, "new_password": NEW_PASSWORD, "new_password_again": "x"}
    )
    assert differ.status_code == 400 and "两次输入的新密码不一致。" in differ.text
    short = browser.post(
        "/account/password", data={**form, "new_password": "short", "new_password_again": "short"}
    )
    assert short.status_code == 400 and "用户 boss 的密码太短" in short.text
    done = browser.post(
        "/account/password", data={**form, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert done.status_code == 200 and "密码已修改；其他浏览器上的登录和接口令牌已失效。" in done.text
    assert browser.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401
