"""A dataset's lake table as the contract shapes it: fields, lake types, ``_file`` and ``_row``.

Used to build lakes the engine can check queries against (an empty lake for
validation, a small one for golden tests) without going through ingestion.
"""

from __future__ import annotations

from jiancha.contracts import Dataset

#: The columns every lake table carries after the contract's fields.
LINEAGE_COLUMNS = (("_file", "VARCHAR"), ("_row", "BIGINT"))


def quote(name: str) -> str:
    """A DuckDB-quoted identifier."""
    return '"' + name.replace('"', '""') + '"'


def columns_sql(dataset: Dataset) -> str:
    """The dataset's column definitions following the lake conventions (contract fields, then lineage)."""
    columns = [(f.name, f.lake_type) for f in dataset.fields] + list(LINEAGE_COLUMNS)
    return ", ".join(f"{quote(name)} {kind}" for name, kind in columns)


def create_table_sql(dataset: Dataset) -> str:
    """``CREATE TABLE`` for the dataset following the lake conventions."""
    return f"CREATE TABLE {quote(dataset.name)} ({columns_sql(dataset)})"
