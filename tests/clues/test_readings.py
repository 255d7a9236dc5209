"""The needs-reading queue on SQLite and PostgreSQL: doubts queued once, decisions audited and applied."""

from __future__ import annotations

import duckdb
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiancha.clues.schema import AuditEntry
from jiancha.clues.store import ClueStore
from jiancha.errors import JianchaError
from jiancha.text.penalty import penalty_facts_table

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
