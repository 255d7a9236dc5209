"""Type coercion in DuckDB SQL: every spelling the contract allows, per type.

Coercion runs inside DuckDB rather than per row in Python so that a file of
millions of rows converts at the speed of a scan. Each contract type has a
temporary macro (installed on the ingest connection by :func:`install_macros`)
that turns trimmed text into the lake type, or NULL when the text is not a valid
spelling; the validator reports a non-empty cell that became NULL as unreadable.
Where DuckDB's own cast reads the common ISO spelling it runs first (it is several
times faster than ``strptime`` with a list of formats), the other spellings after;
the cast silently drops UTC offsets, so it only sees 19-character ``…HH:MM:SS`` text.
DuckDB's ``strptime`` reads ``infinity`` and ``epoch`` as 1900-01-01 whatever the
format, so only text starting with a digit reaches it.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from jiancha.contracts import Field, FieldType
from jiancha.i18n import tr

#: Cell texts Excel writes for a formula that failed; never a real value.
EXCEL_ERRORS = ("#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")

#: Characters stripped from both ends of every cell (ASCII and full-width blanks).
BLANKS = " \t\r\n\u3000\ufeff"

_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S"]
_DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
]
_MONTH_FORMATS = ["%Y-%m", "%Y/%m", "%Y年%m月"]
#: The formats a typed CSV read parses dates and date-times with: each is the first of
#: its type's list, so a cell it reads gets the value the text path would give it
#: (except ``infinity``/``epoch``, read as :data:`STRPTIME_SPECIAL`).
CSV_DATE_FORMAT = _DATE_FORMATS[0]
CSV_DATETIME_FORMAT = _DATETIME_FORMATS[0]
STRPTIME_SPECIAL = "DATE '1900-01-01'"
_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"
_LIST_SEPARATORS = "[;；、,]"


def sql_str(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_values(*values: object) -> str:
    """DuckDB literals for lineage values (None, int, text, datetime), comma-separated.

    Binding Python parameters instead would make DuckDB import pandas: about 0.4 s of
    CPU per ingest, a third of loading a million-row parquet file.
    """
    return ", ".join(_literal(v) for v in values)


def _literal(value: object) -> str:
    match value:
        case None:
            return "NULL"
        case int():
            return str(value)
        case datetime():
            return f"TIMESTAMP {sql_str(value.isoformat(sep=' '))}"
    return sql_str(str(value))


def sql_ident(name: str) -> str:
    """A quoted DuckDB identifier (headers may be Chinese or hold any character)."""
    return '"' + name.replace('"', '""') + '"'


def _formats(formats: list[str]) -> str:
    return "[" + ", ".join(sql_str(f) for f in formats) + "]"


_MACROS = f"""
CREATE OR REPLACE TEMP MACRO jc_number(r) AS (
    CASE WHEN contains(r, ',') THEN
        CASE WHEN regexp_full_match(r, '[+-]?\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?')
             THEN CAST(replace(r, ',', '') AS DOUBLE) END
    WHEN isfinite(try_cast(r AS DOUBLE)) THEN try_cast(r AS DOUBLE) END);
CREATE OR REPLACE TEMP MACRO jc_integer(r) AS (
    CASE WHEN jc_number(r) = trunc(jc_number(r)) AND abs(jc_number(r)) < 9e15
         THEN CAST(jc_number(r) AS BIGINT) END);
CREATE OR REPLACE TEMP MACRO jc_strptime(r, formats) AS (
    CASE WHEN r[1] BETWEEN '0' AND '9' THEN try_strptime(r, formats) END);
CREATE OR REPLACE TEMP MACRO jc_date(r) AS (CAST(jc_strptime(r, {_formats(_DATE_FORMATS)}) AS DATE));
CREATE OR REPLACE TEMP MACRO jc_local_ts(r) AS (jc_strptime(r, {_formats(_DATETIME_FORMATS)}));
CREATE OR REPLACE TEMP MACRO jc_offset_minutes(o) AS (
    CASE WHEN o = 'Z' THEN 0
         ELSE (CASE WHEN o[1] = '-' THEN -1 ELSE 1 END)
              * (CAST(o[2:3] AS INTEGER) * 60 + CAST(right(o, 2) AS INTEGER)) END);
