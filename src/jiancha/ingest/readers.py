"""Readers: each file format becomes a :class:`Source`, one SQL relation DuckDB can scan.

A source exposes the file's header cells, the SQL name of the column holding
each one, its DuckDB type, and ``_row`` — the row number a spreadsheet shows.
From there every format goes through the same coercion and validation SQL.
CSV is scanned by DuckDB's reader (streaming, parallel); xlsx rows are read
with python-calamine into an Arrow table of text; parquet is scanned natively.
A CSV is first tried with the contract's native column types (:func:`typed_csv`),
which reads and stores canonical files about twice as cheaply as text.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from jiancha.contracts import Dataset
from jiancha.errors import ContractError
from jiancha.i18n import tr
from jiancha.ingest.coerce import (
    CSV_DATE_FORMAT,
    CSV_DATETIME_FORMAT,
    csv_native_type,
    sql_ident,
    sql_str,
)
from jiancha.ingest.headers import HeaderMap
from jiancha.ingest.sniff import PARQUET, XLSX, ZIP, check_kind, truncated
from jiancha.ingest.workbook import read_first_sheet

#: Temporary tables DuckDB fills with the CSV lines it could not parse.
CSV_REJECTS = "_jc_csv_rejects"
CSV_SCANS = "_jc_csv_scans"
#: The Arrow table of an xlsx sheet, registered on the connection while it loads.
XLSX_VIEW = "_jc_xlsx_source"


@dataclass(frozen=True)
class Source:
    """A file as DuckDB sees it: a relation with ``_row`` and one column per header cell."""

    relation: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]
    types: tuple[str, ...]
    #: Lines DuckDB cannot split are skipped into :data:`CSV_REJECTS`.
    malformed_lines: bool = False
    #: The CSV file scanned (None for other formats): ``_row`` is numbered once the rows are staged.
    path: Path | None = None
    #: A typed CSV read: a cell whose problem must be reported with its own text stops the
    #: statement, so that the text read runs instead (see ``jiancha.ingest.validate``).
    guarded: bool = False


def _empty(name: str) -> ContractError:
    return ContractError(
        tr(
            f"文件 {name} 是空文件，没有表头也没有数据；未导入。",
            f"File {name} is empty: no header, no rows.",
        )
    )


def _csv_header(path: Path, display: str) -> list[str]:
    """The first record of a UTF-8 CSV (BOM dropped), read with Python's csv for exact quoting."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            header = next(csv.reader(fh), None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ContractError(
                tr(
                    f"文件 {display} 的表头行无法解析：{exc}。",
                    f"File {display}: the header row is unreadable: {exc}.",
                )
            ) from exc
    if not header or all(not h.strip() for h in header):
        raise _empty(display)
    return header


_CSV_OPTIONS = (
    "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true"
)


def _read_csv(path: Path, columns: tuple[str, ...], types: tuple[str, ...], options: str) -> str:
    """The scan of a CSV with the given column types; ``_row`` is left NULL."""
    spec = "{" + ", ".join(f"{sql_str(c)}: {sql_str(t)}" for c, t in zip(columns, types, strict=True)) + "}"
    return (
        f"(SELECT CAST(NULL AS BIGINT) AS _row, * FROM read_csv({sql_str(str(path))}, {_CSV_OPTIONS}, "
        f"columns = {spec}, {options}))"
    )


def csv_source(path: Path, display: str) -> Source:
    """A CSV (already UTF-8) scanned as text; lines DuckDB cannot split land in :data:`CSV_REJECTS`.

    ``_row`` is left NULL here and numbered from the staged table's order afterwards
    (``jiancha.ingest.load``), counting records, so a quoted multi-line cell is one row.
    """
    headers = _csv_header(path, display)
    columns = tuple(f"c{i}" for i in range(len(headers)))
    types = ("VARCHAR",) * len(columns)
    options = (
        f"ignore_errors = true, store_rejects = true, rejects_table = '{CSV_REJECTS}', "
        f"rejects_scan = '{CSV_SCANS}'"
    )
    relation = _read_csv(path, columns, types, options)
    return Source(relation, tuple(headers), columns, types, malformed_lines=True, path=path)


def typed_csv(source: Source, ds: Dataset, header: HeaderMap) -> Source | None:
    """The CSV of ``source`` read strictly with the native type of each field that has one.

    Parsing numbers and times in the reader and storing them typed costs about half
    of reading every cell as text and coercing it. Any line DuckDB cannot split or
    cell it cannot parse fails the whole statement (no rejects table), and the
    caller then reads the file as text. None when no column would be typed.
    """
    types = list(source.types)
    for name, pos in header.fields.items():
        types[pos] = csv_native_type(ds.field(name)) or types[pos]
    if source.path is None or all(t == "VARCHAR" for t in types):
        return None
    options = f"timestampformat = {sql_str(CSV_DATETIME_FORMAT)}, dateformat = {sql_str(CSV_DATE_FORMAT)}"
    relation = _read_csv(source.path, source.columns, tuple(types), options)
    return Source(relation, source.headers, source.columns, tuple(types), path=source.path, guarded=True)


def _parquet_complete(path: Path) -> bool:
    """Whether a parquet file ends with its footer's magic bytes (a cut-off copy does not)."""
    with path.open("rb") as fh:
        fh.seek(-4, 2)
        return fh.read(4) == b"PAR1"


def parquet_source(con: duckdb.DuckDBPyConnection, path: Path, display: str) -> Source:
    """A parquet file scanned natively; ``_row`` is the file position + 2, as for a spreadsheet."""
    check_kind(path, display, PARQUET)
    if not _parquet_complete(path):
        raise truncated(display, PARQUET, tr("末尾缺少结束标记", "no footer at its end"))
    scan = f"read_parquet({sql_str(str(path))}, file_row_number = true)"
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
    except duckdb.Error as exc:
        raise ContractError(
            tr(
                f"文件 {display} 不是可读的 parquet 文件：{exc}",
                f"File {display} is not a readable parquet file: {exc}",
            )
        ) from exc
    cols = [(name, typ) for name, typ, *_ in described if name != "file_row_number"]
    if not cols:
        raise _empty(display)
    relation = f"(SELECT file_row_number + 2 AS _row, * EXCLUDE (file_row_number) FROM {scan})"
    return Source(
        relation,
        tuple(name for name, _ in cols),
        tuple(sql_ident(name) for name, _ in cols),
        tuple(typ for _, typ in cols),
    )


def xlsx_source(con: duckdb.DuckDBPyConnection, ds: Dataset, path: Path, display: str) -> Source:
    """The first sheet of a workbook, registered on the connection as an Arrow table of text."""
    check_kind(path, display, ZIP)
    if not zipfile.is_zipfile(path):
        raise truncated(display, XLSX, tr("zip 目录缺失", "its zip directory is missing"))
    sheet = read_first_sheet(ds, path, display)
    if sheet.table.num_rows == 0 and not sheet.headers:
        raise _empty(display)
    con.register(XLSX_VIEW, sheet.table)
    columns = tuple(f"c{i}" for i in range(len(sheet.headers)))
    return Source(XLSX_VIEW, sheet.headers, columns, ("VARCHAR",) * len(columns))


def release_sources(con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
    """Free what a loaded file held: the registered sheet and any transcoded copy in ``tmp``."""
    con.unregister(XLSX_VIEW)
    for leftover in tmp.iterdir():
        leftover.unlink()
