"""The same model, unchanged, gives the same findings on PySpark as on DuckDB."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.lake.layout import lake_folder
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine, SparkEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]  # Spark on two shared cores


def summary(findings):
    return sorted(
        (
            f.subject_id,
            f.period,
            f.severity,
            f.related_ids,
            tuple((e.dataset, e.row) for e in f.evidence),
            f.location,
        )
        for f in findings
    )


def test_sample_model_runs_unchanged_on_spark(spark, lake, models_dir):
    """F2's missing flows in April must stay NULL on Spark (NaN would not coalesce to 0)."""
    lake.add(
        "effluent_daily",
        [{"facility_id": "F2", "date": date(2024, 4, d), "flow_m3": None} for d in (1, 2, 3)],
    )
    settings = RunSettings(as_of=date(2024, 6, 30))
    catalog = Catalog.load(models_dir)

    on_duckdb = CollectingSink()
    duck = DuckDBEngine(lake.path)
    try:
        run_models(duck, catalog, on_duckdb, ["local.idle"], settings)
    finally:
        duck.close()

    engine = SparkEngine.from_lake(spark, lake_folder(lake.path))
    on_spark = CollectingSink()
    try:
        run = run_models(engine, catalog, on_spark, ["local.idle"], settings)
    finally:
        engine.close()

    assert [(r.model_id, r.status, r.findings) for r in run.models] == [("local.idle", "ok", 2)]
    assert summary(on_spark.findings["local.idle"]) == summary(on_duckdb.findings["local.idle"])
    finding = next(f for f in on_spark.findings["local.idle"] if f.subject_id == "F1")
    assert (finding.subject_id, finding.period, finding.details) == (
        "F1",
        "2024-03",
        {"zero_days": 4, "last_day": "2024-03-04"},
    )


def test_every_built_in_model_gives_the_same_clues_on_spark(spark, synthetic_lake):
    catalog = Catalog.load()
    on_duckdb = CollectingSink()
    duck = DuckDBEngine(synthetic_lake)
    try:
        first = run_models(duck, catalog, on_duckdb)
    finally:
        duck.close()
    on_spark = CollectingSink()
    engine = SparkEngine.from_lake(spark, lake_folder(synthetic_lake))
    try:
        run = run_models(engine, catalog, on_spark, settings=RunSettings(as_of=first.as_of, time_limit=600))
    finally:
        engine.close()

    assert {r.model_id: r.status for r in run.models} == {model_id: "ok" for model_id in catalog.models}
    clues = {
        model_id: sorted((f.subject_id, f.period, f.severity) for f in findings)
        for model_id, findings in on_spark.findings.items()
    }
    assert clues == {
        model_id: sorted((f.subject_id, f.period, f.severity) for f in findings)
        for model_id, findings in on_duckdb.findings.items()
    }
    assert sum(map(len, clues.values())) >= len(catalog.models)
