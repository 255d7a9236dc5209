"""Synthetic workspaces for the Spark tests, and the two engines' clues side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiancha.lake.layout import lake_folder
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine, SparkEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink
from jiancha.workspace import Workspace

#: A clue as the two engines must agree on it: model, subject, period and its evidence rows.
Clue = tuple[str, str, str | None, tuple[tuple[str, int], ...]]

_WORKSPACES: dict[tuple[int, float], Workspace] = {}


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    """``synthetic(seed, scale)``: a workspace holding ``jiancha synth --seed S --scale K``, ingested
    (made once per session)."""
    from jiancha.ingest import ingest_drop
    from jiancha.synth import generate

    def make(seed: int, scale: float) -> Workspace:
        if (seed, scale) not in _WORKSPACES:
            folder = tmp_path_factory.mktemp(f"synth-{seed}-{scale}")
            generate(folder / "synth", seed=seed, scale=scale)
            workspace = Workspace.resolve(folder / "home")
            ingest_drop(workspace, folder / "synth" / "drop", progress=False)
            _WORKSPACES[(seed, scale)] = workspace
        return _WORKSPACES[(seed, scale)]

    return make


def clues(sink: CollectingSink) -> list[Clue]:
    return sorted(
        (model_id, f.subject_id, f.period, tuple((e.dataset, e.row) for e in f.evidence))
        for model_id, findings in sink.findings.items()
        for f in findings
    )


def on_duckdb(workspace: Workspace):
    """The built-in models on DuckDB over the workspace's lake."""
    sink = CollectingSink()
    engine = DuckDBEngine(workspace.lake_path)
    try:
        run = run_models(engine, Catalog.load(), sink)
    finally:
        engine.close()
    return run, clues(sink)


def on_spark(session, location: str | Path):
    """The built-in models on Spark over the lake at ``location``; the as-of date found by Spark."""
    sink = CollectingSink()
    engine = SparkEngine.from_lake(session, location)
    try:
        run = run_models(engine, Catalog.load(), sink, settings=RunSettings(time_limit=900))
    finally:
        engine.close()
    return run, clues(sink)


def lake_of(workspace: Workspace) -> Path:
    return lake_folder(workspace.lake_path)
