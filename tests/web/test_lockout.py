"""Sign-in lockout: wrong passwords in a row lock an account for a while, on the form and the API alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clues.conftest import Clock
from jiancha.cli import app as cli
from jiancha.clues import ClueStore
from jiancha.clues.store import LOCK_MINUTES, MAX_FAILURES
from jiancha.web import create_app
from jiancha.web.config import WebConfig
from web.conftest import PASSWORD, csrf_of, seed

WRONG = "用户名或密码不正确。"
LOCKED = "账户 xiong_p 因连续 5 次密码错误已被锁定，请于 2025-06-01 09:15 后再试，或请管理员解锁。"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 6, 1, 9, 0))


@pytest.fixture
def store(tmp_path, clock) -> Iterator[ClueStore]:
    """The web fixtures' seeded store, on a clock the test can move."""
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}", clock=clock) as s:
        seed(s)
        yield s


def log_in(client: TestClient, password: str, name: str = "xiong_p"):
    form = {"name": name, "password": password, "csrf_token": csrf_of(client, "/login")}
    return client.post("/login", data=form, follow_redirects=False)


def fail(client: TestClient, times: int, name: str = "xiong_p") -> None:
    for _ in range(times):
        response = log_in(client, "wrong-password", name)
        assert (response.status_code, WRONG in response.text) == (401, True)


def audit_actions(store: ClueStore) -> list[str]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql("SELECT action FROM audit_log ORDER BY seq")]


def test_five_wrong_passwords_lock_the_account_and_refuse_the_right_one(client_for, store):
    client = client_for()
    fail(client, MAX_FAILURES - 1)
    fifth = log_in(client, "wrong-password")
    assert fifth.status_code == 401 and LOCKED in fifth.text
    right = log_in(client, PASSWORD)
    assert right.status_code == 401 and LOCKED in right.text
    assert client.get("/api/me").status_code == 401  # no session came of it
    assert log_in(client_for(), PASSWORD, "rong_p").status_code == 303  # other accounts are untouched
    assert audit_actions(store).count("user.locked") == 1
    assert store.verify_audit().ok


def test_the_right_password_works_once_the_lock_runs_out_and_the_count_is_reset(client_for, store, clock):
    client = client_for()
    fail(client, MAX_FAILURES - 1)
    log_in(client, "wrong-password")
    clock.advance(minutes=LOCK_MINUTES - 1)
    assert LOCKED in log_in(client, PASSWORD).text
    clock.advance(minutes=1)
    assert log_in(client, PASSWORD).status_code == 303
    user = store.get_user("xiong_p")
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


def test_a_success_in_between_resets_the_count(client_for, store):
    client = client_for()
    fail(client, MAX_FAILURES - 1)
    assert log_in(client, PASSWORD).status_code == 303
    assert store.get_user("xiong_p").failed_sign_ins == 0
    fail(client, MAX_FAILURES - 1)
    user = store.get_user("xiong_p")
    assert (user.failed_sign_ins, user.locked_until) == (MAX_FAILURES - 1, None)
    assert log_in(client, PASSWORD).status_code == 303


def test_an_ordinary_sign_in_writes_nothing(client_for, store, monkeypatch):
    def refuse(name: str) -> None:
        raise AssertionError("a sign-in with no failures behind it must not write")

    monkeypatch.setattr(store, "clear_failed_sign_ins", refuse)
    assert log_in(client_for(), PASSWORD).status_code == 303


def test_the_token_route_counts_and_refuses_the_same_way(client_for, store, clock):
    client = client_for()
    wrong = {"name": "xiong_p", "password": "wrong-password"}
    for _ in range(MAX_FAILURES - 1):
        assert client.post("/api/token", json=wrong).json()["error"]["message"] == WRONG
    fifth = client.post("/api/token?lang=en", json=wrong)
    assert fifth.status_code == 401
    assert fifth.json() == {
        "ok": False,
        "error": {
            "code": "not_authenticated",
            "message": "The account xiong_p is locked after 5 wrong passwords in a row; "
            "try again after 2025-06-01 09:15, or ask an administrator to unlock it.",
        },
    }
    right = client.post("/api/token?lang=zh", json={"name": "xiong_p", "password": PASSWORD})
    assert right.status_code == 401 and right.json()["error"]["message"] == LOCKED
    clock.advance(minutes=LOCK_MINUTES)
    assert client.post("/api/token", json={"name": "xiong_p", "password": PASSWORD}).status_code == 200
    assert store.verify_audit().ok


def test_unknown_names_get_the_usual_answer_and_leave_no_trace(client_for, store):
    before = audit_actions(store)
    fail(client_for(), MAX_FAILURES + 1, name="nobody")
    assert store.get_user("nobody") is None
    assert audit_actions(store) == before


def test_failures_add_up_across_worker_processes(client_for, store, clock, tmp_path):
    """Two apps over the same database (as uvicorn's workers are) share one count."""
    other = ClueStore(store.url, clock=clock)
    config = WebConfig(store_url=store.url, secret_key="test-secret")
    with other, TestClient(create_app(config, store=other)) as second:
        fail(client_for(), 3)
        fail(second, 1)
        assert LOCKED in log_in(second, "wrong-password").text
    assert LOCKED in log_in(client_for(), PASSWORD).text


def test_an_administrator_unlocks_from_the_command_line(client_for, store, tmp_path):
    client = client_for()
    fail(client, MAX_FAILURES - 1)
    log_in(client, "wrong-password")
    args = ["--home", str(tmp_path), "users", "unlock", "xiong_p", "--user", "root"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "已解除用户 xiong_p 的登录锁定。" in result.output
    assert log_in(client, PASSWORD).status_code == 303
    assert audit_actions(store)[-2:] == ["user.locked", "user.unlocked"]
    assert store.verify_audit().ok


def test_unlocking_an_unknown_user_is_refused_with_a_sentence(store, tmp_path):
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "users", "unlock", "nobody"])
    assert result.exit_code == 1
    assert str(result.exception) == "没有用户 nobody。"
