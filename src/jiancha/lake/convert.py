"""``jiancha lake convert``: a lake of the older format (rows in ``lake.duckdb``) to Parquet versions.

Format 1 kept each dataset's rows as a native table of ``lake.duckdb`` (and resolve's
output tables beside them). Conversion writes each such table as the Parquet version
its current load (or latest resolve run) names, then drops the table in the
transaction that follows, one table at a time: interrupted, a lake holds converted
tables and native ones, every one readable, and running the command again finishes it.
A dataset table no ``_loads`` row describes (built by hand, say) is given one, marked
as converted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from jiancha.errors import WorkspaceError
from jiancha.i18n import tr
from jiancha.lake.layout import (
    DERIVED,
    Version,
    attach_views,
    current_versions,
    native_datasets,
    native_tables,
)
from jiancha.lake.manifest import repair
from jiancha.lake.versions import discard, write_version
from jiancha.models.lake_tables import quote

#: Runs one COPY statement under a description (a progress bar's ``execute``).
Runner = Callable[[str, str], object]


def old_format_message(path: Path, tables: list[str]) -> str:
    """The sentence a writer (or Spark) gives for a lake of the older format."""
    listed = "、".join(tables)
    return tr(
        f"数据湖 {path} 是旧格式（{listed} 的数据仍存放在 lake.duckdb 中），无法写入或在集群上读取；"
        f"请先运行 jiancha --home {path.parent} lake convert 将其转换为 Parquet 版本"
        "（原地转换，可中断重跑）。",
        f"The lake {path} is in the older format ({', '.join(tables)} still held in lake.duckdb) and "
        f"cannot be written or read on a cluster; run `jiancha --home {path.parent} lake convert` first "
        "(it converts in place and may be interrupted and run again).",
    )


def refuse_old_format(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Raise the sentence naming ``jiancha lake convert`` when datasets are still native tables."""
    if old := native_datasets(con):
        raise WorkspaceError(old_format_message(path, old))


@dataclass(frozen=True)
class Converted:
    """One table moved out of ``lake.duckdb``: its name, the version it became, its rows."""

    table: str
    version: str
    rows: int


def _version(
    con: duckdb.DuckDBPyConnection, table: str, stored: str, current: dict[str, Version]
) -> Version | None:
    """The version a native table becomes; a dataset without a load record gets one (derived
    tables without a resolve run stay: nothing says which run made them)."""
    if table in current:
        return current[table]
    if table in DERIVED:
        return None
    from jiancha.ingest.lineage import record_loaded

    (file_name,) = con.execute(f"SELECT any_value(_file) FROM {stored}").fetchone()
    load_id = record_loaded(con, table, file_name or f"{table}.csv", "converted from lake format 1")
    return Version(table, "dataset", str(load_id))


def convert_lake(con: duckdb.DuckDBPyConnection, folder: Path, run: Runner) -> list[Converted]:
    """Move every native dataset and resolve table into Parquet, each in its own transaction."""
    from jiancha.ingest.lineage import ensure_lineage

    ensure_lineage(con)
    repair(con, folder)
    done = []
    native = native_tables(con)
    (database,) = con.execute("SELECT current_database()").fetchone()
    for table in [*native_datasets(con), *(t for t in DERIVED if t in native)]:
        stored = f"{quote(database)}.main.{quote(table)}"
        (rows,) = con.execute(f"SELECT count(*) FROM {stored}").fetchone()
        version = None
        con.execute("BEGIN")
        try:
            version = _version(con, table, stored, current_versions(con))
            if version is None:
                con.execute("ROLLBACK")
                continue
            write_version(
                con,
                folder,
                version,
                f"SELECT * FROM {stored}",
                rows=rows,
                run=lambda sql, table=table: run(sql, tr(f"转换 {table}", f"Converting {table}")),
            )
            con.execute(f"DROP TABLE {stored}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            if version is not None:
                discard(folder, version)
            raise
        done.append(Converted(table, version.version, int(rows)))
    attach_views(con, folder)
    repair(con, folder)
    return done
