"""Sign-in failures in the store: counted per existing user, locking after MAX_FAILURES, audited."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select

from jiancha.clues import ClueStore
from jiancha.clues.engine import make_engine, upgrade
from jiancha.clues.schema import AuditEntry
from jiancha.clues.store import LOCK_MINUTES, MAX_FAILURES
from jiancha.errors import JianchaError


def audit_actions(store: ClueStore) -> list[tuple[str, str, str]]:
    with store.engine.connect() as connection:
        query = select(AuditEntry.action, AuditEntry.user, AuditEntry.data).order_by(AuditEntry.seq)
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def wang(store: ClueStore) -> str:
    store.add_user("wang", "$argon2id$not-a-real-hash", "prosecutor", office="雄县院")
    return "wang"


def test_the_last_allowed_failure_locks_the_account_and_restarts_the_count(store, clock, wang):
    for _ in range(MAX_FAILURES - 1):
        assert store.record_failed_sign_in(wang) is None
    assert store.get_user(wang).failed_sign_ins == MAX_FAILURES - 1
    until = store.record_failed_sign_in(wang)
    assert until == clock.now + timedelta(minutes=LOCK_MINUTES)
    user = store.get_user(wang)
    assert (user.failed_sign_ins, user.locked_until) == (0, until)
    assert user.locked_at(clock.now) and not user.locked_at(until)
    action, by, data = audit_actions(store)[-1]
    assert (action, by) == ("user.locked", "system")
    assert '"name":"wang"' in data and until.isoformat() in data
    assert store.verify_audit().ok


def test_a_failure_during_the_lock_changes_nothing(store, clock, wang):
    for _ in range(MAX_FAILURES):
        until = store.record_failed_sign_in(wang)
    entries = len(audit_actions(store))
    clock.advance(minutes=LOCK_MINUTES - 1)
    assert store.record_failed_sign_in(wang) == until
    assert store.get_user(wang).failed_sign_ins == 0
    assert len(audit_actions(store)) == entries
    clock.advance(minutes=1)
    assert store.record_failed_sign_in(wang) is None  # the lock ran out: counting starts again
    assert store.get_user(wang).failed_sign_ins == 1


def test_unknown_names_are_not_recorded(store):
    assert store.record_failed_sign_in("nobody") is None
    assert store.get_user("nobody") is None
    assert audit_actions(store) == []


def test_clearing_forgets_failures_and_an_expired_lock(store, clock, wang):
    for _ in range(MAX_FAILURES + 2):
        store.record_failed_sign_in(wang)
    clock.advance(minutes=LOCK_MINUTES)
    store.clear_failed_sign_ins(wang)
    user = store.get_user(wang)
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


def test_unlock_is_audited_and_names_unknown_users(store, wang):
    for _ in range(MAX_FAILURES):
        store.record_failed_sign_in(wang)
    store.unlock_user(wang, by="root")
    assert store.get_user(wang).locked_until is None
    assert audit_actions(store)[-1] == ("user.unlocked", "root", '{"name":"wang"}')
    with pytest.raises(JianchaError, match="没有用户 nobody"):
        store.unlock_user("nobody", by="root")
    assert store.verify_audit().ok


def test_users_from_before_revision_0005_start_with_no_failures(store_url):
    engine = make_engine(store_url)
    try:
        config = Config()
        migrations = resources.files("jiancha.clues").joinpath("migrations")
        config.set_main_option("script_location", str(migrations))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.exec_driver_sql(
                "INSERT INTO users (name, display_name, password_hash, role, office, active, created_at)"
                " VALUES ('old', 'old', 'h', 'leadership', NULL, TRUE, '2024-01-01 00:00:00')"
            )
        upgrade(engine)
        with engine.connect() as connection:
            row = connection.exec_driver_sql("SELECT failed_sign_ins, locked_until FROM users").one()
        assert tuple(row) == (0, None)
        with ClueStore(store_url) as store:
            assert store.get_user("old").failed_sign_ins == 0
    finally:
        engine.dispose()
