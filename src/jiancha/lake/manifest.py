"""``lake/manifest.json`` and ``lake/meta/*.parquet``: what a cluster reads instead of ``lake.duckdb``.

A Spark job cannot open the DuckDB file, so after each commit the writer snapshots the
metadata tables as Parquet and lists every table's current version in the manifest, both
replaced atomically (written beside, then ``os.replace``). A crash between the commit and
this step leaves the manifest one commit behind; the next writer calls :func:`repair` when it
opens the lake, which removes orphaned versions and publishes again.

A lake whose datasets are still native tables (format 1) gets no manifest (an old one is
removed): a cluster finding none refuses the lake and names ``jiancha lake convert``.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from jiancha.lake.layout import (
    FORMAT,
    PARTITION,
    native_datasets,
    native_tables,
    readable_versions,
    sql_str,
)
from jiancha.lake.versions import remove_orphans
from jiancha.models.lake_tables import quote

MANIFEST = "manifest.json"
#: The metadata tables a cluster needs beside the rows: lineage, coverage, and resolve's runs and
#: reviewers' decisions (a resolution on Spark applies the decisions too).
META = ("_loads", "_coverage", "_rejections", "_entity_runs", "_entity_decisions")


def _describe(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[list[str]], int]:
    columns = [[name, kind] for name, kind, *_ in con.execute(f"DESCRIBE {sql}").fetchall()]
    (rows,) = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()
    return columns, int(rows)


def _replace_file(path: Path, write: Any) -> None:
    """Write ``path`` through a hidden sibling and rename it over the old one."""
    temp = path.with_name(f".{path.name}.tmp")
    write(temp)
    os.replace(temp, path)


def _write_text(text: str) -> Any:
    def write(temp: Path) -> None:
        with temp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    return write


def manifest(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, Any]:
    """The manifest's content for the committed state (the meta snapshots must be written first)."""
    tables: dict[str, Any] = {}
    for name, version in readable_versions(con, folder).items():
        columns, rows = _describe(con, version.scan_sql(folder))
        tables[name] = {
            "kind": version.kind,
            "version": version.version,
            "path": version.path,
            "partition": PARTITION if version.partitioned(folder) else None,
            "rows": rows,
            "columns": columns,
        }
    for name in META:
        path = folder / "meta" / f"{name}.parquet"
        if path.exists():
            columns, rows = _describe(con, f"SELECT * FROM read_parquet({sql_str(str(path))})")
            tables[name] = {"kind": "meta", "path": f"meta/{name}.parquet", "rows": rows, "columns": columns}
    return {"format": FORMAT, "written_at": datetime.now().isoformat(timespec="seconds"), "tables": tables}


def publish(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Snapshot the metadata tables and rewrite the manifest from what ``lake.duckdb`` holds now."""
    target = folder / MANIFEST
    if native_datasets(con):
        target.unlink(missing_ok=True)
        return
    (folder / "meta").mkdir(parents=True, exist_ok=True)
    native = native_tables(con)
    for name in META:
        if name in native:
            _replace_file(
                folder / "meta" / f"{name}.parquet",
                lambda temp, name=name: con.execute(
                    f"COPY {quote(name)} TO {sql_str(str(temp))} (FORMAT parquet)"
                ),
            )
    text = json.dumps(manifest(con, folder), ensure_ascii=False, indent=1)
    _replace_file(target, _write_text(text + "\n"))


def repair(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """What a writer does first: drop what a crashed writer left, and bring the manifest up to date."""
    remove_orphans(con, folder)
    if folder.exists():
        publish(con, folder)
