"""``entity_lookup``: every (name, credit code) spelling in the lake and the entity it belongs to.

The model engine registers this table before the name-comparing models run.
It reads only, because the engine opens the lake read-only: when a
resolution is stored and still current it serves the resolved entities
(manual decisions included), otherwise the deterministic ones.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from jiancha.resolve import deterministic, store
from jiancha.resolve.sources import fingerprint, mentions_sql

SCHEMA = pa.schema([("name", pa.string()), ("credit_code", pa.string()), ("entity_id", pa.string())])


def deterministic_lookup(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The lookup by credit code, else folded name — no stored resolution needed."""
    sql = mentions_sql(con)
    if sql is None:
        return SCHEMA.empty_table()
    pairs = con.execute(f"SELECT DISTINCT name, credit_code FROM ({sql}) ORDER BY ALL").fetchall()
    return spellings_lookup(pairs)


def spellings_lookup(pairs: list[tuple[str, str | None]]) -> pa.Table:
    """The rule-based lookup of distinct (name, credit code) spellings (DuckDB or Spark gathers them)."""
    ids = deterministic.entity_ids(pairs)
    return pa.table(
        {
            "name": [name for name, _ in pairs],
            "credit_code": [code for _, code in pairs],
            "entity_id": [ids[pair] for pair in pairs],
        },
        schema=SCHEMA,
    )


def entity_lookup_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Columns (name, credit_code, entity_id), one row per distinct spelling in any party-name field."""
    if store.is_current(con, fingerprint(con)):
        return store.resolved_lookup(con).cast(SCHEMA)
    return deterministic_lookup(con)