CREATE OR REPLACE TEMP MACRO jc_datetime(r) AS (coalesce(
    CASE WHEN length(r) = 19 AND r[17] = ':' THEN try_cast(r AS TIMESTAMP) END,
    CASE WHEN regexp_matches(r, '\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?\\s*{_OFFSET}')
         THEN jc_local_ts(trim(regexp_replace(r, '{_OFFSET}', '')))
              + to_minutes(480 - jc_offset_minutes(regexp_extract(r, '{_OFFSET}', 1)))
         ELSE jc_local_ts(r) END));
CREATE OR REPLACE TEMP MACRO jc_boolean(r) AS (
    CASE lower(r) WHEN 'true' THEN true WHEN '1' THEN true WHEN '是' THEN true WHEN 'y' THEN true
                  WHEN 'false' THEN false WHEN '0' THEN false WHEN '否' THEN false WHEN 'n' THEN false END);
CREATE OR REPLACE TEMP MACRO jc_month(r) AS (
    strftime(coalesce(jc_strptime(r, {_formats(_MONTH_FORMATS)}),
                      jc_strptime(r, {_formats(_DATE_FORMATS)})), '%Y-%m'));
CREATE OR REPLACE TEMP MACRO jc_items(r) AS (
    list_filter(list_transform(string_split_regex(r, '{_LIST_SEPARATORS}'), x -> trim(x, {sql_str(BLANKS)})),
                x -> x <> ''));
"""


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the coercion macros on this connection (temporary: nothing lands in the lake)."""
    con.execute(_MACROS)


def _enum_case(expr: str, values: dict[str, str]) -> str:
    """CASE mapping a code or its Chinese label to the code; NULL for anything else."""
    arms = []
    for code, label in values.items():
        arms.append(f"WHEN {sql_str(code)} THEN {sql_str(code)}")
        if label != code:
            arms.append(f"WHEN {sql_str(label)} THEN {sql_str(code)}")
    return f"(CASE {expr} {' '.join(arms)} END)"


def _list_expr(raw: str, f: Field) -> str:
    if not f.values:
        return f"(CASE WHEN len(jc_items({raw})) > 0 THEN jc_items({raw}) END)"
    mapped = f"list_transform(jc_items({raw}), x -> {_enum_case('x', f.values)})"
    return (
        f"(CASE WHEN len(jc_items({raw})) > 0 AND NOT list_contains(list_transform({mapped}, "
        f"x -> x IS NULL), true) THEN {mapped} END)"
    )


def is_excel_error(raw: str) -> str:
    """SQL: the text is an Excel error value (checked cheaply: they all start with ``#``)."""
    errors = ", ".join(sql_str(e) for e in EXCEL_ERRORS)
    return f"(starts_with({raw}, '#') AND list_contains([{errors}], {raw}))"


def trimmed(col: str) -> str:
    """SQL: the cell without surrounding blanks, NULL when empty.

    Trimming every cell costs more than parsing it; most cells have no blank at
    either end, which the first code point and ``ends_with`` reveal cheaply.
    """
    firsts = ", ".join(str(ord(c)) for c in BLANKS)
    ends = " OR ".join(f"ends_with({col}, {sql_str(c)})" for c in BLANKS)
    return (
        f"nullif(CASE WHEN list_contains([{firsts}], ascii({col})) OR {ends} "
        f"THEN trim({col}, {sql_str(BLANKS)}) "
        f"ELSE {col} END, '')"
    )


def parse_text(raw: str, f: Field) -> str:
    """SQL turning the trimmed text ``raw`` into the field's lake type (NULL when unreadable)."""
    not_error = f"NOT {is_excel_error(raw)}"
    match f.type:
        case FieldType.STRING:
            return f"(CASE WHEN {not_error} THEN {raw} END)"
        case FieldType.ENUM:
            return _enum_case(raw, f.values)
        case FieldType.LIST:
            return f"(CASE WHEN {not_error} THEN {_list_expr(raw, f)} END)"
        case _:
            return f"jc_{f.type.value}({raw})"


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"}
_INTEGER_TYPES |= {"UINTEGER", "UBIGINT", "UHUGEINT"}
_NUMERIC_TYPES = _INTEGER_TYPES | {"FLOAT", "DOUBLE"}
_TIMESTAMP_TYPES = {"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"}


