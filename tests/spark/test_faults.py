"""Spark that cannot start, and lakes Spark cannot read: one sentence each, nothing written."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.errors import WorkspaceError
from jiancha.spark.lake import read_manifest
from jiancha.spark.session import (
    DEFAULT_MASTER,
    MASTER_ENV,
    SparkUnavailable,
    check_java,
    check_master,
    master_addresses,
    spark_master,
)

runner = CliRunner()


def free_port() -> int:
    """A port nothing listens on (bound, read and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_master_comes_from_the_option_then_the_environment_then_local(monkeypatch) -> None:
    monkeypatch.delenv(MASTER_ENV, raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    assert spark_master() == DEFAULT_MASTER
    monkeypatch.setenv(MASTER_ENV, "spark://env-host:7077")
    assert spark_master() == "spark://env-host:7077"
    assert spark_master("local[2]") == "local[2]"
    monkeypatch.delenv(MASTER_ENV)
    monkeypatch.setenv("PYSPARK_GATEWAY_PORT", "40000")  # under spark-submit its master stands
    assert spark_master() is None


def test_master_addresses() -> None:
    assert master_addresses("spark://a:7077,b:7078") == [("a", 7077), ("b", 7078)]
    assert master_addresses("k8s://https://api.example:6443") == [("api.example", 6443)]
    assert master_addresses("local[*]") == [] and master_addresses("yarn") == []


def test_an_unreachable_master_is_one_sentence_within_seconds() -> None:
    url = f"spark://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(SparkUnavailable, match=url.replace("[", r"\[")) as caught:
        check_master(url)
    assert time.monotonic() - started < 10
    assert "\n" not in str(caught.value)


def test_missing_java_names_what_to_install(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-jdk"))
    with pytest.raises(SparkUnavailable, match="JAVA_HOME") as caught:
        check_java("local[2]")
    assert "local[2]" in str(caught.value)


@pytest.mark.parametrize("cause", ["master", "java"])
def test_run_that_cannot_start_spark_exits_non_zero_and_writes_nothing(
    cause: str, tmp_path: Path, monkeypatch
) -> None:
    home = tmp_path / "home"
    url = f"spark://127.0.0.1:{free_port()}"
    if cause == "java":
        monkeypatch.setenv("PATH", str(tmp_path))
        monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.setenv("JIANCHA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    started = time.monotonic()
    result = runner.invoke(
        app, ["--home", str(home), "run", "--engine", "spark", "--spark-master", url], env={"COLUMNS": "200"}
    )
    assert result.exit_code != 0
    assert url in str(result.exception) + result.output
    assert ("Java" if cause == "java" else "主节点") in str(result.exception) + result.output
    assert time.monotonic() - started < 20
    assert not (tmp_path / "store.sqlite").exists()


def test_an_old_lake_is_refused_naming_the_convert_command(spark, tmp_path: Path) -> None:
    """A workspace of an older version: lake.duckdb with the rows inside, no lake/manifest.json."""
    import duckdb

    duckdb.connect(str(tmp_path / "lake.duckdb")).close()
    (tmp_path / "lake").mkdir()
    with pytest.raises(WorkspaceError, match="jiancha lake convert"):
        read_manifest(spark, tmp_path / "lake")


def test_a_manifest_of_another_format_is_refused(spark, tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": 1, "tables": {}}', "utf-8")
    with pytest.raises(WorkspaceError, match="jiancha lake convert"):
        read_manifest(spark, tmp_path)
