"""Turning a model into the one SQL statement the engine runs.

Parameters are filled in, the query and each severity condition pass the sandbox
check, and the query is wrapped so one extra column carries the severity: the
first condition (in YAML order) that holds wins, and a row no condition matches
takes the last level listed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import import_module
from typing import Any

from jiancha.errors import ModelError
from jiancha.models.catalog import Model
from jiancha.models.parameters import render
from jiancha.models.sandbox import check_tables, parse_query

#: The column the wrapper adds; model queries must not use it.
SEVERITY_COLUMN = "__jiancha_severity"


@dataclass(frozen=True)
class CompiledQuery:
    """The model's query with parameters filled in, and the statement that also computes severity."""

    sql: str
    wrapped: str


def model_sql(model: Model, backend: Any, values: Mapping[str, Any], as_of: date) -> str:
    """The model's query in DuckDB SQL, parameters filled in (an Ibis model's expression compiled)."""
    if model.sql_path is not None:
        return render(model, model.sql_text(), values, as_of, model.sql_path.name)
    import ibis

    module_name, _, attribute = (model.spec.ibis or "").partition(":")
    try:
        function = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ModelError(f"模型 {model.id} 的 Ibis 查询 {model.spec.ibis} 无法导入：{exc}。") from exc
    expression = function(backend, {**values, "as_of": as_of})
    if not isinstance(expression, ibis.Table):
        raise ModelError(
            f"模型 {model.id} 的 Ibis 查询 {model.spec.ibis} 应返回 ibis 表达式（Table），"
            f"实际返回了 {type(expression).__name__}。"
        )
    return ibis.to_sql(expression, dialect="duckdb")


def check_query(model: Model, sql: str, tables: Collection[str], origin: str) -> None:
    """Refuse ``sql`` unless it is one read-only query over ``tables`` (errors name ``origin``)."""
    _check(model.id, origin, sql, frozenset(tables))


@lru_cache(maxsize=1024)
def _check(model_id: str, origin: str, sql: str, tables: frozenset[str]) -> None:
    """The sandbox check, remembered per exact text: a long-lived process (the web app, a test
    session, validate-then-run) parses each model's SQL once. Refusals raise, so only passes are kept."""
    check_tables(
        parse_query(sql, model_id=model_id, origin=origin), tables, model_id=model_id, origin=origin, sql=sql
    )


def compile_query(
    model: Model, sql: str, values: Mapping[str, Any], as_of: date, tables: Collection[str]
) -> CompiledQuery:
    """Check ``sql`` and the severity conditions against the sandbox and wrap them in one statement."""
    check_query(model, sql, tables, model.query_origin)
    levels = list(model.spec.severity.items())
    cases = []
    for level, condition in levels:
        where = f"{model.yaml_path.name} severity.{level}"
        rendered = render(model, condition, values, as_of, where)
        check_query(model, f"SELECT 1 WHERE {rendered}", tables, where)
        cases.append(f"WHEN ({rendered}) THEN '{level}'")
    body = sql.rstrip()
    while body.endswith(";"):
        body = body[:-1].rstrip()
    # The query starts on the wrapper's first line, so the engine's "LINE n" is the SQL file's line n.
    wrapped = (
        f"SELECT __q.*, CASE {' '.join(cases)} ELSE '{levels[-1][0]}' END AS {SEVERITY_COLUMN} "
        f"FROM ({body}\n) AS __q"
    )
    return CompiledQuery(sql, wrapped)
