"""Where model queries run: the lake behind an Ibis backend, walled in.

The runner speaks to an :class:`Engine` — list tables, register a table, run one
query under a time limit — so the same model runs on the embedded DuckDB lake
and on a Spark session. Queries are written in DuckDB SQL: on DuckDB they run as
written (Ibis would parse and regenerate them with sqlglot first, which costs
time on every query and could change what the validator checked); on Spark, Ibis
hands them to sqlglot to transpile. Ibis expressions (``ibis:`` models) compile
to DuckDB SQL first, so both kinds of model take the same path.

:class:`DuckDBEngine` is the second wall around users' SQL: the lake is attached
read-only to an in-memory database, each dataset's current Parquet version becomes a
TEMP view (``jiancha.lake.layout``), external access (files, network, extension
installs) is switched off except for the lake's own folder (``allowed_directories``)
and the configuration locked before any model runs, and a timer interrupts a query
that outlives its limit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from jiancha.errors import ModelError, WorkspaceError
from jiancha.i18n import tr
from jiancha.lake.layout import attach_views, lake_folder, sql_str
from jiancha.models.lake_tables import quote

if TYPE_CHECKING:
    from ibis.backends.sql import SQLBackend
    from pyspark.sql import SparkSession

    from jiancha.coverage import LakeCoverage
    from jiancha.findings import DataLoad
    from jiancha.spark.lake import Manifest

#: The table of wanted evidence rows, and the column naming each fetched row's dataset.
WANTED_TABLE = "__jiancha_evidence_rows"
DATASET_COLUMN = "__jiancha_dataset"
#: What Ibis's DuckDB backend sets on a connection it is handed (UTC, no replacement scans of Python
#: variables): set by the engine itself before it locks the configuration, so a backend made later
#: finds them in place and queries see the same settings whether Ibis was loaded or not.
IBIS_SETTINGS = ("SET TimeZone = 'UTC'", "SET python_enable_replacements = false")

#: Up to this many wanted rows of a dataset are written into the query as a list.
INLINE_ROWS = 500
#: Row numbers (``_row``) wanted, by dataset.
WantedRows = Mapping[str, Collection[int]]


class QueryTimeout(ModelError):
    """A query ran longer than its time limit and was interrupted."""


class Engine(Protocol):
    """What the runner needs from a backend."""

    backend: SQLBackend

    def tables(self) -> set[str]:
        """Names of the tables and views a query can read."""
        ...

    def register(self, name: str, table: pa.Table) -> None:
        """Make an in-memory table readable by queries under ``name`` (for this session only)."""
        ...

    def query(self, sql: str, time_limit: float | None = None) -> pa.Table:
        """Run one DuckDB-dialect query and return its rows."""
        ...

    def fetch_rows(self, wanted: WantedRows, time_limit: float | None) -> dict[str, pa.Table]:
        """Each dataset's rows whose ``_row`` is wanted (every column, ``_file`` and ``_row`` included)."""
        ...

    def add_derived(self, name: str, store: object | None) -> None:
        """Compute the derived table ``name`` (``jiancha.models.derived``) and make it readable; ``store``
        is the clue store, for derived tables that keep state there (the needs-reading queue)."""
        ...

    def coverage(self, feeds: Mapping[str, Mapping[str, Any]]) -> LakeCoverage:
        """What the lake's feeds cover (jiancha.toml's ``[coverage]`` settings applied)."""
        ...

    def lineage(self) -> tuple[dict[str, str], dict[str, DataLoad]]:
        """Each dataset's current version (sha256) and load, for the run record."""
        ...

    def close(self) -> None: ...


@contextmanager
def _deadline(seconds: float | None, interrupt: Callable[[], None]) -> Iterator[threading.Event]:
    """Call ``interrupt`` from a timer after ``seconds``; the yielded event says whether it fired."""
    fired = threading.Event()
    if not seconds:
        yield fired
        return

    def expire() -> None:
        fired.set()
        interrupt()

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def _timeout_error(seconds: float) -> QueryTimeout:
    return QueryTimeout(
        tr(
            f"查询运行超过 {seconds:g} 秒的时限，已中止；请缩小查询范围，或用 --time-limit 放宽时限。",
            f"The query ran longer than its {seconds:g} s limit and was stopped; "
            "narrow it or raise --time-limit.",
        )
    )


