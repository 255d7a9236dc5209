"""Where the lake's Parquet versions live, which one is current, and the DuckDB views over them.

A workspace's ``lake.duckdb`` is the transactional authority (``_loads``, ``_rejections``,
``_coverage``, resolve's runs and decisions); the rows themselves are immutable Parquet
versions in the ``lake/`` folder beside it (ARCHITECTURE.md, "Lake conventions"):

- ``lake/data/<dataset>/<load_id>/part-*.parquet``, or ``…/<load_id>/_month=YYYY-MM/part-*.parquet``
  for the big series (:data:`PARTITIONED`); ``_month`` is not a column of the table;
- ``lake/derived/<table>/<run_id>/part-*.parquet`` for resolve's output tables (:data:`DERIVED`).

A dataset's current version is its latest ``loaded`` row of ``_loads``; a derived table's is
the latest resolve run. Readers see each current version as a TEMP view named for the table,
made when the connection opens, so ``SELECT … FROM vehicle_gps`` reads the Parquet files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from jiancha.contracts import Dataset, FieldType, datasets
from jiancha.errors import WorkspaceError
from jiancha.i18n import tr
from jiancha.models.lake_tables import quote

#: The folder beside ``lake.duckdb`` that holds every version's files.
FOLDER = "lake"
#: The layout's version number, written in ``manifest.json``.
FORMAT = 2
#: The hive partition column of the big series: a folder name, never a column of the table.
PARTITION = "_month"
#: The series partitioned by month (the rest are small enough for one file per version).
PARTITIONED = ("vehicle_gps", "effluent_daily", "power_daily")
#: Resolve's output tables, versioned by resolve run (``jiancha.resolve.store``).
DERIVED = ("_entities", "_entity_members", "_entity_links")
#: Where a version's folder is built before it is renamed into place (ignored by every reader).
TEMP_PREFIX = ".tmp-"

#: Each dataset's current version: its latest ``loaded`` row of ``_loads`` (written by ingest).
CURRENT_LOADS = """
SELECT * FROM _loads WHERE status = 'loaded'
QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY load_id DESC) = 1
"""


def lake_folder(db_path: Path) -> Path:
    """The Parquet folder of the lake whose DuckDB file is ``db_path``."""
    return db_path.parent / FOLDER


def connection_folder(con: duckdb.DuckDBPyConnection) -> Path:
    """The Parquet folder of the lake file ``con`` reads (its current database)."""
    (path,) = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not path:
        raise ValueError("the connection's current database is in memory, not a lake file")
    return lake_folder(Path(path))


@dataclass(frozen=True)
class Version:
    """One table's current version: ``kind`` is ``dataset`` or ``derived``; ``path`` is relative
    to the lake folder (so the folder can be copied to an object store and read there)."""

    table: str
    kind: str
    version: str

    @property
    def path(self) -> str:
        return f"{'data' if self.kind == 'dataset' else 'derived'}/{self.table}/{self.version}"

    def partitioned(self, folder: Path) -> bool:
        """Whether the version was written in ``_month=…`` folders (an empty one never is)."""
        return any(p.name.startswith(f"{PARTITION}=") for p in (folder / self.path).iterdir())

    def scan_sql(self, folder: Path) -> str:
        """The SELECT that reads this version's rows: its files, without the partition column."""
        where = (folder / self.path).resolve()
        if self.partitioned(folder):
            files = sql_str(f"{where}/{PARTITION}=*/*.parquet")
            return f"SELECT * EXCLUDE ({PARTITION}) FROM read_parquet({files}, hive_partitioning = true)"
        return f"SELECT * FROM read_parquet({sql_str(f'{where}/*.parquet')}, hive_partitioning = false)"


def sql_str(text: str) -> str:
    """A DuckDB string literal (a path in a ``read_parquet`` call)."""
    return "'" + text.replace("'", "''") + "'"


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views ``con`` can read by bare name (native tables and lake views)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog IN (current_database(), 'temp') AND table_schema = 'main'"
    ).fetchall()
    return {name for (name,) in rows}


def native_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables stored in the DuckDB file itself (not the TEMP views over Parquet)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main'"
    ).fetchall()
    return {name for (name,) in rows}


def native_datasets(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Contract datasets whose rows are still a native table: a lake of the older format (1)."""
    native = native_tables(con)
    return [name for name in datasets() if name in native]


def current_versions(con: duckdb.DuckDBPyConnection) -> dict[str, Version]:
    """Every table's current version by name, as ``lake.duckdb`` records them (datasets first)."""
    native = native_tables(con)
    out: dict[str, Version] = {}
    if "_loads" in native:
        known = datasets()
        for dataset, load_id in con.execute(
            f"SELECT dataset, load_id FROM ({CURRENT_LOADS}) ORDER BY dataset"
        ).fetchall():
            if dataset in known:
                out[dataset] = Version(dataset, "dataset", str(load_id))
    if "_entity_runs" in native:
        run = con.execute("SELECT run_id FROM _entity_runs ORDER BY resolved_at DESC LIMIT 1").fetchone()
        if run:
            out |= {table: Version(table, "derived", run[0]) for table in DERIVED}
    return out


def readable_versions(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, Version]:
    """The current versions whose folder exists: a dataset of an older lake (a native table,
    no Parquet) is read from its table as before."""
    return {name: v for name, v in current_versions(con).items() if (folder / v.path).is_dir()}


def attach_views(con: duckdb.DuckDBPyConnection, folder: Path | None = None) -> dict[str, Version]:
    """(Re)make one TEMP view per current version on ``con``; the versions it made views for.

    A current version whose folder is missing, with no table of the older format to read
    instead, is refused: the lake file was copied without its ``lake/`` folder, say.
    """
    folder = folder or connection_folder(con)
    versions = readable_versions(con, folder)
    native = native_tables(con)
    missing = [v for name, v in current_versions(con).items() if name not in versions and name not in native]
    if missing:
        where = folder / missing[0].path
        raise WorkspaceError(
            tr(
                f"数据湖缺少 {missing[0].table} 的当前版本文件夹 {where}"
                f"（共缺 {len(missing)} 个表）；lake.duckdb 须与其旁边的 {FOLDER}/ 文件夹一起复制或恢复。",
                f"The lake lacks the folder of {missing[0].table}'s current version, {where} "
                f"({len(missing)} tables missing); lake.duckdb must be copied or restored together with "
                f"the {FOLDER}/ folder beside it.",
            )
        )
    for name, version in versions.items():
        con.execute(f"CREATE OR REPLACE TEMP VIEW {quote(name)} AS {version.scan_sql(folder)}")
    return versions


def month_field(ds: Dataset) -> str | None:
    """The field whose month partitions ``ds``'s versions, or None for an unpartitioned dataset."""
    if ds.name not in PARTITIONED:
        return None
    if ds.coverage is not None:
        return ds.coverage.date
    dated = (FieldType.DATE, FieldType.DATETIME)
    return next((f.name for f in ds.fields if f.required and f.type in dated), None)
