"""The web CLI: `users add` stores a hash the app accepts, bad input is refused; serve's settings arrive."""

from __future__ import annotations

from dataclasses import replace

import anyio.to_thread
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues import ClueStore
from jiancha.web.app import create_app
from jiancha.web.config import THREADS_ENV, WebConfig
from jiancha.web.users import authenticate
from jiancha.workspace import Workspace

runner = CliRunner()


def invoke(home, *args: str):
    return runner.invoke(app, ["--home", str(home), *args])


def test_users_add_then_sign_in(tmp_path):
    result = invoke(
        tmp_path,
        "users",
        "add",
        "wang",
        "--role",
        "prosecutor",
        "--office",
        "容城县院",
        "--password",
        "s3cret-pass",
    )
    assert result.exit_code == 0, result.output
    assert "已添加用户 wang" in result.output
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        user = store.get_user("wang")
        assert user.password_hash.startswith("$argon2id$")
        assert (user.role, user.office) == ("prosecutor", "容城县人民检察院")
        principal = authenticate(store, "wang", "s3cret-pass")
        assert principal is not None and principal.office == "容城县人民检察院"
        assert authenticate(store, "wang", "wrong-pass") is None


def test_role_by_chinese_title(tmp_path):
    result = invoke(
        tmp_path,
        "users",
        "add",
        "li",
        "--role",
        "院领导",
        "--office",
        "雄安分院",
        "--password",
        "s3cret-pass",
    )
    assert result.exit_code == 0, result.output


def test_unknown_role_is_refused_with_the_choices(tmp_path):
    result = invoke(
        tmp_path, "users", "add", "zhao", "--role", "judge", "--office", "雄县院", "--password", "s3cret-pass"
    )
    assert result.exit_code == 1
    message = str(result.exception)  # run_cli prints it; CliRunner hands it back
    assert "没有角色“judge”" in message and "prosecutor（检察官）" in message


def test_short_password_is_refused(tmp_path):
    result = invoke(
        tmp_path, "users", "add", "qian", "--role", "prosecutor", "--office", "雄县院", "--password", "short"
    )
    assert result.exit_code == 1
    assert str(result.exception) == "用户 qian 的密码太短：至少需要 8 个字符。"


def test_threads_setting_travels_by_environment_to_the_apps_handler_limit(tmp_path, monkeypatch, store):
    """What ``jiancha serve --threads N`` puts in the environment becomes each worker app's thread limit."""
    monkeypatch.setenv(THREADS_ENV, "3")
    config = WebConfig.for_workspace(Workspace(tmp_path))
    assert config.threads == 3
    app = create_app(replace(config, store_url=store.url), store=store)
    with TestClient(app) as client:
        limit = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    assert limit == 3
