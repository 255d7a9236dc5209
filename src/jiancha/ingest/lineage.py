"""Lineage tables in the lake: ``_loads`` (one row per load attempt) and ``_rejections``.

Every attempt is kept — loaded, unchanged, or refused — so the history of what
data a clue rested on survives later loads. A dataset's current version is its
latest ``loaded`` row (:data:`jiancha.lake.CURRENT_LOADS`).
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from jiancha.coverage import COVERAGE_DDL
from jiancha.ingest.coerce import sql_str
from jiancha.lake import CURRENT_LOADS

LINEAGE_DDL = """
CREATE SEQUENCE IF NOT EXISTS _load_ids START 1;
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
    return int(con.execute("SELECT nextval('_load_ids')").fetchone()[0])
