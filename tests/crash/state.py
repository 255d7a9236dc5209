"""Logical digests of a workspace's lake and clue store, to compare states across processes.

A crash test asks whether a killed command left the workspace exactly as before it or
exactly as after it. File bytes cannot say (DuckDB and SQLite lay pages out differently
from one run to the next, and a WAL may or may not have been checkpointed), so these
digests read what a user can see: through :func:`jiancha.lake.open_lake` and SQL by table
name for the lake (a dataset may be a table or a view), and through SQL for the store.
What differs between two runs of the same command by design (timestamps, run ids, the
operating-system user, model timings) is left out; everything else is in.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import create_engine, text

from jiancha.lake import CURRENT_LOADS, loaded_datasets, open_lake
from jiancha.workspace import Workspace

#: ``_loads`` columns that say what was loaded (not when, nor by whom).
LOAD_COLUMNS = (
    "load_id, dataset, file_name, sha256, size_bytes, encoding, rows_read, rows_loaded, "
    "rows_rejected, warnings, status, replaced_load_id, message"
)


def _digest(rows: Any) -> str:
    return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()


def lake_digest(workspace: Workspace) -> dict[str, Any]:
    """Per dataset (current load id, rows, an order-independent hash of its rows), and the
    digests of ``_loads``, ``_rejections`` and ``_coverage``; empty when there is no lake yet."""
    if not workspace.lake_path.exists():
        return {}
    with open_lake(workspace) as con:
        current = dict(con.execute(f"SELECT dataset, load_id FROM ({CURRENT_LOADS})").fetchall())
        state: dict[str, Any] = {}
        for name in loaded_datasets(con):
            count, total = con.execute(f'SELECT count(*), sum(hash(t))::VARCHAR FROM "{name}" t').fetchone()
            state[name] = (current.get(name), count, total)
        for table, query in (
            ("_loads", f"SELECT {LOAD_COLUMNS} FROM _loads ORDER BY load_id"),
            ("_rejections", "SELECT * FROM _rejections ORDER BY ALL"),
            ("_coverage", "SELECT * FROM _coverage ORDER BY ALL"),
        ):
            state[table] = _digest(con.execute(query).fetchall())
    return state


#: Per table: the columns compared and the order they are read in. Times, run ids and
#: timings are left out (they differ between two runs of one command by design).
STORE_QUERIES = {
    "clues": "SELECT id, no, model_id, subject_type, subject_id, period, severity, target_agency, "
    "legal_basis, related_ids, details, lon, lat, county, office, routing_note, needs_review, status, "
    "holds, urgent, due_on, assigned_to, previous_id, content_hash, search_text, conduct_month "
    "FROM clues ORDER BY id",
    "clue_evidence": 'SELECT clue_id, position, dataset, file, "row", "values" FROM clue_evidence '
    "ORDER BY clue_id, position",
    "runs": "SELECT as_of, data_versions, loads, "
    "(SELECT count(*) FROM model_runs m WHERE m.run_id = r.run_id) FROM runs r ORDER BY started_at",
    "model_runs": "SELECT m.model_id, m.status, m.parameters, m.findings, m.new, m.updated, m.unchanged, "
    "m.no_longer_holds, m.message, m.skipped_subjects FROM model_runs m JOIN runs r USING (run_id) "
    "ORDER BY r.started_at, m.id",
    "readings": "SELECT id, no, decision_no, field, facts_hash, span, why, candidate, status, value, reason "
    "FROM readings ORDER BY no",
    "clue_tallies": "SELECT model_id, office, status, severity, conduct_month, seen_month, reached_case, "
    "reached_suggestion, reached_rectified, clues FROM clue_tallies ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
    "audit_head": "SELECT seq, keyed_from FROM audit_head",
}


def _audit_rows(connection: Any) -> list[tuple]:
    """The audit chain without its times and hashes, with run ids left out of each entry's data."""
    rows = []
    for seq, user, action, clue_id, status_to, reason, data, key_id in connection.execute(
        text(
            'SELECT seq, "user", action, clue_id, status_to, reason, data, key_id FROM audit_log ORDER BY seq'
        )
    ):
        fields = json.loads(data)
        fields.pop("run_id", None)
        rows.append((seq, user, action, clue_id, status_to, reason, fields, key_id))
    return rows


def store_digest(url: str) -> dict[str, Any]:
    """Digests of the clues, their evidence, the run records, the reading queue, the dashboard's
    tallies and the audit chain of the store at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            state = {
                name: _digest([tuple(row) for row in connection.execute(text(query))])
                for name, query in STORE_QUERIES.items()
            }
            audit = _audit_rows(connection)
    finally:
        engine.dispose()
    return {**state, "audit_log": _digest(audit), "audit_entries": len(audit)}