class DuckDBEngine:
    """The workspace lake, attached read-only, with files (but the lake's own), network and settings
    locked away."""

    def __init__(self, lake_path: Path) -> None:
        if not lake_path.exists():
            raise WorkspaceError(
                f"湖仓文件 {lake_path} 不存在：请先用 jiancha ingest 导入块数据，再运行模型。"
            )
        self._con = duckdb.connect(":memory:")
        try:
            self._con.execute(f"ATTACH {sql_str(str(lake_path))} AS lake (READ_ONLY)")
        except duckdb.IOException as exc:
            self._con.close()
            raise WorkspaceError(
                f"无法以只读方式打开湖仓 {lake_path}（可能正有导入在写入）：{exc}。请待写入结束后重试。"
            ) from exc
        self._con.execute("USE lake")
        self._backend: SQLBackend | None = None
        folder = lake_folder(lake_path).resolve()
        attach_views(self._con, folder)
        for setting in (
            *IBIS_SETTINGS,
            f"SET allowed_directories = [{sql_str(str(folder) + '/')}]",
            "SET enable_external_access = false",
            "SET autoinstall_known_extensions = false",
            "SET autoload_known_extensions = false",
            "SET lock_configuration = true",
        ):
            self._con.execute(setting)

    @property
    def backend(self) -> SQLBackend:
        """Ibis over the engine's connection, made when an ``ibis:`` model first asks for it (loading
        Ibis costs half a second that a run of SQL models does not need)."""
        if self._backend is None:
            self._backend = _ibis_backend(self._con)
        return self._backend

    def tables(self) -> set[str]:
        """The lake's tables and the session's registered ones, as Ibis's ``list_tables`` reads them."""
        rows = self._con.execute(
            "SELECT DISTINCT table_name FROM information_schema.tables "
            "WHERE table_catalog IN (current_database(), 'temp') AND table_schema = current_schema()"
        ).fetchall()
        return {name for (name,) in rows}

    def register(self, name: str, table: pa.Table) -> None:
        self._con.register(name, table)

    def query(self, sql: str, time_limit: float | None = None) -> pa.Table:
        """Run DuckDB SQL on DuckDB as written: no sqlglot round trip, so what runs is what was checked."""
        with _deadline(time_limit, self._con.interrupt) as fired:
            try:
                return self._con.execute(sql).to_arrow_table()
            except duckdb.InterruptException:
                if fired.is_set() and time_limit:
                    raise _timeout_error(time_limit) from None
                raise

    def fetch_rows(self, wanted: WantedRows, time_limit: float | None) -> dict[str, pa.Table]:
        """All datasets in one query: each branch returns its rows as one struct column named for its
        dataset, so tables of different shapes share a result without casting any value."""
        if not wanted:
            return {}
        large = {dataset: rows for dataset, rows in wanted.items() if len(rows) > INLINE_ROWS}
        if large:
            self.register(
                WANTED_TABLE,
                pa.table(
                    {
                        "dataset": pa.array([d for d, rows in large.items() for _ in rows], pa.string()),
                        "wanted_row": pa.array([r for rows in large.values() for r in rows], pa.int64()),
                    }
                ),
            )
        branches = [
            f"SELECT '{dataset}' AS {DATASET_COLUMN}, __d AS {quote(dataset)} FROM {quote(dataset)} AS __d "
            f"WHERE __d._row IN ({_wanted_rows_sql(dataset, rows)})"
            for dataset, rows in wanted.items()
        ]
        table = self.query(" UNION ALL BY NAME ".join(branches), time_limit)
        return {dataset: _struct_rows(table, dataset) for dataset in wanted}

    def derived_connection(self) -> duckdb.DuckDBPyConnection:
        """The lake connection the derived-table functions read (tests inspect it too)."""
        return self._con

    def add_derived(self, name: str, store: object | None) -> None:
        from jiancha.models.derived import DERIVED_TABLES

        self.register(name, DERIVED_TABLES[name].compute(self._con, store))

    def coverage(self, feeds: Mapping[str, Mapping[str, Any]]) -> LakeCoverage:
        from jiancha.coverage import read_coverage

        return read_coverage(self._con, feeds)

    def lineage(self) -> tuple[dict[str, str], dict[str, DataLoad]]:
        from jiancha.lake import loaded_versions

        loaded = loaded_versions(self._con)
        return {d: v.sha256 for d, v in loaded.items() if v.sha256}, {d: v.load for d, v in loaded.items()}

    def close(self) -> None:
        self._con.close()


