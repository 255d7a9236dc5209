"""One clue in full, read with plain SQL (jiancha.clues.detail): the same values the ORM loads.

The store and ``jiancha clues show`` read a clue through the driver's own connection, so the
driver's values (SQLite: JSON, dates and times as text, booleans as 0/1) must come out as the
types the ORM's columns give, on both backends.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from jiancha.clues import ClueNotFound
from jiancha.clues.database import open_sqlite, rows
from jiancha.clues.detail import read_detail
from jiancha.clues.queries import view_of
from jiancha.clues.schema import Clue, Suggestion
from jiancha.findings import EvidenceRow

MODEL = "water.facility_idle"
PERSON = EvidenceRow(
    "admin_penalties", "penalties.csv", 3, {"decision_no": "罚-1", "party_id_no": "130629199001011234"}
)


@pytest.fixture
def worked(store, make_finding) -> str:
    """A clue with personal evidence, walked to an urgent suggestion (due date, suggestion row)."""
    finding = make_finding("F1", evidence=(*make_finding("F1").evidence, PERSON))
    store.sync_findings("r1", MODEL, [finding, make_finding("F2")])
    clue_id = next(c.id for c in store.list_clues().items if c.subject_id == "F1")
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "p", "依程序", on=date(2024, 3, 1))
    store.transition(
        clue_id, "issue_suggestion", "p", "制发", on=date(2024, 3, 1), document_no="D-1", urgent=True
    )
    return clue_id


def test_a_clue_reads_as_the_orm_loads_it(store, worked):
    detail = store.get_clue(worked, "reader", unmask=True)
    with Session(store.engine) as session:
        clue = session.get_one(Clue, worked)
        assert detail.clue == view_of(clue)
        assert (detail.details, detail.lon, detail.lat, detail.county, detail.routing_note) == (
            clue.details,
            clue.lon,
            clue.lat,
            clue.county,
            clue.routing_note,
        )
        assert [(e.dataset, e.file, e.row, e.values) for e in detail.evidence] == [
            (e.dataset, e.file, e.row, e.values) for e in clue.evidence
        ]
        (suggestion,) = session.query(Suggestion).filter_by(clue_id=worked)
        assert detail.suggestions[0].reply_due == suggestion.reply_due
    c = detail.clue
    assert (type(c.holds), type(c.urgent), type(c.needs_review)) == (bool, bool, bool)
    assert (type(c.first_seen), type(c.due_on), c.related_ids) == (
        datetime,
        date,
        ("F1@2024-03-02", "F1@2024-03-03"),
    )
    assert detail.suggestions[0].urgent is True
    assert [h.action for h in detail.history][-1] == "workflow.issue_suggestion"


def test_personal_evidence_is_masked_unless_asked(store, worked):
    masked = store.get_clue(worked, "reader").evidence[-1]
    assert (masked.masked, masked.values["party_id_no"]) == (True, "130629********1234")
    assert store.get_clue(worked, "reader", unmask=True).evidence[-1].values == PERSON.values


def test_a_prefix_names_a_clue_and_an_ambiguous_or_unknown_one_is_refused(store, worked):
    assert store.get_clue(worked[:6].upper(), "r").clue.id == worked
    with pytest.raises(ClueNotFound, match="没有编号为 ff%_ff 的线索"):
        store.get_clue("ff%_ff", "r")


def _sqlite_file(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        pytest.skip("the stdlib reader serves SQLite workspaces only")
    return Path(url.removeprefix("sqlite:///"))


def test_the_stdlib_reader_shows_what_the_store_shows(store, store_url, worked):
    with closing(open_sqlite(_sqlite_file(store_url))) as connection:
        assert read_detail(rows(connection), worked[:8], unmask=False) == store.get_clue(worked, "r")


def test_the_stdlib_reader_leaves_a_missing_or_outdated_store_to_the_store(store, store_url, tmp_path):
    path = _sqlite_file(store_url)
    assert open_sqlite(tmp_path / "absent.sqlite") is None
    assert not (tmp_path / "absent.sqlite").exists()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '0011'")
    assert open_sqlite(path) is None
