"""The first wall around a user's SQL: only one read-only query over known tables.

A model's SQL is parsed with sqlglot before it runs. Anything but a single
SELECT/WITH query — COPY, ATTACH, INSTALL/LOAD, PRAGMA, SET, DDL, DML, several
statements — and any table function that could read files (``read_csv``,
``'/etc/passwd'`` as a table, ``query()``…) is refused with a sentence naming the
model, the file and the line. The DuckDB connection itself is the second wall
(:mod:`jiancha.models.engine`: no external access, locked configuration,
read-only lake, time limit).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from jiancha.errors import ModelError

#: Table functions a query may use in FROM: they only generate rows.
ALLOWED_TABLE_FUNCTIONS = (exp.GenerateSeries, exp.Unnest, exp.ExplodingGenerateSeries)


def parse_query(sql: str, *, model_id: str, origin: str) -> exp.Query:
    """The one query in ``sql``; a ModelError naming the line for syntax errors or other statements."""
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise ModelError(
            f"模型 {model_id}（{origin} 第 {first.get('line', '?')} 行第 {first.get('col', '?')} 列）"
            f"SQL 语法错误：{first.get('description', exc)}。"
        ) from None
    if len(statements) != 1:
        raise ModelError(
            f"模型 {model_id}（{origin}）含 {len(statements)} 条语句；模型只能是一条 SELECT/WITH 查询。"
        )
    statement = statements[0]
    if not isinstance(statement, exp.Query) or statement.args.get("into") is not None:
        kind = str(statement.this if isinstance(statement, exp.Command) else statement.key).upper()
        raise ModelError(
            f"模型 {model_id}（{origin} 第 {_line(sql, statement)} 行）是 {kind} 语句，已拒绝："
            "模型只能是一条只读的 SELECT/WITH 查询，不能写入、导出、挂载、安装扩展或修改设置。"
        )
    return statement


def check_tables(query: exp.Query, known: Collection[str], *, model_id: str, origin: str, sql: str) -> None:
    """Every table the query reads is a dataset, reference or derived table, or one of its own CTEs."""
    ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    for table in query.find_all(exp.Table):
        where = f"模型 {model_id}（{origin} 第 {_line(sql, table)} 行）"
        target = table.this
        if isinstance(target, ALLOWED_TABLE_FUNCTIONS):
            continue
        if not isinstance(target, exp.Identifier):
            raise ModelError(
                f"{where}调用了表函数 {target.sql('duckdb')}，已拒绝：模型不能读取文件或执行动态 SQL，"
                "只能查询数据集、参照表和派生表。"
            )
        if table.args.get("db") is not None or table.args.get("catalog") is not None:
            raise ModelError(f"{where}引用了 {table.sql('duckdb')}；请直接写表名，不要带库名或模式名。")
        if table.name not in ctes and table.name not in known:
            raise ModelError(
                f"{where}引用了未知的表 {table.name}；可用的表：{'、'.join(sorted(known))}"
                "（数据集须写在 YAML 的 datasets 中，派生表写在 derived 中）。"
            )


def _line(sql: str, node: exp.Expression) -> int:
    """The source line of a node, from the position its first token carries (line 1 when none does)."""
    for token_node in (node, *node.find_all(exp.Identifier, exp.Var, exp.Literal)):
        meta = token_node.meta
        if "line" in meta:
            return meta["line"]
    return 1
