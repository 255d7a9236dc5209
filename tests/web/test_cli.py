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
        "quiet-lantern-42",
    )
    assert result.exit_code == 0, result.output
    assert "已添加用户 wang" in result.output
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        user = store.get_user("wang")
        assert user.password_hash.startswith("$argon2id$")
        assert (user.role, user.office) == ("prosecutor", "容城县人民检察院")
        principal = authenticate(store, "wang", "quiet-lantern-42")
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
        "quiet-lantern-42",
    )
    assert result.exit_code == 0, result.output


def test_unknown_role_is_refused_with_the_choices(tmp_path):
    result = invoke(
        tmp_path,
        "users",
        "add",
        "zhao",
        "--role",
        "judge",
        "--office",
        "雄县院",
        "--password",
        "quiet-lantern-42",
    )
    assert result.exit_code == 1
    message = str(result.exception)  # run_cli prints it; CliRunner hands it back
    assert "没有角色“judge”" in message and "prosecutor（检察官）" in message


def test_short_breached_and_guessable_passwords_are_refused_with_sentences(tmp_path):
    """ASVS 2.1.1 and 2.1.7 on the command line: each refusal a zh sentence naming the user, nothing kept."""
    refusals = {
        "short-pw": "用户 qian 的密码太短：至少需要 12 个字符（现为 8 个）；可用几个不相关的词语组成的短语。",
        "Qwertyuiop123": "用户 qian 的密码出现在公开泄露的常用密码表中，攻击者会最先尝试；请换一个。",
        "qian20252025": "用户 qian 的密码太容易猜到"
        "（由常用密码、单词、日期、键盘顺序、重复字符或用户名拼成）；请用更长的、几个不相关的词语组成的短语。",
    }
    for password, sentence in refusals.items():
        result = invoke(
            tmp_path,
            "users",
            "add",
            "qian",
            "--role",
            "prosecutor",
            "--office",
            "雄县院",
            "--password",
            password,
        )
        assert result.exit_code == 1, password
        assert str(result.exception) == sentence
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        assert store.get_user("qian") is None


def test_users_password_sets_a_new_one_under_the_rules_and_ends_old_tokens(tmp_path):
    assert (
        invoke(
            tmp_path,
            "users",
            "add",
            "wang",
            "--role",
            "prosecutor",
            "--office",
            "雄县院",
            "--password",
            "quiet-lantern-42",
        ).exit_code
        == 0
    )
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with ClueStore(url) as store:
        app = create_app(WebConfig(store_url=url, secret_key="k"), store=store)
        with TestClient(app) as client:
            token = client.post("/api/token", json={"name": "wang", "password": "quiet-lantern-42"}).json()[
                "token"
            ]
            refused = invoke(tmp_path, "users", "password", "wang", "--password", "password1234")
            assert refused.exit_code == 1 and "用户 wang 的密码出现在公开泄露的常用密码表中" in str(
                refused.exception
            )
            result = invoke(
                tmp_path, "users", "password", "wang", "--password", "amber-tractor-91", "--user", "root"
            )
            assert result.exit_code == 0, result.output
            assert "已重设用户 wang 的密码；其原有登录会话与接口令牌均已失效。" in result.output
            assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        assert authenticate(store, "wang", "quiet-lantern-42") is None
        assert authenticate(store, "wang", "amber-tractor-91") is not None
        changed = [e for e in store.audit_entries() if e.action == "user.password_changed"]
        assert [(e.user, e.data) for e in changed] == [("root", {"name": "wang"})]
    missing = invoke(tmp_path, "users", "password", "nobody", "--password", "amber-tractor-91")
    assert missing.exit_code == 1 and str(missing.exception) == "没有用户 nobody。"


def test_threads_setting_travels_by_environment_to_the_apps_handler_limit(tmp_path, monkeypatch, store):
    """What ``jiancha serve --threads N`` puts in the environment becomes each worker app's thread limit."""
    monkeypatch.setenv(THREADS_ENV, "3")
    config = WebConfig.for_workspace(Workspace(tmp_path))
    assert config.threads == 3
    app = create_app(replace(config, store_url=store.url), store=store)
    with TestClient(app) as client:
        limit = client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens)
    assert limit == 3
