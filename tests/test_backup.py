"""``jiancha backup`` / ``jiancha restore``: a workspace round-trips whole, its audit chain intact."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from jiancha.backup import MANIFEST, backup_workspace, restore_workspace
from jiancha.cli import app
from jiancha.clues import ClueStore
from jiancha.errors import WorkspaceError
from jiancha.findings import EvidenceRow, Finding, Location
from jiancha.ingest import ingest_drop
from jiancha.lake import connect
from jiancha.workspace import Workspace

MODEL = "water.facility_idle"


def _finding(subject: str) -> Finding:
    return Finding(
        model_id=MODEL,
        subject_type="facility",
        subject_id=subject,
        period="2024-03",
        severity="high",
        target_agency="容城县住房和城乡建设局",
        legal_basis="城镇排水与污水处理条例 第五十二条",
        related_ids=(),
        evidence=(EvidenceRow("power_daily", "power.csv", 2, {"facility_id": subject, "kwh": 0.0}),),
        location=Location(115.86, 39.05, None),
        details={"idle_days": 22},
    )


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Workspace:
    """A workspace with a lake (one dataset), a store (clues, a user, a workflow step), keys and config."""
    for name in ("JIANCHA_DATABASE_URL", "JIANCHA_AUDIT_KEY", "JIANCHA_HOME"):
        monkeypatch.delenv(name, raising=False)
    ws = Workspace.resolve(tmp_path / "ws")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "power_daily.csv").write_text(
        "设施编号,日期,用电量(千瓦时)\nF1,2024-03-01,1\nF2,2024-03-01,2\n", "utf-8"
    )
    ingest_drop(ws, drop, progress=False)
    ws.config_path.write_text('[parameters."water.facility_idle"]\nmin_idle_days = 15\n', "utf-8")
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        store.sync_findings("r1", MODEL, [_finding(f"F{i}") for i in range(5)])
        store.add_user("li", "hash", "prosecutor")
        store.transition(store.list_clues().items[0].id, "triage", "li", "属实")
    (ws.artifacts_dir / "suggestions").mkdir()
    (ws.artifacts_dir / "suggestions" / "雄检建〔2024〕1号.docx").write_bytes(b"docx")
    return ws


def _cli(*args: str):
    return CliRunner().invoke(app, ["--lang", "zh", *args])


def _snapshot(ws: Workspace) -> tuple:
    with ClueStore(ws.store_url, seal=ws.audit_seal()) as store:
        clues = [(c.id, c.status) for c in store.list_clues().items]
        users = [u.name for u in store.list_users()]
    with connect(ws.lake_path) as con:
        lake = con.execute("SELECT facility_id, kwh, _row FROM power_daily ORDER BY _row").fetchall()
    return clues, users, lake, ws.config()


def test_a_workspace_round_trips_and_its_audit_chain_verifies(workspace, tmp_path):
    target = tmp_path / "backups" / "b1"
    made = _cli("--home", str(workspace.home), "backup", str(target))
    assert made.exit_code == 0, made.output
    manifest = json.loads((target / MANIFEST).read_text("utf-8"))
    names = set(manifest["files"])
    assert {"lake.duckdb", "store.sqlite", "audit.key", "audit-anchors.jsonl", "jiancha.toml"} <= names
    assert "artifacts/suggestions/雄检建〔2024〕1号.docx" in names and "lake.duckdb.wal" not in names
    assert {"lake/manifest.json", "lake/meta/_loads.parquet"} <= names
    assert any(name.startswith("lake/data/power_daily/1/_month=") for name in names)
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no staging left behind
    restored = Workspace(tmp_path / "ws2")
    done = _cli("--home", str(restored.home), "restore", str(target))
    assert done.exit_code == 0, done.output
    assert "审计日志完整：7 条记录" in done.output and "签名链头" in done.output
    assert _snapshot(restored) == _snapshot(workspace)
    assert (restored.home / "audit.key").stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_non_empty_workspace_without_force(workspace, tmp_path):
    target = tmp_path / "b1"
    backup_workspace(workspace, target)
    other = Workspace.resolve(tmp_path / "other")
    (other.home / "notes.txt").write_text("keep", "utf-8")
    refused = _cli("--home", str(other.home), "restore", str(target))
    assert isinstance(refused.exception, WorkspaceError) and "不为空" in str(refused.exception)
    assert "--force" in str(refused.exception)
    assert [p.name for p in other.home.iterdir()] == ["notes.txt"]
    forced = _cli("--home", str(other.home), "restore", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert not (other.home / "notes.txt").exists() and _snapshot(other) == _snapshot(workspace)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_damaged_backup_restores_nothing(workspace, tmp_path):
    target = tmp_path / "b1"
    backup_workspace(workspace, target)
    with (target / "store.sqlite").open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\xff")
    home = tmp_path / "ws2"
    with pytest.raises(WorkspaceError, match=r"store\.sqlite 缺失或已损坏"):
        restore_workspace(target, home)
    assert not home.exists()
    with pytest.raises(WorkspaceError, match="不是 jiancha 备份"):
        restore_workspace(tmp_path, home)


def test_backup_refuses_a_non_empty_folder_and_a_lake_being_written(workspace, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("x", "utf-8")
    with pytest.raises(WorkspaceError, match="已存在且不为空"):
        backup_workspace(workspace, busy)
    hold = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(9)"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", hold, str(workspace.lake_path)], stdout=subprocess.PIPE, text=True
    )  # another process writing the lake, as an ingest does
    try:
        assert writer.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceError, match="正被另一个进程"):
            backup_workspace(workspace, tmp_path / "b2")
    finally:
        writer.kill()  # a writer killed mid-ingest, as it happens
        writer.wait()
    assert not (tmp_path / "b2").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_backup_taken_while_the_store_is_written_restores_a_verifiable_chain(workspace, tmp_path):
    """Anchors are copied before the store and keys after it, so a busy store still round-trips."""
    stop = threading.Event()

    def write() -> None:
        with ClueStore(workspace.store_url, seal=workspace.audit_seal()) as store:
            n = 0
            while not stop.is_set():
                store.add_user(f"u{n}", "hash", "prosecutor")
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for i in range(3):
            backup_workspace(workspace, tmp_path / f"b{i}")
    finally:
        stop.set()
        writer.join()
    for i in range(3):
        home = tmp_path / f"ws{i}"
        restore_workspace(tmp_path / f"b{i}", home)
        restored = Workspace(home)
        with ClueStore(restored.store_url, seal=restored.audit_seal()) as store:
            report = store.verify_audit()
        assert report.ok, report.problems
        assert report.entries >= 7
