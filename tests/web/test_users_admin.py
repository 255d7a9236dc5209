"""Administrators manage accounts on the web; nobody else may, and no hash ever leaves the server."""

from __future__ import annotations

from web.conftest import PASSWORD, csrf_of, sign_in


def test_admin_adds_a_user_who_can_then_sign_in(client_for):
    admin = client_for("root")
    token = csrf_of(admin, "/users")
    form = {
        "name": "zhou",
        "role": "prosecutor",
        "office": "容城县人民检察院",
        "password": PASSWORD,
        "csrf_token": token,
    }
    added = admin.post("/users", data=form)
    assert "已添加用户 zhou" in added.text
    listed = {a["name"]: a for a in admin.get("/api/users").json()}
    assert listed["zhou"] == {
        "name": "zhou",
        "display_name": "zhou",
        "role": "prosecutor",
        "office": "容城县人民检察院",
        "active": True,
    }
    assert "argon2" not in admin.get("/api/users").text and "argon2" not in admin.get("/users").text
    zhou = sign_in(client_for(), "zhou")
    assert zhou.get("/api/clues").json()["total"] == 3


def test_disabling_a_user_ends_their_access_at_once(client_for):
    prosecutor = client_for("xiong_p")
    assert prosecutor.get("/api/me").status_code == 200
    admin = client_for("root")
    headers = {"X-CSRF-Token": csrf_of(admin, "/users")}
    response = admin.post("/api/users/xiong_p/active", json={"active": False}, headers=headers)
    assert {a["name"]: a["active"] for a in response.json()}["xiong_p"] is False
    assert prosecutor.get("/api/me").status_code == 401


def test_admin_cannot_disable_themself(client_for):
    admin = client_for("root")
    headers = {"X-CSRF-Token": csrf_of(admin, "/users")}
    response = admin.post("/api/users/root/active", json={"active": False}, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "不能停用自己的账户。"


def test_only_administrators_manage_users(client_for):
    for name in ("boss", "xiong_p", "data"):
        client = client_for(name)
        assert client.get("/api/users").status_code == 403
        assert client.get("/users").status_code == 403
        headers = {"X-CSRF-Token": csrf_of(client, "/models")}
        body = {"name": "x1", "role": "administrator", "office": "雄县院", "password": PASSWORD}
        assert client.post("/api/users", json=body, headers=headers).status_code == 403
