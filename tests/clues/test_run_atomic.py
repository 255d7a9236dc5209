"""A run's clues reach the store together or not at all: one transaction after the last query."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from jiancha.clues import ClueStore
from jiancha.errors import WorkspaceError
from jiancha.findings import RunRecord
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import GoldenLake
from models.fixtures import FACILITIES, IDLE_SPEC, IDLE_SQL, march_days, variant, write_model

SETTINGS = RunSettings(as_of=date(2024, 6, 30))
MODELS = ["local.idle", "local.idle2"]


@pytest.fixture
def golden(tmp_path: Path) -> GoldenLake:
    """Two copies of the idle model over F1's four days of zero flow: one clue each."""
    root = tmp_path / "models"
    write_model(root, IDLE_SPEC, IDLE_SQL)
    write_model(root, variant("local.idle2"), IDLE_SQL)
    lake = GoldenLake(tmp_path / "lake", models_dir=root)
    lake.add("sewage_facilities", FACILITIES)
    lake.add("effluent_daily", [{"facility_id": "F1", "date": d, "flow_m3": 0.0} for d in march_days(4)])
    return lake


def run(golden: GoldenLake, store: ClueStore, **callbacks) -> RunRecord:
    engine = DuckDBEngine(golden.path)
    try:
        return run_models(engine, Catalog.load(golden.models_dir), store, MODELS, SETTINGS, **callbacks)
    finally:
        engine.close()


def held(store: ClueStore) -> list[tuple[str, str, bool]]:
    return sorted((c.model_id, c.subject_id, c.holds) for c in store.iter_clues())


def test_a_run_stopped_midway_writes_nothing(golden: GoldenLake, store: ClueStore) -> None:
    """Stopped after the first model's query (as Ctrl-C or a killed driver would): no clue of it."""

    def stop(model, record) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(golden, store, on_model=stop)
    assert held(store) == []
    assert store.runs() == ()


def changed_f2(golden: GoldenLake, store: ClueStore) -> list[tuple[str, str, bool]]:
    """Run once (F1 idle), then add F2's idle days so the next run has new clues to write."""
    run(golden, store)
    before = held(store)
    assert before == [("local.idle", "F1", True), ("local.idle2", "F1", True)]
    golden.add("effluent_daily", [{"facility_id": "F2", "date": d, "flow_m3": 0.0} for d in march_days(4)])
    return before


def test_one_models_store_error_undoes_only_its_own_write(
    golden: GoldenLake, store: ClueStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model whose write fails (a bug in its rows, say) is recorded with the error, as a failed
    query is; its savepoint undoes its half-written clues and the other models' clues still land."""
    changed_f2(golden, store)
    sync = ClueStore.sync_findings

    def failing(self, run_id, model_id, findings, *args, **kwargs):
        if model_id == "local.idle2":
            with self._write() as (session, _):
                session.execute(text("DELETE FROM clues WHERE model_id = 'local.idle2'"))
                raise RuntimeError("a value too long for its column")
        return sync(self, run_id, model_id, findings, *args, **kwargs)

    monkeypatch.setattr(ClueStore, "sync_findings", failing)
    record = run(golden, store)
    assert held(store) == [
        ("local.idle", "F1", True),
        ("local.idle", "F2", True),
        ("local.idle2", "F1", True),
    ]
    statuses = {m.model_id: (m.status, m.message) for m in record.models}
    assert statuses["local.idle"][0] == "ok"
    assert statuses["local.idle2"][0] == "error"
    assert "a value too long for its column" in statuses["local.idle2"][1]
    assert len(store.runs()) == 2
    assert store.verify_audit().ok


def test_a_lost_store_transaction_rolls_back_every_model(
    golden: GoldenLake, store: ClueStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection breaks during the second model's write: the run's transaction is gone, so
    the run stops with a sentence, and the store keeps the previous clue set and no record of it."""
    before = changed_f2(golden, store)
    sync = ClueStore.sync_findings

    def dropped(self, run_id, model_id, findings, *args, **kwargs):
        if model_id == "local.idle2":
            with self._write():
                raise OperationalError("INSERT INTO clues", {}, Exception("server closed the connection"))
        return sync(self, run_id, model_id, findings, *args, **kwargs)

    monkeypatch.setattr(ClueStore, "sync_findings", dropped)
    with pytest.raises(WorkspaceError, match="本次运行未写入任何内容"):
        run(golden, store)
    assert held(store) == before
    assert len(store.runs()) == 1
    assert store.verify_audit().ok
