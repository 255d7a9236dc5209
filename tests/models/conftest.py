"""Fixtures for the engine's tests: a user's model folder and a small lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiancha.models.testing import GoldenLake
from jiancha.workspace import Workspace

from .fixtures import FACILITIES, IDLE_SPEC, IDLE_SQL, march_days, write_model


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    root = tmp_path / "my-models"
    write_model(root, IDLE_SPEC, IDLE_SQL)
    return root


@pytest.fixture
def lake(tmp_path: Path, models_dir: Path) -> GoldenLake:
    """F1 reports zero flow on March 1–4 (rows 2–5); F2 runs normally (rows 6–9)."""
    golden = GoldenLake(tmp_path / "lake", models_dir=models_dir)
    golden.add("sewage_facilities", FACILITIES)
    golden.add("effluent_daily", [{"facility_id": "F1", "date": d, "flow_m3": 0.0} for d in march_days(4)])
    golden.add("effluent_daily", [{"facility_id": "F2", "date": d, "flow_m3": 300.0} for d in march_days(4)])
    return golden


@pytest.fixture(scope="session")
def synthetic_lake(tmp_path_factory) -> Path:
    """The synthetic Xiong'an drop at scale 0.1, ingested: every dataset, planted positives."""
    from jiancha.ingest import ingest_drop
    from jiancha.synth import generate

    folder = tmp_path_factory.mktemp("synth")
    generate(folder / "synth", seed=1, scale=0.1)
    workspace = Workspace.resolve(folder / "home")
    ingest_drop(workspace, folder / "synth" / "drop", progress=False)
    return workspace.lake_path
