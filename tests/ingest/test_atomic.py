"""Loads are atomic per dataset, re-ingesting is idempotent, and lineage keeps the history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from jiancha import pauses
from jiancha.errors import WorkspaceError
from jiancha.findings import DataLoad
from jiancha.ingest import load
from jiancha.lake import lake_backend, loaded_datasets, loaded_versions, open_lake

from .helpers import ingest, rows, write_csv

HEADER = ["设施编号", "日期", "用电量(千瓦时)"]
OLD = [HEADER, ["F1", "2024-03-01", "10"], ["F1", "2024-03-02", "11"]]
NEW = [HEADER, ["F2", "2024-04-01", "20"]]

LOAD_SCRIPT = """
import sys
from jiancha.ingest import ingest_drop
from jiancha.workspace import Workspace
ingest_drop(Workspace.resolve(sys.argv[1]), sys.argv[2], progress=False)
"""


def old_version_intact(ws) -> None:
    assert rows(ws, "SELECT facility_id, kwh, _row FROM power_daily ORDER BY _row") == [
        ("F1", 10.0, 2),
        ("F1", 11.0, 3),
    ]


def test_a_load_killed_inside_its_transaction_leaves_the_old_version(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    write_csv(drop / "power_daily.csv", NEW)
    env = {**os.environ, load.PAUSE_ENV: "60"}
    proc = subprocess.Popen(
        [sys.executable, "-c", LOAD_SCRIPT, str(ws.home), str(drop)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr.readline().strip() == load.PAUSE_ENV
        with pytest.raises(WorkspaceError, match=f"正被另一个进程（进程 {proc.pid}）占用"):
            open_lake(ws)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    old_version_intact(ws)
    assert rows(ws, "SELECT count(*) FROM _loads") == [(1,)]
    con = open_lake(ws)
    assert loaded_datasets(con) == ["power_daily"]
    con.close()
    report = ingest(ws, drop)
    assert [(f.status, f.rows_loaded) for f in report.files] == [("loaded", 1)]
    assert rows(ws, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_stage%'") == [(0,)]


def test_ctrl_c_inside_the_transaction_rolls_back(ws, drop, monkeypatch):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    write_csv(drop / "power_daily.csv", NEW)

    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv(load.PAUSE_ENV, "1")
    monkeypatch.setattr(pauses.time, "sleep", interrupt)
    with pytest.raises(KeyboardInterrupt):
        ingest(ws, drop)
    old_version_intact(ws)
    assert rows(ws, "SELECT load_id, status FROM _loads") == [(1, "loaded")]


def test_unchanged_file_is_a_no_op_and_a_changed_file_replaces(ws, drop):
    path = write_csv(drop / "power_daily.csv", OLD)
    old_size = path.stat().st_size
    first = ingest(ws, drop)
    second = ingest(ws, drop)
    assert [f.status for f in second.files] == ["unchanged"]
    old_version_intact(ws)
    write_csv(path, NEW)
    new_size = path.stat().st_size
    third = ingest(ws, drop)
    assert [(f.status, f.rows_loaded) for f in third.files] == [("loaded", 1)]
    assert rows(ws, "SELECT facility_id, kwh, _row FROM power_daily") == [("F2", 20.0, 2)]
    history = rows(
        ws,
        "SELECT load_id, status, rows_read, rows_loaded, rows_rejected, replaced_load_id, size_bytes, "
        "os_user IS NOT NULL, finished_at >= started_at FROM _loads ORDER BY load_id",
    )
    assert history == [
        (1, "loaded", 2, 2, 0, None, old_size, True, True),
        (2, "unchanged", None, None, None, None, old_size, True, True),
        (3, "loaded", 1, 1, 0, 1, new_size, True, True),
    ]
    con = open_lake(ws)
    sha = rows(ws, "SELECT sha256 FROM _loads WHERE load_id = 3")[0][0]
    [(finished,)] = rows(ws, "SELECT finished_at FROM _loads WHERE load_id = 3")
    [current] = loaded_versions(con).values()
    assert (current.sha256, current.load) == (sha, DataLoad("power_daily.csv", finished))
    assert first.files[0].load_id == 1
    con.close()


def test_a_refused_file_keeps_the_current_version_in_data_versions(ws, drop):
    path = write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    sha = rows(ws, "SELECT sha256 FROM _loads")[0][0]
    write_csv(path, [HEADER])
    assert [f.status for f in ingest(ws, drop).files] == ["rejected_file"]
    con = open_lake(ws)
    assert {name: v.sha256 for name, v in loaded_versions(con).items()} == {"power_daily": sha}
    con.close()


def test_open_lake_explains_a_missing_lake(ws):
    with pytest.raises(WorkspaceError, match="还没有数据湖"):
        open_lake(ws)


def test_ibis_backend_reads_the_lake(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    ingest(ws, drop)
    backend = lake_backend(ws)
    try:
        assert backend.table("power_daily").kwh.sum().execute() == 21.0
    finally:
        backend.disconnect()
