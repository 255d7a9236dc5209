"""The needs-reading queue on SQLite and PostgreSQL: doubts queued once, decisions audited and applied."""

from __future__ import annotations

import json

import duckdb
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiancha.clues.schema import AuditEntry
from jiancha.clues.store import ClueStore
from jiancha.errors import JianchaError
from jiancha.text.penalty import penalty_facts_table
from jiancha.text.queue import facts_hash

DOUBTFUL = "当事人将废矿物油70桶倾倒于沟渠。"


def _lake() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE admin_penalties (decision_no VARCHAR, facts VARCHAR, case_cause VARCHAR)")
    con.execute(
        "INSERT INTO admin_penalties VALUES ('环罚〔2024〕1号', ?, NULL),"
        " ('环罚〔2024〕2号', '倾倒危险废物4.5吨。', NULL)",
        [DOUBTFUL],
    )
    return con


def test_a_run_queues_each_doubt_once_and_the_next_run_applies_the_decision(store: ClueStore) -> None:
    con = _lake()
    first = penalty_facts_table(con, store).to_pylist()
    penalty_facts_table(con, store)
    queued = store.readings()
    assert [(r.decision_no, r.field, r.status) for r in queued] == [
        ("环罚〔2024〕1号", "hazardous_waste_disposed_t", "open")
    ]
    assert first[0]["needs_reading"] and "70桶未写明单件重量" in first[0]["doubt_zh"]
    assert first[0]["ground_zh"] is None and first[1]["ground_basis"][0].startswith("environmental_crime")

    store.decide_reading(queued[0].id, 12.6, "询问笔录载明每桶约180公斤", "zhang")
    second = penalty_facts_table(con, store).to_pylist()
    assert second[0]["hazardous_waste_disposed_t"] == 12.6 and not second[0]["needs_reading"]
    assert "经检察官zhang人工认定为12.6吨（询问笔录载明每桶约180公斤）" in second[0]["reading_zh"]
    assert store.readings("decided")[0].decided_by == "zhang"
    with Session(store.engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "reading_decided")).all()
    assert [(e.user, e.reason) for e in entries] == [("zhang", "询问笔录载明每桶约180公斤")]
    assert store.verify_audit().ok


def test_a_decision_needs_a_reason_and_a_known_item(store: ClueStore) -> None:
    penalty_facts_table(_lake(), store)
    key = store.readings()[0].id
    with pytest.raises(JianchaError, match=r"理由|reason"):
        store.decide_reading(key, 1.0, "  ", "zhang")
    with pytest.raises(JianchaError, match=r"0000|numbered"):
        store.decide_reading("0000", 1.0, "理由", "zhang")
    with pytest.raises(JianchaError, match=r"open|decided"):
        store.readings("closed")


def test_no_figure_to_count_drops_the_doubt_without_a_figure(store: ClueStore) -> None:
    con = _lake()
    penalty_facts_table(con, store)
    store.decide_reading(store.readings()[0].id, None, "桶内为清水，非危险废物", "li")
    row = penalty_facts_table(con, store).to_pylist()[0]
    assert row["hazardous_waste_disposed_t"] is None and not row["needs_reading"]


TWO_DOUBTS = "当事人将废矿物油70桶倾倒于沟渠，将废乳化液30桶倾倒于院内。"


def _two_doubts_lake() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE admin_penalties (decision_no VARCHAR, facts VARCHAR, case_cause VARCHAR)")
    con.execute("INSERT INTO admin_penalties VALUES ('环罚〔2024〕3号', ?, NULL)", [TWO_DOUBTS])
    return con


