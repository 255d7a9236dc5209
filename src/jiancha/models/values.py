"""Values leaving the engine (evidence, details, parameters) in a form JSON accepts.

The clue store keeps evidence and details as JSON and the web app shows them, so
dates become ISO text and non-finite numbers become None here, once. Query results
are converted a column at a time (:func:`json_rows`): text, integer and boolean
columns need no look at each value, and that per-value look cost more than the
query itself for results of thousands of rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

_PLAIN = frozenset({str, int, bool})


def json_safe(value: Any) -> Any:
    """A value a JSON encoder accepts: dates as ISO text, NaN as None, decimals as floats."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def json_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The table's rows as dicts of JSON-safe values (what :func:`json_safe` gives, column by column)."""
    names = table.column_names
    if not names:
        return [{} for _ in range(table.num_rows)]
    columns = [_json_column(column) for column in table.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _json_column(column: pa.ChunkedArray) -> list[Any]:
    kind = column.type
    if _is_plain(kind):
        return column.to_pylist()
    if pa.types.is_float32(kind) or pa.types.is_float64(kind):
        return pc.if_else(pc.is_finite(column), column, pa.scalar(None, kind)).to_pylist()
    if pa.types.is_date32(kind):  # Arrow writes dates as ISO text, exactly as date.isoformat
        return column.cast(pa.string()).to_pylist()
    return [json_safe(value) for value in column.to_pylist()]


def _is_plain(kind: pa.DataType) -> bool:
    """Types whose Python values are already JSON-safe: text, integers, booleans, NULL, lists of them."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _is_plain(kind.value_type)
    return (
        pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
        or pa.types.is_integer(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_null(kind)
    )
