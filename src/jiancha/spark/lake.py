"""The Parquet lake (format 2) as Spark temporary views, read by the executors.

``manifest.json`` is the one file read first (through Spark, so a local path, ``file://``,
``s3a://`` and ``hdfs://`` are read alike); each table it lists is then a
``spark.read.parquet`` over its version's folder, the hive partition column ``_month``
dropped, registered as a temporary view named for the table. No row passes through the
driver. The layout is described in ARCHITECTURE.md ("The lake").
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiancha.errors import WorkspaceError
from jiancha.findings import DataLoad
from jiancha.i18n import tr

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa
    from pyspark.sql import SparkSession

FORMAT = 2
MANIFEST = "manifest.json"
#: The hive partition column of the big series: a path segment, never part of the table.
PARTITION_COLUMN = "_month"
#: The convert command named to whoever holds a lake of an older version.
CONVERT = "jiancha lake convert"


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` lists: each table's kind (dataset, derived, meta), version and path."""

    uri: str
    tables: dict[str, dict[str, Any]]

    def of_kind(self, kind: str) -> list[str]:
        return sorted(name for name, entry in self.tables.items() if entry.get("kind") == kind)

    def location(self, name: str) -> str:
        return f"{self.uri}/{self.tables[name]['path']}"


def lake_uri(location: str | Path) -> str:
    """A lake location as Spark reads it: a local path made absolute, a URI (``s3a://`` …) as given."""
    text = str(location)
    if "://" in text or text.startswith("file:"):
        return text.rstrip("/")
    return str(Path(text).expanduser().resolve())


def _old_format_message(uri: str) -> str:
    return tr(
        f"{uri} 是旧版本 jiancha 写下的数据湖（数据在 lake.duckdb 中，没有 Parquet 文件与 {MANIFEST}）；"
        f"Spark 读不了它：请先运行 {CONVERT} 把它转换为 Parquet 数据湖，再运行。",
        f"{uri} is a lake written by an older jiancha (rows inside lake.duckdb, no Parquet files or "
        f"{MANIFEST}); Spark cannot read it: run `{CONVERT}` to convert it to the Parquet lake first.",
    )


def _missing_manifest(uri: str) -> WorkspaceError:
    local = Path(uri.removeprefix("file://")) if "://" not in uri or uri.startswith("file://") else None
    if local is not None and (local.with_name("lake.duckdb").exists() or local.suffix == ".duckdb"):
        return WorkspaceError(_old_format_message(uri))
    return WorkspaceError(
        tr(
            f"在 {uri} 找不到数据湖清单 {MANIFEST}：请用 --lake 指向工作区的 lake 文件夹"
            f"（或它复制到对象存储/HDFS 后的位置）；若数据湖由旧版本写下，先运行 {CONVERT}。",
            f"No lake manifest {MANIFEST} at {uri}: point --lake at the workspace's lake folder (or "
            f"where it was copied on the object store or HDFS); if an older jiancha wrote it, run "
            f"`{CONVERT}` first.",
        )
    )


def read_manifest(session: SparkSession, location: str | Path) -> Manifest:
    """The lake's manifest, read through Spark; a sentence naming what to do when it is absent,
    unreadable or of another format."""
    uri = lake_uri(location)
    try:
        rows = session.read.text(f"{uri}/{MANIFEST}", wholetext=True).collect()
    except Exception as exc:  # Spark's AnalysisException [PATH_NOT_FOUND] and Hadoop FS errors
        if "PATH_NOT_FOUND" in str(exc) or "FileNotFoundException" in str(exc):
            raise _missing_manifest(uri) from None
        raise WorkspaceError(
            tr(f"无法读取 {uri}/{MANIFEST}：{exc}", f"Cannot read {uri}/{MANIFEST}: {exc}")
        ) from exc
    if not rows:
        raise _missing_manifest(uri)
    try:
        manifest = json.loads(rows[0][0])
    except json.JSONDecodeError as exc:
        raise WorkspaceError(
            tr(
                f"{uri}/{MANIFEST} 不是有效的 JSON（第 {exc.lineno} 行：{exc.msg}）；请重新复制该文件夹。",
                f"{uri}/{MANIFEST} is not valid JSON (line {exc.lineno}: {exc.msg}); copy the folder again.",
            )
        ) from exc
    if manifest.get("format") != FORMAT:
        raise WorkspaceError(
            tr(
                f"{uri}/{MANIFEST} 的格式为 {manifest.get('format')!r}，本版本读取格式 {FORMAT}；"
                f"请运行 {CONVERT} 转换。",
                f"{uri}/{MANIFEST} is of format {manifest.get('format')!r}; this version reads format "
                f"{FORMAT}: run `{CONVERT}`.",
            )
        )
    return Manifest(uri, dict(manifest.get("tables", {})))