def test_two_doubts_on_one_field_are_two_items_each_decided_on_its_own(store: ClueStore) -> None:
    con = _two_doubts_lake()
    penalty_facts_table(con, store)
    penalty_facts_table(con, store)
    items = store.readings()
    assert sorted(i.span for i in items) == ["将废乳化液30桶倾倒于院内", "当事人将废矿物油70桶倾倒于沟渠"]
    assert len({i.id for i in items}) == 2 and store.readings_count() == 2
    oil = next(i for i in items if "废矿物油" in i.span)
    store.decide_reading(oil.id, 2.0, "称重记录", "zhang")
    row = penalty_facts_table(con, store).to_pylist()[0]
    assert row["hazardous_waste_disposed_t"] == 2.0 and row["needs_reading"]
    assert "30桶未写明单件重量" in row["doubt_zh"] and "70桶" not in row["doubt_zh"]


def test_a_decided_item_is_changed_only_with_change_and_the_change_is_audited(store: ClueStore) -> None:
    penalty_facts_table(_lake(), store)
    key = store.readings()[0].id
    store.decide_reading(key, 12.6, "每桶约180公斤", "zhang")
    with pytest.raises(JianchaError, match=r"已由zhang认定为12\.6吨.*--change|already decided by zhang"):
        store.decide_reading(key, 1.0, "重新称重", "li")
    assert store.reading(key).value == 12.6
    changed = store.decide_reading(key, 14.0, "补充称重记录为14吨", "li", change=True)
    assert (changed.value, changed.decided_by) == (14.0, "li")
    with Session(store.engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reading_changed")).one()
    assert entry.user == "li" and entry.reason == "补充称重记录为14吨"
    data = json.loads(entry.data)
    assert (data["previous_value"], data["previous_by"], data["value"]) == (12.6, "zhang", 14.0)
    assert store.verify_audit().ok


def test_the_queue_is_read_a_page_at_a_time(store: ClueStore) -> None:
    penalty_facts_table(_lake(), store)
    penalty_facts_table(_two_doubts_lake(), store)
    newest_first = [i.no for i in store.readings()]
    assert newest_first == [3, 2, 1]
    assert [i.no for i in store.readings(limit=1, offset=1)] == [2]
    assert [i.no for i in store.readings("open", limit=2, offset=2)] == [1]
    assert store.readings_count("open") == 3 and store.readings_count("decided") == 0


def test_the_cli_refuses_to_decide_twice_and_changes_with_change(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from jiancha.cli import app
    from jiancha.workspace import Workspace

    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        penalty_facts_table(_lake(), store)
        key = store.readings()[0].id

    def decide(*extra: str):
        args = ["--home", str(ws.home), "--lang", "zh", "readings", "decide", key, "--user", "zhang", *extra]
        return CliRunner().invoke(app, args)

    assert decide("--value", "12.6", "--reason", "每桶约180公斤").exit_code == 0
    again = decide("--value", "1", "--reason", "重新称重")
    assert isinstance(again.exception, JianchaError) and "--change" in str(again.exception)
    changed = decide("--value", "14", "--reason", "补充称重记录", "--change")
    assert changed.exit_code == 0, changed.output
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        assert (store.reading(key).value, store.reading(key).reason) == (14.0, "补充称重记录")


def test_revision_0013_keeps_the_ids_of_items_queued_before_and_lets_a_second_span_in(
    store: ClueStore,
) -> None:
    """An item queued under 0009's per-field id keeps its id and is touched, not queued again;
    a second doubted span of the same field, refused before, is now an item of its own."""
    from importlib import resources

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")
    con = _two_doubts_lake()
    digest = facts_hash(TWO_DOUBTS)
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO readings (id, no, decision_no, field, facts_hash, span, why, candidate, status,"
                " value, reason, decided_by, decided_at, first_seen, last_seen) VALUES ('0ld1d0f0ld1d0f00',"
                " 1, '环罚〔2024〕3号', 'hazardous_waste_disposed_t', :h, '当事人将废矿物油70桶倾倒于沟渠',"
                " '70桶未写明单件重量，无法折算为吨', NULL, 'open', NULL, '', NULL, NULL,"
                " '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            ),
            {"h": digest},
        )
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    penalty_facts_table(con, store)
    items = {i.span: i.id for i in store.readings()}
    assert items["当事人将废矿物油70桶倾倒于沟渠"] == "0ld1d0f0ld1d0f00" and len(items) == 2
