"""A small lake built the way ingest builds one: contract columns plus _file and _row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from jiancha.contracts import dataset
from jiancha.models.lake_tables import create_table_sql

Rows = dict[str, list[dict[str, Any]]]


def write_lake(path: Path, rows: Rows) -> None:
    """Create (or replace) one table per dataset holding ``rows``, numbered from spreadsheet row 2."""
    with duckdb.connect(str(path)) as con:
        for name, records in rows.items():
            con.execute(f"DROP TABLE IF EXISTS {name}")
            con.execute(create_table_sql(dataset(name)))
            for i, record in enumerate(records):
                names = [*record, "_file", "_row"]
                values = [*record.values(), f"{name}.csv", i + 2]
                marks = ", ".join("?" for _ in names)
                con.execute(f"INSERT INTO {name} ({', '.join(names)}) VALUES ({marks})", values)


@pytest.fixture
def make_lake(tmp_path: Path) -> Callable[[Rows], Path]:
    """Write a lake into a fresh folder and return its path."""

    def make(rows: Rows) -> Path:
        path = tmp_path / "lake.duckdb"
        write_lake(path, rows)
        return path

    return make
