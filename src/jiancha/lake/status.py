"""``jiancha lake status``: what the lake holds, table by table, and what a writer would clear."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from jiancha.contracts import datasets
from jiancha.lake.layout import (
    DERIVED,
    FORMAT,
    native_datasets,
    native_tables,
    readable_versions,
    table_names,
)
from jiancha.lake.versions import committed, orphans
from jiancha.models.lake_tables import quote


@dataclass(frozen=True)
class TableStatus:
    """One readable table: where its rows are (``parquet`` or ``lake.duckdb``), its current
    version, rows, files and bytes on disk, and how many versions of it are kept."""

    name: str
    kind: str
    stored: str
    version: str | None
    rows: int
    files: int
    size_bytes: int
    versions: int


@dataclass(frozen=True)
class LakeStatus:
    """The lake's format (1: rows in ``lake.duckdb``; 2: Parquet), its tables and orphan folders."""

    format: int
    tables: list[TableStatus]
    orphans: list[Path]


def _files(path: Path) -> list[Path]:
    return [p for p in path.rglob("*.parquet") if p.is_file()]


def lake_status(con: duckdb.DuckDBPyConnection, folder: Path) -> LakeStatus:
    """The status of the lake ``con`` reads (its views attached), with ``folder`` its Parquet folder."""
    versions = readable_versions(con, folder)
    kept = committed(con)
    native = native_tables(con)
    tables = []
    for name in sorted(table_names(con)):
        (rows,) = con.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()
        version = versions.get(name)
        if version is not None:
            files = _files(folder / version.path)
            prefix = version.path.rsplit("/", 1)[0] + "/"
            count = sum(1 for path in kept if path.startswith(prefix))
            size = sum(p.stat().st_size for p in files)
            tables.append(
                TableStatus(name, version.kind, "parquet", version.version, rows, len(files), size, count)
            )
        elif name in native:
            kind = "dataset" if name in datasets() else "derived" if name in DERIVED else "meta"
            tables.append(TableStatus(name, kind, "lake.duckdb", None, rows, 0, 0, 0))
    return LakeStatus(1 if native_datasets(con) else FORMAT, tables, orphans(con, folder))
