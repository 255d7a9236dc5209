"""Atomic loading of a drop's files as their datasets' next versions, with lineage and rejections.

Each file is first staged into the TEMP table ``_stage_<dataset>`` (in memory, spilling
to disk: never written to ``lake.duckdb``); rejected and duplicate rows are moved to
``_stage_rej_<dataset>`` and deleted from the stage. The stage is then written once, as
the version's Parquet files (``lake/data/<dataset>/<load_id>/``, ``jiancha.lake.versions``),
and the file's outcome becomes a list of statements (:class:`Outcome`). ONE transaction for
the whole drop (:func:`publish`) runs them all: it records the rejections, the period a
continuous feed covers (``_coverage``, ``jiancha.coverage``) and the ``_loads`` rows that
make the versions current. A crash or Ctrl-C before the commit leaves every previous
version and its lineage intact (the drop is in or out as a whole; the unclaimed folders
are removed by the next writer); after it, the manifest is rewritten
(``jiancha.lake.manifest``), or repaired by the next writer.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from jiancha.clues.masking import mask_sql
from jiancha.contracts import Dataset
from jiancha.coverage import record_sql
from jiancha.i18n import tr
from jiancha.ingest.coerce import sql_ident, sql_str, sql_values
from jiancha.ingest.encoding import FileFacts
from jiancha.ingest.headers import HeaderMap
from jiancha.ingest.lineage import current_load
from jiancha.ingest.merge import merge_query
from jiancha.ingest.progress import LoadProgress
from jiancha.ingest.readers import CSV_REJECTS, Source, typed_csv
from jiancha.ingest.report import FileResult
from jiancha.ingest.validate import stage_query
from jiancha.lake.layout import Version, attach_views, connection_folder
from jiancha.lake.manifest import publish as write_manifest
from jiancha.lake.versions import discard, write_version
from jiancha.pauses import BEFORE_MANIFEST, IN_LOAD, pause

#: Test hooks (``jiancha.pauses``): inside the drop's transaction, so a test can kill the
#: process exactly there and check the previous versions survive; after its commit, before
#: the manifest is rewritten.
PAUSE_ENV = IN_LOAD
PAUSE_PUBLISH_ENV = BEFORE_MANIFEST


@dataclass(frozen=True)
class Attempt:
    """Who loads which file when: the lineage every outcome records."""

    dataset: str
    file_name: str
    facts: FileFacts
    started_at: datetime


@dataclass(frozen=True)
class Outcome:
    """One file's outcome, and the statements that make it visible in the drop's transaction."""

    result: FileResult
    statements: tuple[str, ...]
    #: The dataset whose stage it read and the Parquet version it wrote (a loaded file only).
    dataset: Dataset | None = None
    version: Version | None = None


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _record(attempt: Attempt, result: FileResult, replaced: int | None) -> str:
    """The ``_loads`` row of one attempt."""
    counts = (result.rows_read, result.rows_loaded, result.rows_rejected, result.warnings)
    values = sql_values(
        result.load_id,
        attempt.dataset,
        attempt.file_name,
        attempt.facts.sha256,
        attempt.facts.size_bytes,
        attempt.facts.encoding,
        *(counts if result.status == "loaded" else (None,) * len(counts)),
        attempt.started_at,
        datetime.now(),
        os_user(),
        result.status,
        replaced,
        result.message,
    )
    return f"INSERT INTO _loads VALUES ({values})"


def record_outcome(attempt: Attempt, status: str, message: str, load_id: int) -> Outcome:
    """An attempt that changed no data (unchanged or refused file); refusals also go to rejections."""
    result = FileResult(attempt.file_name, attempt.dataset, status, message=message, load_id=load_id)
    statements = [_record(attempt, result, None)]
    if status == "rejected_file":
        values = sql_values(result.load_id, attempt.dataset, attempt.file_name, None, None, None, message)
        statements.append(f"INSERT INTO _rejections VALUES ({values}, 'error')")
    return Outcome(result, tuple(statements))


def unchanged(con: duckdb.DuckDBPyConnection, attempt: Attempt) -> bool:
    """Whether the file's bytes are those of the dataset's current version."""
    current = current_load(con, attempt.dataset)
    return current is not None and current.sha256 == attempt.facts.sha256


def _stage_names(ds: Dataset) -> tuple[str, str]:
    return sql_ident(f"_stage_{ds.name}"), sql_ident(f"_stage_rej_{ds.name}")


def drop_stage(con: duckdb.DuckDBPyConnection, ds: Dataset) -> None:
    for name in _stage_names(ds):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _number_csv_rows(con: duckdb.DuckDBPyConnection, stage: str, skipped: int) -> None:
    """Set ``_row`` to the spreadsheet row of each staged CSV record.

    The stage keeps the reader's order (``preserve_insertion_order``), so record k
    (0-based ``rowid``) would be row k + 2 — numbering it afterwards costs less than
    a ``row_number()`` inside the parallel scan. Lines DuckDB could not split were
    skipped: a survivor comes after the i-th skipped row r_i when r_i - i < its
    provisional number, and moves down one row for each.
    """
    shift = (
        f"""coalesce((SELECT max(i) FROM (SELECT line - row_number() OVER (ORDER BY line) AS pivot,
                                         row_number() OVER (ORDER BY line) AS i
                                  FROM (SELECT DISTINCT line FROM {CSV_REJECTS})) b
              WHERE b.pivot < {stage}.rowid + 2), 0)"""
        if skipped
        else "0"
    )
    con.execute(f"UPDATE {stage} SET _row = rowid + 2 + {shift}")


def _malformed_sql() -> str:
    reason = tr("该行无法按 CSV 拆分：", "the line cannot be split as CSV: ")
    return (
        f"SELECT line AS row, 0 AS n, NULL AS field, any_value(csv_line) AS value, "
        f"{sql_str(reason)} || string_agg(DISTINCT error_message, '; ') AS reason, 'error' AS severity "
        f"FROM {CSV_REJECTS} GROUP BY line"
    )


#: A staged row no issue rejects (only rows that stay count as a key's first occurrence).
_KEPT = "(_issues IS NULL OR NOT list_contains(list_transform(_issues, i -> i.severity), 'error'))"


def _duplicates_sql(ds: Dataset, stage: str) -> str:
    keys = ", ".join(sql_ident(k) for k in ds.key)
    values = " || '|' || ".join(f"CAST({sql_ident(k)} AS VARCHAR)" for k in ds.key)
    key_list = ", ".join(ds.key)
    before, after = (
        tr("与第 ", "repeats the key of row "),
        tr(f" 行的键（{key_list}）重复，保留第一行", f" ({key_list}); the first is kept"),
    )
    return (
        f"SELECT _row AS row, 1000 AS n, {sql_str(','.join(ds.key))} AS field, {values} AS value, "
        f"{sql_str(before)} || first_row || {sql_str(after)} AS reason, 'error' AS severity "
        f"FROM (SELECT _row, {keys}, min(_row) OVER (PARTITION BY {keys}) AS first_row "
        f"FROM {stage} WHERE {_KEPT}) WHERE _row <> first_row"
    )


def _mask_personal(con: duckdb.DuckDBPyConnection, ds: Dataset, rej: str) -> None:
    """Mask rejected values of personal fields before they reach ``_rejections``.

    A rejected value is kept nowhere else in the lake, and the record is read by data
    officers and sent back to agencies; the row number finds the cell in the source file.
    A line that could not be split (no field) and a repeated key that includes a personal
    field are masked whole.
    """
    personal = [f.name for f in ds.fields if f.personal]
    if not personal:
        return
    fields = personal + ([",".join(ds.key)] if set(ds.key) & set(personal) else [])
    names = ", ".join(sql_str(f) for f in fields)
    con.execute(f"UPDATE {rej} SET value = {mask_sql('value')} WHERE field IN ({names}) OR field IS NULL")


def _collect_rejections(con: duckdb.DuckDBPyConnection, ds: Dataset, source: Source) -> None:
    stage, rej = _stage_names(ds)
    parts = [
        f"SELECT _row AS row, n, i.field, i.value, i.reason, i.severity FROM (SELECT _row, "
        f"unnest(_issues) AS i, generate_subscripts(_issues, 1) AS n FROM {stage} WHERE _issues IS NOT NULL)"
    ]
    if source.malformed_lines:
        parts.append(_malformed_sql())
    if ds.key:
        parts.append(_duplicates_sql(ds, stage))
    con.execute(f"CREATE TEMP TABLE {rej} AS {' UNION ALL '.join(parts)}")
    _mask_personal(con, ds, rej)
    con.execute(f"DELETE FROM {stage} WHERE _row IN (SELECT row FROM {rej} WHERE severity = 'error')")
    con.execute(f"ALTER TABLE {stage} DROP COLUMN _issues")


def _counts(con: duckdb.DuckDBPyConnection, ds: Dataset) -> tuple[int, int, int]:
    """(rows loaded, rows rejected, warnings) after rejected rows left the stage."""
    stage, rej = _stage_names(ds)
    loaded = con.execute(f"SELECT count(*) FROM {stage}").fetchone()[0]
    rejected, warnings = con.execute(
        f"SELECT count(DISTINCT row) FILTER (WHERE severity = 'error'), "
        f"count(*) FILTER (WHERE severity = 'warning') FROM {rej}"
    ).fetchone()
    return int(loaded), int(rejected), int(warnings)


def _schema(columns: list[tuple], file_name: str) -> str:
    """The stage table's columns: the staging query's, with ``_file`` as a virtual constant.

    One file is one dataset version, so ``_file`` is the same in every row; declared
    ``GENERATED ALWAYS AS ('<file>') VIRTUAL`` it costs nothing, where storing and
    compressing it row by row took about a quarter of a parquet load.
    """
    spec = []
    for name, typ, *_ in columns:
        if name == "_row":
            spec.append(f"_file VARCHAR GENERATED ALWAYS AS ({sql_str(file_name)}) VIRTUAL")
        spec.append(f"{sql_ident(name)} {typ}")
    return ", ".join(spec)


def _scan(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    source: Source,
    header: HeaderMap,
    file_name: str,
    progress: LoadProgress,
) -> None:
    """Create the stage table and fill it in one scan of the source."""
    table, _ = _stage_names(ds)
    if source.malformed_lines:
        con.execute(f"DROP TABLE IF EXISTS {CSV_REJECTS}")
    query = stage_query(ds, source, header)
    columns = con.execute(f"DESCRIBE {query}").fetchall()
    con.execute(f"CREATE TEMP TABLE {table} ({_schema(columns, file_name)})")
    progress.execute(
        con,
        f"INSERT INTO {table} BY NAME {query}",
        tr(f"载入 {file_name}", f"Loading {file_name}"),
    )


def _scan_typed(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    source: Source,
    header: HeaderMap,
    file_name: str,
    progress: LoadProgress,
) -> Source | None:
    """Stage a CSV read with native types; None (and no stage table) when it gave way."""
    typed = typed_csv(source, ds, header)
    if typed is None:
        return None
    try:
        _scan(con, ds, typed, header, file_name, progress)
    except duckdb.InterruptException:
        raise
    except duckdb.Error:
        drop_stage(con, ds)
        return None
    return typed


def stage(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    source: Source,
    header: HeaderMap,
    file_name: str,
    progress: LoadProgress,
) -> tuple[int, Source]:
    """Scan the file into the stage table: (records the file holds, the source that was staged).

    A CSV is tried with native types first and read as text only if that gives way.
    """
    table, _ = _stage_names(ds)
    drop_stage(con, ds)
    staged = _scan_typed(con, ds, source, header, file_name, progress)
    if staged is None:
        staged = source
        _scan(con, ds, source, header, file_name, progress)
    read = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    skipped = 0
    if staged.malformed_lines:
        skipped = con.execute(f"SELECT count(DISTINCT line) FROM {CSV_REJECTS}").fetchone()[0]
    if staged.path is not None:
        _number_csv_rows(con, table, skipped)
    return int(read + skipped), staged


def _merged_message(kept: int) -> str:
    return tr(
        f"已与原有数据合并：保留原有 {kept:,} 行，本文件重述的行以本文件为准。",
        f"Merged with the data already held: {kept:,} earlier rows kept; "
        "rows this file restates are its own.",
    )


def commit(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    source: Source,
    attempt: Attempt,
    rows_read: int,
    load_id: int,
    progress: LoadProgress,
    *,
    merge: bool = False,
) -> Outcome:
    """Write the staged rows as the dataset's next Parquet version; the statements that record
    it and its rejections (run by :func:`publish`, with the rest of the drop).

    ``merge``: keep the rows of the current version the file does not restate
    (``jiancha.ingest.merge``) instead of replacing it. The version's folder is renamed
    into place before the transaction that makes it current; should the transaction fail,
    the folder is removed (after a crash, by the next writer), so readers never see it.
    """
    table, rej = _stage_names(ds)
    _collect_rejections(con, ds, source)
    loaded, rejected, warnings = _counts(con, ds)
    replaced = current_load(con, ds.name)
    merged = merge_query(con, ds, table) if merge else None
    result = FileResult(
        attempt.file_name,
        ds.name,
        "loaded",
        rows_read=rows_read,
        rows_loaded=loaded,
        rows_rejected=rejected,
        warnings=warnings,
        load_id=load_id,
        message=_merged_message(merged.kept) if merged else None,
    )
    folder = connection_folder(con)
    version = Version(ds.name, "dataset", str(result.load_id))
    rows = f"SELECT * FROM {table}" if merged is None else merged.sql
    write_version(
        con,
        folder,
        version,
        rows,
        rows=loaded + (merged.kept if merged else 0),
        run=lambda sql: progress.execute(con, sql, tr(f"写入 {ds.name} 的新版本", f"Writing {ds.name}")),
    )
    values = sql_values(result.load_id, ds.name, attempt.file_name)
    statements = [
        f"INSERT INTO _rejections SELECT {values}, row, field, value, reason, severity FROM {rej} "
        "ORDER BY row NULLS FIRST, n"
    ]
    if covered := record_sql(ds, table if merged is None else f"({rows})", result.load_id):
        statements.append(covered)
    statements.append(_record(attempt, result, replaced.load_id if replaced else None))
    return Outcome(result, tuple(statements), ds, version)


def publish(con: duckdb.DuckDBPyConnection, outcomes: Sequence[Outcome]) -> None:
    """Make every file's outcome visible at once, in one transaction: the drop is in or out whole.
    Then the stages go, the views follow the new versions and the manifest is rewritten."""
    folder = connection_folder(con)
    con.execute("BEGIN")
    try:
        for outcome in outcomes:
            for statement in outcome.statements:
                con.execute(statement)
        pause(IN_LOAD)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        for outcome in outcomes:
            if outcome.version is not None:
                discard(folder, outcome.version)
        raise
    for outcome in outcomes:
        if outcome.dataset is not None:
            drop_stage(con, outcome.dataset)
    attach_views(con, folder)
    pause(BEFORE_MANIFEST)
    write_manifest(con, folder)