def csv_native_type(f: Field) -> str | None:
    """The type DuckDB's CSV reader can parse the field's canonical spelling into, or None.

    Only types whose reader parse equals the text path's for every cell it accepts:
    a double (non-finite values are caught by :func:`parse_native`), and dates and
    date-times in :data:`CSV_DATE_FORMAT` / :data:`CSV_DATETIME_FORMAT`. Integers
    are left as text because the reader rounds ``12.5`` to 13 where the contract
    refuses it.
    """
    match f.type:
        case FieldType.NUMBER:
            return "DOUBLE"
        case FieldType.DATE:
            return "DATE"
        case FieldType.DATETIME:
            return "TIMESTAMP"
    return None


def _is_numeric(source_type: str) -> bool:
    return source_type in _NUMERIC_TYPES or source_type.startswith("DECIMAL")


def parse_native(col: str, source_type: str, f: Field) -> str | None:
    """SQL converting a natively typed (parquet) column to the field's type, or None to go via text.

    Timestamps with a time zone become Asia/Shanghai local time, as the lake promises.
    """
    local = f"timezone('Asia/Shanghai', {col})" if source_type == "TIMESTAMP WITH TIME ZONE" else col
    is_time = source_type in _TIMESTAMP_TYPES or source_type == "TIMESTAMP WITH TIME ZONE"
    match f.type:
        case FieldType.NUMBER if _is_numeric(source_type):
            return f"(CASE WHEN isfinite(CAST({col} AS DOUBLE)) THEN CAST({col} AS DOUBLE) END)"
        case FieldType.INTEGER if source_type in _INTEGER_TYPES:
            return f"CAST({col} AS BIGINT)"
        case FieldType.INTEGER if _is_numeric(source_type):
            return f"(CASE WHEN {col} = trunc({col}) THEN CAST({col} AS BIGINT) END)"
        case FieldType.DATE if is_time or source_type == "DATE":
            return f"CAST({local} AS DATE)"
        case FieldType.DATETIME if is_time or source_type == "DATE":
            return f"CAST({local} AS TIMESTAMP)"
        case FieldType.MONTH if is_time or source_type == "DATE":
            return f"strftime({local}, '%Y-%m')"
        case FieldType.BOOLEAN if source_type == "BOOLEAN":
            return col
        case FieldType.BOOLEAN if source_type in _INTEGER_TYPES:
            return f"(CASE {col} WHEN 1 THEN true WHEN 0 THEN false END)"
    return None


def unreadable_reason(f: Field) -> str:
    """Why a non-empty cell could not be read as the field's type, in the user's language."""
    match f.type:
        case FieldType.INTEGER:
            return tr(
                "不是整数（可写千位分隔符，如 1,234）", "not an integer (thousands separators allowed: 1,234)"
            )
        case FieldType.NUMBER:
            return tr(
                "不是数字（可写千位分隔符，如 1,234.5）",
                "not a number (thousands separators allowed: 1,234.5)",
            )
        case FieldType.DATE:
            return tr(
                "不是有效日期（可用 2024-03-05、2024/3/5、2024年3月5日）",
                "not a valid date (use 2024-03-05, 2024/3/5 or 2024年3月5日)",
            )
        case FieldType.DATETIME:
            return tr(
                "不是有效时间（可用 2024-03-05 14:30:00、2024-03-05T14:30，可带时区如 +08:00）",
                "not a valid date-time (use 2024-03-05 14:30:00 or 2024-03-05T14:30, optionally +08:00)",
            )
        case FieldType.BOOLEAN:
            return tr(
                "不是是/否值（可用 true/false、1/0、是/否、Y/N）",
                "not a yes/no value (true/false, 1/0, 是/否, Y/N)",
            )
        case FieldType.MONTH:
            return tr(
                "不是有效月份（应为 YYYY-MM，如 2024-03）", "not a valid month (use YYYY-MM, e.g. 2024-03)"
            )
        case FieldType.ENUM | FieldType.LIST:
            allowed = "、".join(
                f"{code}/{label}" if code != label else code for code, label in f.values.items()
            )
            return tr(f"不是允许的取值（{allowed}）", f"not an allowed value ({allowed})")
        case _:
            return tr("无法读取", "unreadable")


def excel_error_reason() -> str:
    return tr(
        "单元格是 Excel 错误值（公式出错），无法读取",
        "the cell holds an Excel error value (a failed formula)",
    )
