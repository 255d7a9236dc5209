"""The entity tables in the lake: what ``jiancha resolve`` writes and the lookup reads.

- ``_entity_runs``: one row per resolution — when, by whom, the data fingerprint
  it resolved, the threshold and the trained model (JSON) a later run may reuse.
- ``_entities``: one row per entity — id, canonical name, credit code, counts.
- ``_entity_members``: one row per mention (dataset, field, file, row, spelling)
  with its entity and match probability.
- ``_entity_links``: the scored pairs that joined records, with the match weight
  of each comparison, so a reviewer can see why.
- ``_entity_decisions``: manual link/split decisions; never rebuilt, applied on
  every resolution.

A resolution writes ``_entities``, ``_entity_members`` and ``_entity_links`` as Parquet
versions named for its run (``lake/derived/<table>/<run_id>/``, ``jiancha.lake.versions``),
then records the run in one transaction: the latest run is the current version of all
three, so a reader sees the old entities or the new ones, never a mixture. The runs and
the decisions stay in ``lake.duckdb``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from jiancha.lake.layout import (
    DERIVED,
    Version,
    attach_views,
    connection_folder,
    native_tables,
    table_names,
)
from jiancha.lake.manifest import publish, repair
from jiancha.lake.versions import discard, write_version

RUNS = "_entity_runs"
ENTITIES, MEMBERS, LINKS = DERIVED
DECISIONS = "_entity_decisions"

DECISIONS_DDL = f"""
CREATE TABLE IF NOT EXISTS {DECISIONS} (
    decision_id VARCHAR PRIMARY KEY,
    action VARCHAR NOT NULL,          -- link | split
    name VARCHAR NOT NULL,
    credit_code VARCHAR,
    other_name VARCHAR,
    other_credit_code VARCHAR,
    reason VARCHAR NOT NULL,
    decided_by VARCHAR NOT NULL,
    decided_at TIMESTAMP NOT NULL
)"""


@dataclass(frozen=True)
class Run:
    """One stored resolution."""

    run_id: str
    resolved_at: datetime
    fingerprint: str
    threshold: float
    records: int
    entities: int
    decided_by: str
    model_json: str


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision about one spelling (and, for a link, the spelling it joins)."""

    decision_id: str
    action: str
    name: str
    credit_code: str | None
    other_name: str | None
    other_credit_code: str | None
    reason: str
    decided_by: str
    decided_at: datetime


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``con`` reads ``table`` (a table of ``lake.duckdb`` or a view over its Parquet)."""
    return table in table_names(con)


def latest_run(con: duckdb.DuckDBPyConnection) -> Run | None:
    """The most recent resolution, or None when ``jiancha resolve`` has never run."""
    if not has_table(con, RUNS):
        return None
    row = con.execute(
        f"SELECT run_id, resolved_at, fingerprint, threshold, records, entities, decided_by, model_json "
        f"FROM {RUNS} ORDER BY resolved_at DESC LIMIT 1"
    ).fetchone()
    return Run(*row) if row else None


def is_current(con: duckdb.DuckDBPyConnection, fingerprint: str) -> bool:
    """True when the stored entities were resolved from exactly the data the lake holds now."""
    run = latest_run(con)
    return run is not None and run.fingerprint == fingerprint and has_table(con, MEMBERS)


def resolved_lookup(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """(name, credit_code, entity_id) from the stored members; a spelling two people share
    (same name, no code, different ID numbers) takes the entity with the most mentions."""
    return con.execute(
        f"""SELECT name, credit_code, arg_max(entity_id, n) AS entity_id FROM (
                SELECT name, credit_code, entity_id, count(*) AS n FROM {MEMBERS} GROUP BY ALL)
            GROUP BY name, credit_code ORDER BY name, credit_code"""
    ).to_arrow_table()


def decisions(con: duckdb.DuckDBPyConnection) -> list[Decision]:
    """Every manual decision, oldest first (a later one about the same spelling wins)."""
    if not has_table(con, DECISIONS):
        return []
    rows = con.execute(
        f"SELECT decision_id, action, name, credit_code, other_name, other_credit_code, reason, "
        f"decided_by, decided_at FROM {DECISIONS} ORDER BY decided_at, decision_id"
    ).fetchall()
    return [Decision(*row) for row in rows]


def add_decision(con: duckdb.DuckDBPyConnection, decision: Decision) -> None:
    """Keep a decision in the lake (the caller holds the writer connection)."""
    con.execute(DECISIONS_DDL)
    con.execute(
        f"INSERT INTO {DECISIONS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            decision.decision_id,
            decision.action,
            decision.name,
            decision.credit_code,
            decision.other_name,
            decision.other_credit_code,
            decision.reason,
            decision.decided_by,
            decision.decided_at,
        ],
    )
    publish(con, connection_folder(con))  # the decisions' snapshot is what a cluster resolution applies


def replace_entities(
    con: duckdb.DuckDBPyConnection,
    run: Run,
    entities: pa.Table,
    members: pa.Table,
    links: pa.Table,
) -> None:
    """Write a resolution's tables as the run's versions, then record the run in one transaction.

    Native tables of the older lake format are dropped in the same transaction (the new
    versions replace them).
    """
    folder = connection_folder(con)
    repair(con, folder)
    versions = [Version(table, "derived", run.run_id) for table in DERIVED]
    try:
        for version, data in zip(versions, (entities, members, links), strict=True):
            con.register("_resolve_incoming", data)
            try:
                write_version(con, folder, version, "SELECT * FROM _resolve_incoming", rows=data.num_rows)
            finally:
                con.unregister("_resolve_incoming")
        _record_run(con, run)
    except BaseException:
        for version in versions:
            discard(folder, version)
        raise
    attach_views(con, folder)
    publish(con, folder)


def _record_run(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    native = native_tables(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(DECISIONS_DDL)
        for table in DERIVED:
            if table in native:
                con.execute(f"DROP TABLE {table}")
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {RUNS} (run_id VARCHAR, resolved_at TIMESTAMP, fingerprint VARCHAR, "
            f"threshold DOUBLE, records BIGINT, entities BIGINT, decided_by VARCHAR, model_json VARCHAR)"
        )
        con.execute(
            f"INSERT INTO {RUNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run.run_id,
                run.resolved_at,
                run.fingerprint,
                run.threshold,
                run.records,
                run.entities,
                run.decided_by,
                run.model_json,
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
