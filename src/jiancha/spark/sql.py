"""DuckDB SQL as Spark SQL: sqlglot's transpilation, and the one thing it drops silently.

``list(x ORDER BY k)`` (DuckDB's ordered aggregate) comes out of sqlglot as a bare
``COLLECT_LIST(x)``, whose order is whatever order the rows arrived in: on Spark reading
Parquet in parallel, that differs from run to run (the evidence and related-id lists of a
clue would change order, and with them the content hash of the clue). Here each one becomes the
list of ``struct(k…, x)`` sorted by a comparator that follows the ORDER BY (direction, and
DuckDB's default of NULLS LAST), then reduced to its values: the order DuckDB gives.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp


def _comparator(keys: list[exp.Ordered]) -> str:
    """A Spark ``array_sort`` comparator over the structs' fields ``k0``, ``k1`` … in key order."""
    cases = []
    for i, key in enumerate(keys):
        less, more = ("1", "-1") if key.args.get("desc") else ("-1", "1")
        nulls_first = bool(key.args.get("nulls_first"))
        null_l, null_r = ("-1", "1") if nulls_first else ("1", "-1")
        cases += [
            f"WHEN __a.k{i} IS NULL AND __b.k{i} IS NOT NULL THEN {null_l}",
            f"WHEN __a.k{i} IS NOT NULL AND __b.k{i} IS NULL THEN {null_r}",
            f"WHEN __a.k{i} < __b.k{i} THEN {less}",
            f"WHEN __a.k{i} > __b.k{i} THEN {more}",
        ]
    return f"(__a, __b) -> CASE {' '.join(cases)} ELSE 0 END"


def _ordered_list(node: exp.Expression) -> exp.Expression:
    """``list(x ORDER BY k…)`` as the sorted structs' values; any other node unchanged."""
    if not (isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order)):
        return node
    order = node.this
    keys = list(order.expressions)
    fields = [f"{key.this.sql('spark')} AS k{i}" for i, key in enumerate(keys)]
    value = order.this.sql("spark")
    text = (
        f"TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT({', '.join(fields)}, {value} AS v)), "
        f"{_comparator(keys)}), __e -> __e.v)"
    )
    return sqlglot.parse_one(text, read="spark")


def to_spark(sql: str) -> str:
    """DuckDB SQL as Spark SQL, ordered aggregates kept ordered."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_ordered_list).sql("spark")