def register_lake(session: SparkSession, location: str | Path) -> set[str]:
    """Register every table of the lake's manifest as a temporary view; the names registered."""
    return register_manifest(session, read_manifest(session, location))


#: Spark's type for each lake type of the manifest (for a table with no rows, hence no files).
SPARK_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp_ntz",
    "VARCHAR[]": "array<string>",
}


def read_small_file(session: SparkSession, uri: str) -> bytes:
    """One small file's bytes, read on the driver through Hadoop's FileSystem (any scheme Spark reads).

    The meta snapshots are named ``meta/_loads.parquet`` …, and Spark's file sources skip every
    file whose name starts with ``_`` (Hadoop's hidden files), even one named explicitly.
    """
    jvm = session._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    stream = path.getFileSystem(session._jsc.hadoopConfiguration()).open(path)
    try:
        return bytes(jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
    finally:
        stream.close()


def meta_tables(session: SparkSession, manifest: Manifest) -> dict[str, pa.Table]:
    """The manifest's meta tables (``_loads``, ``_coverage``, ``_rejections``; a few thousand rows)."""
    import pyarrow.parquet as pq

    return {
        name: pq.read_table(io.BytesIO(read_small_file(session, manifest.location(name))))
        for name in manifest.of_kind("meta")
    }


def register_manifest(session: SparkSession, manifest: Manifest) -> set[str]:
    """Each manifest table as a view over its Parquet files, ``_month`` dropped; the meta tables,
    which are small, from the driver (see :func:`read_small_file`)."""
    for name, table in meta_tables(session, manifest).items():
        session.createDataFrame(table).createOrReplaceTempView(name)
    for name, entry in manifest.tables.items():
        if entry.get("kind") == "meta":
            continue
        if entry.get("rows") == 0 and entry.get("columns"):
            ddl = ", ".join(f"`{c}` {SPARK_TYPES.get(t, 'string')}" for c, t in entry["columns"])
            session.createDataFrame([], ddl).createOrReplaceTempView(name)
            continue
        frame = session.read.parquet(manifest.location(name))
        if PARTITION_COLUMN in frame.columns:
            frame = frame.drop(PARTITION_COLUMN)
        frame.createOrReplaceTempView(name)
    return set(manifest.tables)


def meta_connection(session: SparkSession, manifest: Manifest) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the lake's small meta tables (``_loads``, ``_coverage``,
    ``_rejections``), so coverage and lineage are read by the same functions as on the laptop."""
    import duckdb

    con = duckdb.connect(":memory:")
    for name, table in meta_tables(session, manifest).items():
        con.register("__meta", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM __meta')
        con.unregister("__meta")
    return con


def lineage(con: duckdb.DuckDBPyConnection, datasets: set[str]) -> tuple[dict[str, str], dict[str, DataLoad]]:
    """Each present dataset's current version (sha256) and load, from the meta tables in ``con``."""
    from jiancha.lake import CURRENT_LOADS

    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_loads'").fetchone()[0]:
        return {}, {}
    rows = con.execute(
        f"SELECT dataset, sha256, file_name, finished_at FROM ({CURRENT_LOADS}) ORDER BY dataset"
    ).fetchall()
    present = [row for row in rows if row[0] in datasets]
    return (
        {dataset: sha for dataset, sha, _, _ in present},
        {dataset: DataLoad(file, at) for dataset, _, file, at in present},
    )
