"""The hash-chained audit log: tampering is found and named; personal-data reads are logged."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from jiancha.clues.audit import GENESIS_HASH, entry_hash
from jiancha.findings import EvidenceRow

MODEL = "water.facility_idle"


@pytest.fixture
def chained(store, make_finding):
    """A store with ten audit entries: five created clues, then five workflow steps."""
    store.sync_findings("r1", MODEL, [make_finding(f"F{i}") for i in range(5)])
    clue_id = store.list_clues().items[0].id
    for action in ("triage", "review", "file_case", "close"):
        store.transition(clue_id, action, "p1", "依程序")
    store.assign(clue_id, None, "chief", "撤回分派")
    assert store.verify_audit().entries == 10
    engine = create_engine(store.url)
    yield store, engine
    engine.dispose()


def _problems(store):
    report = store.verify_audit()
    return [(p.kind, p.seq) for p in report.problems], report


def test_intact_chain_verifies(chained):
    store, engine = chained
    report = store.verify_audit()
    assert (report.ok, report.entries, report.problems) == (True, 10, ())
    with engine.connect() as c:
        first = c.execute(text("SELECT prev_hash, hash FROM audit_log WHERE seq = 1")).one()
    assert first.prev_hash == GENESIS_HASH


def test_edited_entry_is_named(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("UPDATE audit_log SET reason = '无理由' WHERE seq = 7"))
    problems, report = _problems(store)
    assert problems == [("edited", 7)]
    assert report.problems[0].message == "第 7 条审计记录被改动：内容与其哈希不符。"


def test_edited_and_rehashed_entry_is_named(chained):
    store, engine = chained
    with engine.begin() as c:
        row = c.execute(text("SELECT * FROM audit_log WHERE seq = 4")).mappings().one()
        fields = {
            k: row[k] for k in ("seq", "at", "user", "action", "clue_id", "status_to", "reason", "data")
        }
        fields["user"] = "someone_else"
        forged = entry_hash(fields, row["prev_hash"])
        c.execute(
            text("UPDATE audit_log SET \"user\" = 'someone_else', hash = :h WHERE seq = 4"), {"h": forged}
        )
    assert _problems(store)[0] == [("edited", 4)]


def test_deleted_entries_are_named(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq IN (3, 4)"))
    problems, report = _problems(store)
    assert problems == [("deleted", 3)]
    assert report.problems[0].message == "第 3–4 条审计记录被删除。"


def test_deleting_the_last_entry_is_found_through_the_head(chained):
    store, engine = chained
    with engine.begin() as c:
        c.execute(text("DELETE FROM audit_log WHERE seq = 10"))
    problems, report = _problems(store)
    assert problems == [("deleted", 10)]
    assert report.problems[0].message == "第 10 条审计记录被删除。"


def test_inserted_entry_is_named(chained):
    store, engine = chained
    with engine.begin() as c:
        prev = c.execute(text("SELECT hash FROM audit_log WHERE seq = 5")).scalar_one()
        fields = {
            "seq": 6,
            "at": "2024-04-01T09:00:00.000000",
            "user": "intruder",
            "action": "workflow.dismiss",
            "clue_id": None,
            "status_to": "dismissed",
            "reason": "伪造",
            "data": json.dumps({}),
        }
        c.execute(
            text(
                'INSERT INTO audit_log (seq, at, "user", action, clue_id, status_to, reason, data, '
                "prev_hash, hash) VALUES (:seq, :at, :user, :action, :clue_id, :status_to, :reason, "
                ":data, :prev, :hash)"
            ),
            {**fields, "prev": prev, "hash": entry_hash(fields, prev)},
        )
    problems, report = _problems(store)
    assert problems == [("inserted", 6)]
    assert report.problems[0].message == "插入了一条不属于哈希链的审计记录（标为第 6 条）。"


def test_personal_data_is_masked_and_unmasked_reads_are_audited(store, make_finding):
    row = EvidenceRow(
        "admin_penalties",
        "penalties.xlsx",
        7,
        {"decision_no": "雄环罚〔2024〕1号", "party_id_no": "130632199001011234", "party_name": "张三"},
    )
    store.sync_findings("r1", MODEL, [make_finding("F1", evidence=(row,))])
    clue_id = store.list_clues().items[0].id
    masked = store.get_clue(clue_id, "clerk")
    assert masked.evidence[0].values["party_id_no"] == "130632********1234"
    assert masked.evidence[0].values["decision_no"] == "雄环罚〔2024〕1号"
    assert masked.evidence[0].masked is True
    assert [h.action for h in masked.history] == ["clue.created"]
    full = store.get_clue(clue_id, "prosecutor1", unmask=True)
    assert full.evidence[0].values["party_id_no"] == "130632199001011234"
    reads = [h for h in store.get_clue(clue_id, "clerk").history if h.action == "personal_data.read"]
    assert [(h.user, h.data) for h in reads] == [("prosecutor1", {"fields": ["admin_penalties.party_id_no"]})]
    assert store.verify_audit().ok


def test_unmasked_read_without_personal_fields_is_not_logged(store, make_finding):
    store.sync_findings("r1", MODEL, [make_finding("F1")])
    clue_id = store.list_clues().items[0].id
    store.get_clue(clue_id, "prosecutor1", unmask=True)
    assert [h.action for h in store.get_clue(clue_id, "x").history] == ["clue.created"]
