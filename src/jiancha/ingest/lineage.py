"""Lineage tables in the lake: ``_loads`` (one row per load attempt) and ``_rejections``.

Every attempt is kept — loaded, unchanged, or refused — so the history of what
data a clue rested on survives later loads. A dataset's current version is its
latest ``loaded`` row (:data:`jiancha.lake.CURRENT_LOADS`).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import duckdb

from jiancha.coverage import COVERAGE_DDL
from jiancha.ingest.coerce import sql_str
from jiancha.lake.layout import CURRENT_LOADS

LINEAGE_DDL = """
CREATE TABLE IF NOT EXISTS _loads (
    load_id BIGINT PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    size_bytes BIGINT,
    encoding VARCHAR,
    rows_read BIGINT,
    rows_loaded BIGINT,
    rows_rejected BIGINT,
    warnings BIGINT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    os_user VARCHAR,
    status VARCHAR NOT NULL,           -- loaded | unchanged | rejected_file
    replaced_load_id BIGINT,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS _rejections (
    load_id BIGINT NOT NULL,
    dataset VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    "row" BIGINT,
    field VARCHAR,
    value VARCHAR,
    reason VARCHAR NOT NULL,
    severity VARCHAR NOT NULL          -- error (not loaded) | warning (loaded)
);
"""


def ensure_lineage(con: duckdb.DuckDBPyConnection) -> None:
    """Create the lineage tables on first use."""
    con.execute(LINEAGE_DDL)
    con.execute(COVERAGE_DDL)


class CurrentLoad(NamedTuple):
    """The load that made a dataset's current version."""

    load_id: int
    sha256: str
    size_bytes: int


def current_load(con: duckdb.DuckDBPyConnection, dataset: str) -> CurrentLoad | None:
    """The load of the dataset's current version, or None if never loaded."""
    row = con.execute(
        f"SELECT load_id, sha256, size_bytes FROM ({CURRENT_LOADS}) WHERE dataset = {sql_str(dataset)}"
    ).fetchone()
    return CurrentLoad(*row) if row else None


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next attempt gets: one past the last recorded.

    Not a sequence: DuckDB does not roll a sequence back, so a killed ingest would leave a gap
    and the next ingest would record other ids than it would have without the crash.
    """
    return int(con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM _loads").fetchone()[0])


def record_loaded(con: duckdb.DuckDBPyConnection, dataset: str, file_name: str, message: str) -> int:
    """Record a version written without an ingest (a converted table, a golden test's rows) as the
    dataset's current load; its id names the version's folder."""
    load_id = next_load_id(con)
    now = datetime.now()
    con.execute(
        "INSERT INTO _loads (load_id, dataset, file_name, started_at, finished_at, status, message) "
        "VALUES (?, ?, ?, ?, ?, 'loaded', ?)",
        [load_id, dataset, file_name, now, now, message],
    )
    return load_id
