"""The keyed audit chain against someone who can write the database but holds no key.

Each test tampers with the tables directly, as such a person would, then checks that
``verify_audit`` finds it and names the first bad entry; the ``store`` fixture runs every
test on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from jiancha.clues import ClueStore
from jiancha.clues.anchors import ANCHOR_FILE, AnchorLog
from jiancha.clues.audit import HASHED_FIELDS, entry_hash, keyed_hash
from jiancha.clues.engine import make_engine
from jiancha.clues.keys import PRIVATE, load_key_file, parse_keyring, rotate_key_file
from jiancha.clues.seal import KEY_FILE, AuditSeal
from jiancha.errors import WorkspaceError
from jiancha.workspace import Workspace

MODEL = "water.facility_idle"


@pytest.fixture
def chained(store, make_finding):
    """Ten keyed entries (five clues created, five workflow steps), each write anchored."""
    store.sync_findings("r1", MODEL, [make_finding(f"F{i}") for i in range(5)])
    clue_id = store.list_clues().items[0].id
    for action in ("triage", "review", "file_case", "close"):
        store.transition(clue_id, action, "p1", "依程序")
    store.assign(clue_id, None, "chief", "撤回分派")
    engine = create_engine(store.url)
    yield store, engine
    engine.dispose()


def _rows(connection, first: int = 1) -> list[dict]:
    query = text("SELECT * FROM audit_log WHERE seq >= :s ORDER BY seq")
    return [dict(r) for r in connection.execute(query, {"s": first}).mappings()]


def _first_bad(store) -> tuple[bool, int | None, set[str]]:
    report = store.verify_audit()
    first = report.first_bad
    return report.ok, first.seq if first else None, {p.kind for p in report.problems}


def test_entries_name_their_key_and_are_hmacs(chained):
    store, engine = chained
    with engine.connect() as c:
        rows = _rows(c)
    assert {r["key_id"] for r in rows} == {store.seal.keyring.current_id}
    first = rows[0]
    fields = {k: first[k] for k in HASHED_FIELDS}
    assert first["hash"] != entry_hash(fields, first["prev_hash"])  # not a hash anyone can recompute
    report = store.verify_audit()
    assert (report.ok, report.entries, report.unkeyed) == (True, 10, 0)
    assert report.anchors >= 6 and report.head.seq == 10 and report.head.hash == rows[-1]["hash"]


def test_an_edited_entry_is_the_first_bad_one(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("UPDATE audit_log SET reason = '无理由' WHERE seq = 7"))
    assert _first_bad(store)[:2] == (False, 7)


def test_a_deleted_entry_is_the_first_bad_one(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    assert _first_bad(store) == (False, 4, {"deleted"})


def test_reordered_entries_are_caught(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("UPDATE audit_log SET seq = CASE seq WHEN 3 THEN 4 ELSE 3 END WHERE seq IN (3, 4)"))
    ok, first, _ = _first_bad(store)
    assert (ok, first) == (False, 3)


def test_truncation_with_the_head_moved_back_is_caught_by_the_anchors(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq > 8"))
        last = c.execute(text("SELECT hash FROM audit_log WHERE seq = 8")).scalar_one()
        c.execute(text("UPDATE audit_head SET seq = 8, hash = :h"), {"h": last})
    report = store.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("truncated", 9)]
    assert "第 9–10 条审计记录被从末尾截去" in report.problems[0].message


def _forge_unkeyed(fields: dict, prev: str) -> tuple[str | None, str]:
    return None, entry_hash(fields, prev)


def _forge_with_a_guessed_key(fields: dict, prev: str) -> tuple[str | None, str]:
    return fields["key_id"], keyed_hash(fields, prev, secrets.token_bytes(32))


@pytest.mark.parametrize("forge", [_forge_unkeyed, _forge_with_a_guessed_key])
def test_rewriting_the_chain_from_an_entry_on_head_included_is_caught(chained, forge):
    """The strongest rewrite without the key: every entry from 6 on re-hashed, the head moved."""
    store, engine = chained
    with engine.begin() as c:
        rows = _rows(c, 6)
        prev = rows[0]["prev_hash"]
        for row in rows:
            fields = {k: row[k] for k in HASHED_FIELDS} | {"user": "intruder", "key_id": row["key_id"]}
            key_id, forged = forge(fields, prev)
            c.execute(
                text(
                    'UPDATE audit_log SET "user" = :u, key_id = :k, prev_hash = :p, hash = :h WHERE seq = :s'
                ),
                {"u": "intruder", "k": key_id, "p": prev, "h": forged, "s": row["seq"]},
            )
            prev = forged
        c.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})
    ok, first, kinds = _first_bad(store)
    assert (ok, first) == (False, 6)
    assert "rewritten" in kinds and kinds & {"unsigned", "edited"}


def test_a_keyed_entry_turned_into_an_unkeyed_one_is_caught(chained):
    store, engine = chained
    with engine.begin() as c:
        row = _rows(c, 10)[0]
        forged = entry_hash({k: row[k] for k in HASHED_FIELDS}, row["prev_hash"])
        c.execute(text("UPDATE audit_log SET key_id = NULL, hash = :h WHERE seq = 10"), {"h": forged})
        c.execute(text("UPDATE audit_head SET hash = :h"), {"h": forged})
    report = store.verify_audit()
    assert ("unsigned", 10) in [(p.kind, p.seq) for p in report.problems]


def test_an_edited_anchor_line_is_caught(chained):
    store, _ = chained
    path = store.seal.anchors.path
    lines = path.read_text("utf-8").splitlines()
    edited = json.loads(lines[0]) | {"seq": 2}
    path.write_text("\n".join([json.dumps(edited), *lines[1:]]) + "\n", "utf-8")
    report = store.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("anchor", 0)]
    assert "第 1 行的签名不符" in report.problems[0].message


def test_verify_appends_the_signed_head_it_reports(chained):
    store, _ = chained
    report = store.verify_audit()
    last = json.loads(store.seal.anchors.path.read_text("utf-8").splitlines()[-1])
    assert last == {**report.head.__dict__}


def test_rotation_keeps_old_entries_verifiable(store_url, tmp_path, make_finding, monkeypatch):
    monkeypatch.delenv("JIANCHA_AUDIT_KEY", raising=False)  # the key file, not the environment
    key_file = tmp_path / "keys" / "audit.key"
    key_file.parent.mkdir()
    anchors = AnchorLog(tmp_path / "keys" / ANCHOR_FILE)
    first = AuditSeal.for_workspace(key_file.parent, {})
    with ClueStore(store_url, seal=first) as store:
        store.sync_findings("r1", MODEL, [make_finding("F1")])
    rotated = rotate_key_file(key_file)
    assert list(rotated.keys) == [first.keyring.current_id, rotated.current_id]
    with ClueStore(store_url, seal=AuditSeal(rotated, anchors)) as store:
        store.sync_findings("r2", MODEL, [make_finding("F2")])
        assert store.verify_audit().ok
        with store.engine.connect() as c:
            used = [k for (k,) in c.execute(text("SELECT key_id FROM audit_log ORDER BY seq"))]
        assert used[0] == first.keyring.current_id and set(used[1:]) == {rotated.current_id}
        without_old = parse_keyring(f"{rotated.current_id}:{rotated.current.hex()}", "test")
        store.seal = AuditSeal(without_old, None)
        report = store.verify_audit()
    assert [(p.kind, p.seq) for p in report.problems] == [("unknown_key", 1)]


def _legacy_store(url: str, entries: int) -> None:
    """A store at revision 0006 whose log holds ``entries`` unkeyed entries, as written before keys."""
    from importlib import resources

    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    engine = make_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
        prev = "0" * 64
        for seq in range(1, entries + 1):
            fields = {
                "seq": seq,
                "at": f"2024-01-0{seq}T09:00:00.000000",
                "user": "old",
                "action": "user.added",
                "clue_id": None,
                "status_to": None,
                "reason": "",
                "data": "{}",
            }
            digest = entry_hash(fields, prev)
            connection.execute(
                text(
                    'INSERT INTO audit_log (seq, at, "user", action, clue_id, status_to, reason, data, '
                    "prev_hash, hash) VALUES (:seq, :at, :user, :action, :clue_id, :status_to, :reason, "
                    ":data, :prev, :hash)"
                ),
                {**fields, "prev": prev, "hash": digest},
            )
            prev = digest
        connection.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": entries, "h": prev})
    engine.dispose()


def test_entries_from_before_keys_verify_as_unkeyed_and_new_ones_are_keyed(store_url, make_finding):
    _legacy_store(store_url, 3)
    with ClueStore(store_url) as store:
        store.sync_findings("r1", MODEL, [make_finding("F1")])
        report = store.verify_audit()
        assert (report.ok, report.entries, report.unkeyed) == (True, 4, 3)
        with store.engine.connect() as c:
            keys = [k for (k,) in c.execute(text("SELECT key_id FROM audit_log ORDER BY seq"))]
            keyed_from = c.execute(text("SELECT keyed_from FROM audit_head")).scalar_one()
        assert keys == [None, None, None, store.seal.keyring.current_id] and keyed_from == 4
        with store.engine.begin() as c:
            c.execute(text("UPDATE audit_log SET \"user\" = 'x' WHERE seq = 2"))
        assert [(p.kind, p.seq) for p in store.verify_audit().problems] == [("edited", 2)]


def test_the_first_key_is_made_private_and_a_readable_one_is_refused(tmp_path, monkeypatch, make_finding):
    monkeypatch.delenv("JIANCHA_AUDIT_KEY", raising=False)
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        store.sync_findings("r1", MODEL, [make_finding("F1")])
    key = ws.home / KEY_FILE
    assert key.stat().st_mode & 0o777 == PRIVATE
    assert (ws.home / ANCHOR_FILE).stat().st_mode & 0o777 == PRIVATE
    key.chmod(0o644)
    with pytest.raises(WorkspaceError, match=f"权限是 0644.*chmod 600 {key}"):
        ws.audit_seal()


def test_a_configured_key_file_must_exist(tmp_path, monkeypatch):
    monkeypatch.delenv("JIANCHA_AUDIT_KEY", raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    ws.config_path.write_text('[audit]\nkey_file = "secrets/audit.key"\n', "utf-8")
    with pytest.raises(WorkspaceError, match="找不到审计密钥文件"):
        ws.audit_seal()
    secret = Path(ws.home / "secrets")
    secret.mkdir()
    (secret / "audit.key").write_text(f"kA:{'ab' * 32}\n", "utf-8")
    (secret / "audit.key").chmod(0o600)
    assert ws.audit_seal().keyring.current_id == "kA"
    assert load_key_file(secret / "audit.key").keys == {"kA": bytes.fromhex("ab" * 32)}


def test_the_environment_keyring_lists_old_keys_then_the_current_one(monkeypatch, tmp_path):
    monkeypatch.setenv("JIANCHA_AUDIT_KEY", f"old:{'01' * 32}, new:{'02' * 32}")
    keyring = Workspace.resolve(tmp_path).audit_seal().keyring
    assert (keyring.current_id, sorted(keyring.keys)) == ("new", ["new", "old"])
    assert not (tmp_path / KEY_FILE).exists()
    monkeypatch.setenv("JIANCHA_AUDIT_KEY", "new:00ff")
    with pytest.raises(WorkspaceError, match="密钥太短"):
        Workspace.resolve(tmp_path).audit_seal()


def test_a_lost_key_file_is_not_silently_replaced(tmp_path, monkeypatch, make_finding):
    monkeypatch.delenv("JIANCHA_AUDIT_KEY", raising=False)
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        store.sync_findings("r1", MODEL, [make_finding("F1")])
        old = store.seal.keyring.current_id
    (ws.home / KEY_FILE).unlink()
    with pytest.raises(WorkspaceError, match=f"最新的记录由密钥 {old} 签名.*请从备份恢复原密钥文件"):
        ClueStore(ws.store_url, seal=ws.audit_seal())
