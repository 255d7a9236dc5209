"""Users' SQL is walled in twice: sqlglot refuses anything but one read-only query, and the
DuckDB connection has no file, network or settings access; a timer stops long queries."""

from __future__ import annotations

import time

import duckdb
import pytest

from jiancha.errors import ModelError
from jiancha.models.engine import DuckDBEngine, QueryTimeout

from .fixtures import plain, variant, write_model

ESCAPES = [
    ("COPY sewage_facilities TO '/tmp/stolen.csv'", "是 COPY 语句，已拒绝"),
    ("ATTACH '/tmp/other.duckdb' AS other", "是 ATTACH 语句，已拒绝"),
    ("INSTALL httpfs", "是 INSTALL 语句，已拒绝"),
    ("LOAD httpfs", "是 LOAD 语句，已拒绝"),
    ("PRAGMA enable_external_access", "是 PRAGMA 语句，已拒绝"),
    ("SET enable_external_access = true", "是 SET 语句，已拒绝"),
    ("CREATE TABLE x AS SELECT 1", "是 CREATE 语句，已拒绝"),
    ("DROP TABLE sewage_facilities", "是 DROP 语句，已拒绝"),
    ("DELETE FROM sewage_facilities", "是 DELETE 语句，已拒绝"),
    ("INSERT INTO sewage_facilities (facility_id) VALUES ('X')", "是 INSERT 语句，已拒绝"),
    (
        "SELECT 1 AS subject_id; DROP TABLE sewage_facilities",
        "含 2 条语句；模型只能是一条 SELECT/WITH 查询。",
    ),
    ("SELECT * FROM read_csv('/etc/passwd')", "调用了表函数 READ_CSV('/etc/passwd')，已拒绝"),
    ("SELECT * FROM read_text('/etc/passwd')", "调用了表函数 READ_TEXT('/etc/passwd')，已拒绝"),
    ("SELECT * FROM '/etc/passwd'", "引用了未知的表 /etc/passwd"),
    ("SELECT * FROM query('SELECT 1')", "调用了表函数 QUERY('SELECT 1')，已拒绝"),
    ("SELECT * FROM glob('/etc/*')", "调用了表函数 GLOB('/etc/*')，已拒绝"),
    ("SELECT * FROM lake.main._loads", "引用了 lake.main._loads；请直接写表名"),
    ("SELECT * FROM duckdb_settings()", "调用了表函数 DUCKDB_SETTINGS()，已拒绝"),
    (
        "WITH s AS (SELECT * FROM read_parquet('/tmp/x.parquet')) SELECT * FROM s",
        "调用了表函数 READ_PARQUET('/tmp/x.parquet')，已拒绝",
    ),
    ("SELECT (SELECT count(*) FROM read_csv('/etc/passwd')) AS n", "调用了表函数"),
]


@pytest.mark.parametrize(("sql", "refusal"), ESCAPES)
def test_escape_attempts_are_refused_before_running(lake, models_dir, sql, refusal):
    write_model(models_dir, plain("local.escape"), sql)
    with pytest.raises(ModelError) as caught:
        lake.run("local.escape", as_of="2024-06-30")
    message = str(caught.value)
    assert message.startswith("模型 local.escape（escape.sql")
    assert refusal in message
    assert lake.last_record.status == "error"


def test_severity_conditions_are_checked_too(lake, models_dir):
    spec = variant(
        "local.escape", severity={"high": "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0", "low": "true"}
    )
    write_model(models_dir, spec, "SELECT 'F1' AS subject_id, '2024-03' AS period")
    with pytest.raises(
        ModelError, match=r"^模型 local.escape（escape.yaml severity.high 第 1 行）调用了表函数"
    ):
        lake.run("local.escape", as_of="2024-06-30")


def test_row_generators_stay_allowed(lake, models_dir):
    sql = (
        "SELECT 'F' || CAST(i AS VARCHAR) AS subject_id, '2024-03' AS period, u.x AS x\n"
        "FROM range(1, 3) AS r(i), (SELECT unnest([7]) AS x) AS u"
    )
    write_model(models_dir, plain("local.gen"), sql)
    assert sorted(f.subject_id for f in lake.run("local.gen", as_of="2024-06-30")) == ["F1", "F2"]


@pytest.mark.parametrize(
    ("statement", "error"),
    [
        ("SELECT * FROM read_csv('/etc/passwd')", duckdb.PermissionException),
        ("COPY (SELECT 1) TO '/tmp/jiancha-escape.csv'", duckdb.PermissionException),
        ("ATTACH '/tmp/jiancha-escape.duckdb' AS other", duckdb.PermissionException),
        ("INSTALL httpfs", duckdb.PermissionException),
        ("LOAD httpfs", duckdb.PermissionException),
        ("SET enable_external_access = true", duckdb.InvalidInputException),
        ("SET lock_configuration = false", duckdb.InvalidInputException),
        ("CREATE TABLE sewage_copy AS SELECT * FROM sewage_facilities", duckdb.InvalidInputException),
        ("DELETE FROM sewage_facilities", duckdb.BinderException),  # a view over Parquet
        ("DELETE FROM _loads", duckdb.InvalidInputException),  # lake.duckdb is attached read-only
        ("SELECT * FROM read_parquet('/tmp/jiancha-outside/*.parquet')", duckdb.PermissionException),
        ("SELECT * FROM read_parquet('LAKE/../outside.parquet')", duckdb.PermissionException),
    ],
)
def test_the_connection_is_a_second_wall(lake, statement, error):
    """Even SQL that slipped past the parser cannot reach files, settings or the lake's data."""
    outside = lake.path.parent / "outside.parquet"
    duckdb.sql(f"COPY (SELECT 1 AS x) TO '{outside}' (FORMAT parquet)")
    engine = DuckDBEngine(lake.path)
    try:
        with pytest.raises(error):
            engine.derived_connection().execute(statement.replace("LAKE", str(lake.path.parent / "lake")))
        assert engine.query("SELECT count(*) AS n FROM sewage_facilities").column("n")[0].as_py() == 2
    finally:
        engine.close()


def test_long_query_is_stopped_at_the_time_limit(lake, models_dir):
    write_model(
        models_dir,
        plain("local.slow"),
        "SELECT CAST(count(*) AS VARCHAR) AS subject_id, '2024-03' AS period\n"
        "FROM range(100000000000) AS r(i)",
    )
    started = time.perf_counter()
    with pytest.raises(ModelError) as caught:
        lake.run("local.slow", as_of="2024-06-30", time_limit=0.5)
    assert time.perf_counter() - started < 5
    assert str(caught.value) == (
        "模型 local.slow（slow.sql）：查询运行超过 0.5 秒的时限，已中止；"
        "请缩小查询范围，或用 --time-limit 放宽时限。"
    )


def test_engine_time_limit_raises_query_timeout(lake):
    engine = DuckDBEngine(lake.path)
    try:
        with pytest.raises(QueryTimeout):
            engine.query("SELECT count(*) FROM range(100000000000)", time_limit=0.3)
        assert engine.query("SELECT 42 AS n", time_limit=0.3).column("n")[0].as_py() == 42
    finally:
        engine.close()
