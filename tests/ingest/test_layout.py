"""The Parquet layout an ingest leaves: version folders, meta snapshots, the manifest, and what a
crash on either side of the commit leaves for the next writer to put right."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.ingest import load
from jiancha.lake import open_lake
from jiancha.lake.layout import native_tables
from jiancha.lake.manifest import MANIFEST

from .helpers import ingest, rows, write_csv
from .test_atomic import LOAD_SCRIPT, NEW, OLD, old_version_intact

WEATHER = [["县", "日期", "降水量(mm)"], ["雄县", "2024-03-01", "1.5"], ["安新县", "2024-04-02", ""]]


def cli(ws, *args: str):
    return CliRunner().invoke(app, ["--lang", "en", "--home", str(ws.home), *args], env={"COLUMNS": "200"})


def manifest(ws) -> dict:
    return json.loads((ws.home / "lake" / MANIFEST).read_text("utf-8"))


def versions(ws, dataset: str) -> list[str]:
    return sorted(p.name for p in (ws.home / "lake" / "data" / dataset).iterdir())


def test_each_version_is_parquet_beside_the_duckdb_file(ws, drop):
    write_csv(drop / "power_daily.csv", [*OLD, ["F1", "2024-04-01", "12"]])
    write_csv(drop / "weather_daily.csv", WEATHER)
    ingest(ws, drop)
    lake = ws.home / "lake"
    power = sorted(str(p.relative_to(lake)) for p in (lake / "data" / "power_daily").rglob("*.parquet"))
    assert power == [
        "data/power_daily/1/_month=2024-03/part-0.parquet",
        "data/power_daily/1/_month=2024-04/part-0.parquet",
    ]
    assert [p.name for p in (lake / "data" / "weather_daily" / "2").iterdir()] == ["part-0.parquet"]
    con = open_lake(ws)
    assert not native_tables(con) & {"power_daily", "weather_daily"}  # rows live only in Parquet
    con.close()
    # the bytes a cluster reads: typed columns, _file a real column, no _month
    arrow = duckdb.sql(f"SELECT * FROM read_parquet('{lake}/data/weather_daily/2/*.parquet')")
    assert arrow.columns == ["county", "date", "precipitation_mm", "temp_mean_c", "_file", "_row"]
    assert [str(t) for t in arrow.types] == ["VARCHAR", "DATE", "DOUBLE", "DOUBLE", "VARCHAR", "BIGINT"]
    assert arrow.fetchall()[0][4] == "weather_daily.csv"

    body = manifest(ws)
    assert body["format"] == 2
    assert body["tables"]["power_daily"] == {
        "kind": "dataset",
        "version": "1",
        "path": "data/power_daily/1",
        "partition": "_month",
        "rows": 3,
        "columns": [
            ["facility_id", "VARCHAR"],
            ["date", "DATE"],
            ["kwh", "DOUBLE"],
            ["_file", "VARCHAR"],
            ["_row", "BIGINT"],
        ],
    }
    assert body["tables"]["weather_daily"]["partition"] is None
    assert body["tables"]["_loads"] | {"columns": None} == {
        "kind": "meta",
        "path": "meta/_loads.parquet",
        "rows": 2,
        "columns": None,
    }
    snapshot = duckdb.sql(f"SELECT dataset, status FROM '{lake}/meta/_loads.parquet' ORDER BY load_id")
    assert snapshot.fetchall() == [("power_daily", "loaded"), ("weather_daily", "loaded")]
    assert body["tables"]["_coverage"]["rows"] == rows(ws, "SELECT count(*) FROM _coverage")[0][0]
    assert not [p for p in lake.rglob(".*")]  # no temp file or half-built folder left


def test_a_new_version_keeps_the_old_one_and_the_manifest_follows(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    ingest(ws, drop)  # unchanged: no new version
    write_csv(drop / "power_daily.csv", NEW)
    ingest(ws, drop)
    assert versions(ws, "power_daily") == ["1", "3"]
    assert manifest(ws)["tables"]["power_daily"]["path"] == "data/power_daily/3"
    assert manifest(ws)["tables"]["_loads"]["rows"] == 3
    assert rows(ws, "SELECT facility_id, kwh, _row FROM power_daily") == [("F2", 20.0, 2)]


def _killed_at(ws, drop, hook: str) -> None:
    """Run an ingest in a child process and kill it when it reaches ``hook``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", LOAD_SCRIPT, str(ws.home), str(drop)],
        env={**os.environ, hook: "60"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr.readline().strip() == hook
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_a_crash_before_the_commit_leaves_an_orphan_the_next_writer_removes(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    before = manifest(ws)
    write_csv(drop / "power_daily.csv", NEW)
    _killed_at(ws, drop, load.PAUSE_ENV)
    old_version_intact(ws)
    assert versions(ws, "power_daily") == ["1", "2"]  # renamed into place, never committed
    assert manifest(ws)["tables"] == before["tables"]
    status = cli(ws, "lake", "status")
    assert "Orphan folder" in status.output and "power_daily/2" in status.output
    write_csv(drop / "weather_daily.csv", WEATHER)
    report = ingest(ws, drop)
    assert {f.dataset: f.status for f in report.files} == {"power_daily": "loaded", "weather_daily": "loaded"}
    assert versions(ws, "power_daily") == ["1", str(report.files[0].load_id)]  # the orphan is gone


def test_a_crash_after_the_commit_leaves_the_manifest_behind_until_the_next_writer(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    write_csv(drop / "power_daily.csv", NEW)
    _killed_at(ws, drop, load.PAUSE_PUBLISH_ENV)
    assert rows(ws, "SELECT facility_id, kwh, _row FROM power_daily") == [("F2", 20.0, 2)]
    assert manifest(ws)["tables"]["power_daily"]["version"] == "1"  # one commit behind
    assert [f.status for f in ingest(ws, drop).files] == ["unchanged"]
    assert manifest(ws)["tables"]["power_daily"]["version"] == "2"
    assert manifest(ws)["tables"]["_loads"]["rows"] == 3


def test_a_lake_file_without_its_folder_is_refused(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    (ws.home / "lake").rename(ws.home / "elsewhere")
    with pytest.raises(Exception, match=r"lake\.duckdb 须与其旁边的 lake/ 文件夹一起复制或恢复"):
        open_lake(ws)


def test_vacuum_removes_old_versions_never_the_current_one(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    write_csv(drop / "power_daily.csv", NEW)
    ingest(ws, drop)
    (ws.home / "lake" / "data" / "power_daily" / ".tmp-9").mkdir()
    done = cli(ws, "lake", "vacuum", "--days", "0")
    assert done.exit_code == 0, done.output
    assert "2 version folders removed" in done.output
    assert versions(ws, "power_daily") == ["2"]
    assert rows(ws, "SELECT facility_id FROM power_daily") == [("F2",)]
    assert Path(ws.home / "lake" / MANIFEST).exists()
