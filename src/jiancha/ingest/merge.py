"""Merging a load into what the lake already holds (``jiancha ingest DROP --merge``).

Agencies send a month's or a half-year's rows at a time. Merged, a new file replaces
the rows it restates and keeps the rest: by key for datasets that have one (a row
with the same key becomes the new file's), else by the days the file covers (the
rows of those days become the new file's). A keyless dataset without dates, and a
dataset not yet in the lake, is replaced whole, as without ``--merge``.

A merged table holds rows of several files, so ``_file`` is stored in each row,
``_row`` stays unique within the table (a kept row keeps its number; a new row's is
moved past the largest) and ``_source_row`` holds the row number in the row's own
file, which evidence shows (``jiancha.models.evidence``).
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from jiancha.contracts import Dataset, FieldType
from jiancha.coverage import field_day_sql
from jiancha.ingest.coerce import sql_ident, sql_str
from jiancha.lake import SOURCE_ROW

_DATED = (FieldType.DATE, FieldType.DATETIME, FieldType.MONTH)


class Merge(NamedTuple):
    """The query that builds a merged table, and how many rows it keeps from before."""

    sql: str
    kept: int


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_catalog IN (current_database(), 'temp') AND table_name = " + sql_str(table)
    ).fetchall()
    return [name for (name,) in rows] or None


def _day_field(ds: Dataset) -> str | None:
    """The field that dates a row of a keyless dataset: its coverage date, else its first
    required date, datetime or month field."""
    if ds.coverage is not None:
        return ds.coverage.date
    return next((f.name for f in ds.fields if f.required and f.type in _DATED), None)


def _kept_rows(ds: Dataset, stage: str) -> str | None:
    """The condition on an old row that keeps it, or None when the new file replaces them all."""
    if ds.key:
        same = " AND ".join(f"s.{sql_ident(k)} = o.{sql_ident(k)}" for k in ds.key)
        return f"NOT EXISTS (SELECT 1 FROM {stage} AS s WHERE {same})"
    name = _day_field(ds)
    if name is None:
        return None
    day = field_day_sql(ds.field(name))
    span = f"(SELECT min({day}) FROM {stage}) AND (SELECT max({day}) FROM {stage})"
    return f"NOT coalesce({day} BETWEEN {span}, false)"


def merge_query(con: duckdb.DuckDBPyConnection, ds: Dataset, stage: str) -> Merge | None:
    """How to merge the staged rows into ``ds``'s table, or None when they simply replace it."""
    old = _columns(con, ds.name)
    keep = _kept_rows(ds, stage)
    if old is None or keep is None:
        return None
    table = sql_ident(ds.name)
    kept = con.execute(f"SELECT count(*) FROM {table} AS o WHERE {keep}").fetchone()[0]
    if not kept:
        return None
    offset = con.execute(f"SELECT coalesce(max(_row), 0) FROM {table}").fetchone()[0]
    source = "" if SOURCE_ROW in old else f", _row AS {SOURCE_ROW}"
    sql = (
        f"SELECT *{source} FROM {table} AS o WHERE {keep} "
        f"UNION ALL BY NAME SELECT * REPLACE (_row + {offset} AS _row), _row AS {SOURCE_ROW} FROM {stage}"
    )
    return Merge(sql, int(kept))
