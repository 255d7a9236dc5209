"""Atomic loading of one file into its dataset table, with lineage and rejections.

The file is first staged into ``_stage_<dataset>`` (committed, but invisible to
readers, who only know dataset names); rejected and duplicate rows are moved to
``_stage_rej_<dataset>`` and deleted from the stage. Then ONE transaction drops
the old table, renames the stage into its place, and records the rejections, the
period a continuous feed covers (``_coverage``, ``jiancha.coverage``) and the
``_loads`` row. A crash or Ctrl-C before the commit leaves the previous
version and its lineage intact; leftover stage tables are dropped next time.
Renaming rather than copying keeps a 10⁸-row load close to the cost of one scan.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
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
from jiancha.ingest.lineage import current_load, next_load_id
from jiancha.ingest.merge import merge_query
from jiancha.ingest.progress import LoadProgress
from jiancha.ingest.readers import CSV_REJECTS, Source, typed_csv
from jiancha.ingest.report import FileResult
from jiancha.ingest.validate import stage_query

#: Test hook: seconds to sleep inside the load transaction (announced on stderr), so a test
#: can kill the process exactly there and check the previous version survives.
PAUSE_ENV = "JIANCHA_TEST_PAUSE_IN_LOAD"


@dataclass(frozen=True)
class Attempt:
    """Who loads which file when: the lineage every outcome records."""

    dataset: str
    file_name: str
    facts: FileFacts
    started_at: datetime


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def _record(
    con: duckdb.DuckDBPyConnection, attempt: Attempt, result: FileResult, replaced: int | None
) -> None:
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
    con.execute(f"INSERT INTO _loads VALUES ({values})")


def record_outcome(con: duckdb.DuckDBPyConnection, attempt: Attempt, status: str, message: str) -> FileResult:
    """Record an attempt that changed no data (unchanged or refused file); refusals also go to rejections."""
    result = FileResult(
        attempt.file_name, attempt.dataset, status, message=message, load_id=next_load_id(con)
    )
    con.execute("BEGIN")
    _record(con, attempt, result, None)
    if status == "rejected_file":
        values = sql_values(result.load_id, attempt.dataset, attempt.file_name, None, None, None, message)
        con.execute(f"INSERT INTO _rejections VALUES ({values}, 'error')")
    con.execute("COMMIT")
    return result


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
    con.execute(f"CREATE TABLE {rej} AS {' UNION ALL '.join(parts)}")
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
    con.execute(f"CREATE TABLE {table} ({_schema(columns, file_name)})")
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
    *,
    merge: bool = False,
) -> FileResult:
    """Move the staged rows into place and record lineage, in one transaction.

    ``merge``: keep the rows of the current version the file does not restate
    (``jiancha.ingest.merge``) instead of replacing it.
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
        load_id=next_load_id(con),
        message=_merged_message(merged.kept) if merged else None,
    )
    con.execute("BEGIN")
    try:
        if merged is not None:
            con.execute(f"CREATE TABLE {sql_ident('_stage_merge_' + ds.name)} AS {merged.sql}")
            con.execute(f"DROP TABLE {table}")
            table = sql_ident("_stage_merge_" + ds.name)
        con.execute(f"DROP TABLE IF EXISTS {sql_ident(ds.name)}")
        con.execute(f"ALTER TABLE {table} RENAME TO {sql_ident(ds.name)}")
        values = sql_values(result.load_id, ds.name, attempt.file_name)
        con.execute(
            f"INSERT INTO _rejections SELECT {values}, row, field, value, reason, severity FROM {rej} "
            "ORDER BY row NULLS FIRST, n"
        )
        con.execute(f"DROP TABLE {rej}")
        if covered := record_sql(ds, sql_ident(ds.name), result.load_id):
            con.execute(covered)
        _record(con, attempt, result, replaced.load_id if replaced else None)
        if pause := os.environ.get(PAUSE_ENV):
            print(PAUSE_ENV, file=sys.stderr, flush=True)
            time.sleep(float(pause))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result