class SparkEngine:
    """A Spark session whose catalog holds the lake's tables as temporary views over its Parquet.

    :meth:`from_lake` registers every table of the lake's manifest (``jiancha.spark.lake``): the
    executors read the files, no dataset passes through the driver. Derived tables are computed
    on Spark (``jiancha.spark.derived``); coverage and lineage come from the lake's small meta
    tables. An engine made over a bare session (tests registering their own tables) has no lake
    meta: its coverage and lineage are empty.
    """

    def __init__(self, session: SparkSession, manifest: Manifest | None = None) -> None:
        import ibis

        self._session = session
        self._manifest = manifest
        self._meta: duckdb.DuckDBPyConnection | None = None
        self.backend = ibis.pyspark.connect(session)

    @classmethod
    def from_lake(cls, session: SparkSession, location: str | Path) -> SparkEngine:
        """The lake at ``location`` (a local folder or a Hadoop URI) registered in ``session``."""
        from jiancha.spark.lake import read_manifest, register_manifest

        manifest = read_manifest(session, location)
        register_manifest(session, manifest)
        return cls(session, manifest)

    def tables(self) -> set[str]:
        return set(self.backend.list_tables())

    def register(self, name: str, table: pa.Table) -> None:
        """A small in-memory table (a reference CSV, wanted row numbers) as a temporary view, straight
        from Arrow: going through pandas would turn NULL numbers into NaN, which Spark treats as a
        number greater than any other."""
        self._session.createDataFrame(table).createOrReplaceTempView(name)

    def query(self, sql: str, time_limit: float | None = None) -> pa.Table:
        """DuckDB SQL transpiled (``jiancha.spark.sql.to_spark``: ordered lists stay ordered)."""
        from jiancha.spark.sql import to_spark

        with _deadline(time_limit, self._session.sparkContext.cancelAllJobs) as fired:
            try:
                return self.backend.sql(to_spark(sql), dialect="spark").to_pyarrow()
            except Exception:
                if fired.is_set() and time_limit:
                    raise _timeout_error(time_limit) from None
                raise

    def fetch_rows(self, wanted: WantedRows, time_limit: float | None) -> dict[str, pa.Table]:
        """One query per dataset: Spark has no row-as-struct shorthand to put them in one."""
        out = {}
        for dataset, rows in wanted.items():
            self.register(WANTED_TABLE, pa.table({"wanted_row": pa.array(sorted(rows), pa.int64())}))
            out[dataset] = self.query(
                f"SELECT * FROM {quote(dataset)} WHERE _row IN (SELECT wanted_row FROM {WANTED_TABLE})",
                time_limit,
            )
        return out

    def add_derived(self, name: str, store: object | None) -> None:
        from jiancha.spark.derived import register_derived

        register_derived(self._session, name, self.tables(), store)

    def _meta_connection(self) -> duckdb.DuckDBPyConnection | None:
        if self._meta is None and self._manifest is not None:
            from jiancha.spark.lake import meta_connection

            self._meta = meta_connection(self._session, self._manifest)
        return self._meta

    def coverage(self, feeds: Mapping[str, Mapping[str, Any]]) -> LakeCoverage:
        from jiancha.coverage import LakeCoverage, read_coverage

        meta = self._meta_connection()
        return LakeCoverage({}) if meta is None else read_coverage(meta, feeds)

    def lineage(self) -> tuple[dict[str, str], dict[str, DataLoad]]:
        from jiancha.spark.lake import lineage

        meta = self._meta_connection()
        if meta is None or self._manifest is None:
            return {}, {}
        return lineage(meta, set(self._manifest.of_kind("dataset")))

    def close(self) -> None:
        """Close the meta connection; the session belongs to the caller, who stops it."""
        if self._meta is not None:
            self._meta.close()


def _wanted_rows_sql(dataset: str, rows: Collection[int]) -> str:
    """A short list of row numbers written out (DuckDB prunes the scan with it); a long one read from
    the registered table (a long literal list costs more to plan than the join)."""
    if len(rows) <= INLINE_ROWS:
        return ", ".join(str(int(row)) for row in sorted(rows))
    return f"SELECT wanted_row FROM {WANTED_TABLE} WHERE dataset = '{dataset}'"


def _struct_rows(table: pa.Table, dataset: str) -> pa.Table:
    """The rows of ``dataset`` in a :meth:`DuckDBEngine.fetch_rows` result, its struct column unpacked."""
    rows = table.filter(pc.equal(table.column(DATASET_COLUMN), dataset)).column(dataset).combine_chunks()
    return pa.Table.from_arrays(rows.flatten(), names=[field.name for field in rows.type])


def _ibis_backend(con: duckdb.DuckDBPyConnection) -> SQLBackend:
    """Ibis's DuckDB backend over ``con`` without its connection set-up, whose settings
    (:data:`IBIS_SETTINGS`) the locked connection already holds and would refuse to take again."""
    from ibis.backends.duckdb import Backend

    class _Preset(Backend):
        def _post_connect(self, extensions: object = None) -> None:
            self._record_batch_readers_consumed = {}

    return _Preset.from_connection(con)
