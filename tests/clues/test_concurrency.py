"""Two runs at once, or a run while people work clues: nothing lost, nothing duplicated.

Real processes (spawned, each with its own engine and connections) on both backends.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from concurrent.futures import ProcessPoolExecutor

import pytest

from jiancha.clues import ClueStore
from jiancha.clues import engine as engine_module
from jiancha.errors import WorkspaceError
from jiancha.findings import EvidenceRow, Finding, Location

MODEL = "water.facility_idle"
SPAWN = multiprocessing.get_context("spawn")


def _findings(count: int) -> list[Finding]:
    return [
        Finding(
            model_id=MODEL,
            subject_type="facility",
            subject_id=f"F{i:04d}",
            period="2024-03",
            severity="medium",
            target_agency="安新县住房和城乡建设局",
            legal_basis="城镇排水与污水处理条例 第五十二条",
            evidence=(EvidenceRow("power_daily", "power.csv", i + 2, {"kwh": 0.1}),),
            location=Location(115.93, 38.92),
        )
        for i in range(count)
    ]


def _sync(url: str, run_id: str, count: int) -> tuple[int, int, int, int]:
    with ClueStore(url) as store:
        counts = store.sync_findings(run_id, MODEL, _findings(count))
    return counts.new, counts.updated, counts.unchanged, counts.no_longer_holds


def _work(url: str, ids: list[str]) -> int:
    with ClueStore(url) as store:
        for clue_id in ids:
            store.transition(clue_id, "triage", "prosecutor1", "初核")
            store.assign(clue_id, None, "prosecutor1", "暂不分派")
    return len(ids)


def _check(url: str, expected_entries: int) -> ClueStore:
    store = ClueStore(url)
    report = store.verify_audit()
    assert report.problems == ()
    assert report.entries == expected_entries
    return store


def test_two_runs_on_an_empty_store_create_each_clue_once(store_url):
    with ProcessPoolExecutor(2, mp_context=SPAWN) as pool:
        results = list(pool.map(_sync, [store_url] * 2, ["run-a", "run-b"], [300, 300]))
    assert sorted(results) == [(0, 0, 300, 0), (300, 0, 0, 0)]
    with _check(store_url, expected_entries=300) as store:
        page = store.list_clues(size=1)
        assert page.total == 300


def test_a_run_while_users_act_loses_nothing(store_url):
    with ClueStore(store_url) as store:
        store.sync_findings("run-0", MODEL, _findings(40))
        ids = [c.id for c in store.list_clues(size=40).items]
    with ProcessPoolExecutor(3, mp_context=SPAWN) as pool:
        runs = [pool.submit(_sync, store_url, f"run-{n}", 400) for n in (1, 2)]
        work = pool.submit(_work, store_url, ids)
        results = sorted(r.result() for r in runs)
        assert work.result() == 40
    assert results == [(0, 0, 400, 0), (360, 0, 40, 0)]
    with _check(store_url, expected_entries=40 + 360 + 40 * 2) as store:
        assert store.list_clues(size=1).total == 400
        assert store.dashboard().by_status == {"new": 360, "triaged": 40}


def test_a_writer_that_waits_too_long_gets_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.2)
    with ClueStore(f"sqlite:///{path}") as store:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(WorkspaceError, match="被其他进程长时间占用写入"):
                store.sync_findings("r1", MODEL, _findings(1))
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert store.sync_findings("r1", MODEL, _findings(1)).new == 1
