"""Writing a table's version as Parquet, and clearing the versions no commit claimed.

A writer (ingest, resolve, ``jiancha lake convert``) builds a version's files in a hidden
``.tmp-<version>`` folder, renames it to ``<version>`` and only then commits the row in
``lake.duckdb`` that makes it current. A crash before that commit leaves a folder nothing
points to: :func:`remove_orphans` (run by every writer when it opens the lake) deletes it.
The folder of a committed version is never written again.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from jiancha.contracts import dataset
from jiancha.coverage import field_day_sql
from jiancha.lake.layout import DERIVED, PARTITION, TEMP_PREFIX, Version, month_field, native_tables, sql_str


def _sync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable before the commit that relies on it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_version(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    version: Version,
    select_sql: str,
    *,
    rows: int,
    run: Callable[[str], object] | None = None,
) -> Path:
    """Write the rows of ``select_sql`` as ``version``'s files and rename them into place.

    A partitioned dataset (``layout.PARTITIONED``) is written in ``_month=YYYY-MM`` folders
    unless it has no rows (a partitioned write of nothing leaves no file to read the columns from).
    ``run`` executes the ``COPY`` (a progress bar's, say); by default ``con.execute``.
    """
    run = run or con.execute
    parent = folder / version.path
    parent.parent.mkdir(parents=True, exist_ok=True)
    building = parent.with_name(TEMP_PREFIX + version.version)
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    month = month_field(dataset(version.table)) if version.kind == "dataset" and rows else None
    day = field_day_sql(dataset(version.table).field(month)) if month is not None else None
    only = _only_month(con, day, select_sql) if day is not None else None
    if only is not None:
        # One month: the same folder and file a partitioned write makes, written flat (the
        # partitioned writer cost a third more CPU for 10 M rows of one month).
        target = building / f"{PARTITION}={only}"
        target.mkdir()
        run(f"COPY ({select_sql}) TO {sql_str(str(target / 'part-0.parquet'))} (FORMAT parquet)")
    elif day is not None:
        run(
            f"COPY (SELECT *, coalesce(strftime({day}, '%Y-%m'), 'none') AS {PARTITION} FROM ({select_sql})) "
            f"TO {sql_str(str(building))} (FORMAT parquet, PARTITION_BY ({PARTITION}), "
            "FILENAME_PATTERN 'part-{i}')"
        )
    else:
        run(f"COPY ({select_sql}) TO {sql_str(str(building / 'part-0.parquet'))} (FORMAT parquet)")
    shutil.rmtree(parent, ignore_errors=True)  # an orphan of a crashed writer that drew the same id
    os.replace(building, parent)
    _sync_dir(parent.parent)
    return parent


def _only_month(con: duckdb.DuckDBPyConnection, day: str, select_sql: str) -> str | None:
    """The ``_month`` label of the one month every row falls in (``none``: no row has a date),
    else None. A min/max of the dates, not of their labels: formatting each row cost 0.8 CPU s
    of 10 M."""
    first, last, undated = con.execute(
        f"SELECT min(d), max(d), count(*) - count(d) FROM (SELECT {day} AS d FROM ({select_sql}))"
    ).fetchone()
    if first is None:
        return "none"
    if undated or (first.year, first.month) != (last.year, last.month):
        return None
    return f"{first:%Y-%m}"


def discard(folder: Path, version: Version) -> None:
    """Remove a version whose commit failed (a crash leaves it to :func:`remove_orphans`)."""
    shutil.rmtree(folder / version.path, ignore_errors=True)


def committed(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The relative paths of every version ``lake.duckdb`` records: all loaded loads, all runs."""
    native = native_tables(con)
    paths: set[str] = set()
    if "_loads" in native:
        rows = con.execute("SELECT dataset, load_id FROM _loads WHERE status = 'loaded'").fetchall()
        paths |= {Version(name, "dataset", str(load_id)).path for name, load_id in rows}
    if "_entity_runs" in native:
        runs = [run_id for (run_id,) in con.execute("SELECT run_id FROM _entity_runs").fetchall()]
        paths |= {Version(table, "derived", run_id).path for table in DERIVED for run_id in runs}
    return paths


def orphans(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Version folders no committed row claims, and half-built ones."""
    claimed = committed(con)
    found = []
    for kind in ("data", "derived"):
        for table in sorted((folder / kind).glob("*")):
            for child in sorted(table.iterdir()) if table.is_dir() else []:
                if child.name.startswith(TEMP_PREFIX) or f"{kind}/{table.name}/{child.name}" not in claimed:
                    found.append(child)
    return found


def remove_orphans(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Delete :func:`orphans` (the caller holds the lake's only writer connection)."""
    found = orphans(con, folder)
    for path in found:
        shutil.rmtree(path, ignore_errors=True)
    return found


def vacuum(con: duckdb.DuckDBPyConnection, folder: Path, days: float) -> list[Path]:
    """Remove orphans, and committed versions that are not current and were written more than
    ``days`` ago (by their folder's time); a current version is never removed."""
    from jiancha.lake.layout import current_versions

    current = {v.path for v in current_versions(con).values()}
    cutoff = time.time() - days * 86400
    old = [
        folder / path
        for path in sorted(committed(con) - current)
        if (folder / path).is_dir() and (folder / path).stat().st_mtime < cutoff
    ]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return remove_orphans(con, folder) + old
