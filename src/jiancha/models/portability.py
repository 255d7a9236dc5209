"""Warnings about DuckDB SQL that would not mean the same on Spark.

A model must give the same clues on any backend, but sqlglot passes a few DuckDB
constructs to Spark unchanged or changed in meaning (checked in the stack notes):
``dayofweek()`` numbers Sunday 0 on DuckDB and 1 on Spark, and ``len(list)``
becomes Spark's ``LENGTH``, which fails on arrays. ``models validate`` reports
these so the author can switch to a portable form before it matters.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

_LEN_CALL = re.compile(r"\blen\s*\(", re.IGNORECASE)


def spark_warnings(sql: str) -> list[str]:
    """Sentences naming each non-portable construct in ``sql`` (empty when it ports cleanly)."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except ParseError:
        return []
    warnings = []
    weekday = any(isinstance(node, exp.DayOfWeek) for node in tree.walk()) or any(
        str(node.args.get("this", "")).upper() in ("DOW", "DAYOFWEEK") for node in tree.find_all(exp.Extract)
    )
    if weekday:
        warnings.append(
            "dayofweek()/dow 在 DuckDB 与 Spark 上编号不同（周日为 0 或 1），换到 Spark 会整体错一天；"
            "请改用 isodow() 或 extract(isodow FROM …)。"
        )
    if _LEN_CALL.search(sql):
        warnings.append("len() 在 Spark 上会被译成 LENGTH()，对列表会出错；列表请用 array_length()。")
    return warnings
