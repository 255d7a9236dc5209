"""The same model, unchanged, gives the same findings on PySpark as on DuckDB."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine, SparkEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("jiancha-models-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("OFF")
    yield session
    session.stop()


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

    engine = SparkEngine(spark)
    with duckdb.connect(str(lake.path), read_only=True) as con:
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            engine.register(name, con.table(name).to_arrow_table())
    on_spark = CollectingSink()
    run = run_models(engine, catalog, on_spark, ["local.idle"], settings)

    assert [(r.model_id, r.status, r.findings) for r in run.models] == [("local.idle", "ok", 2)]
    assert summary(on_spark.findings["local.idle"]) == summary(on_duckdb.findings["local.idle"])
    finding = next(f for f in on_spark.findings["local.idle"] if f.subject_id == "F1")
    assert (finding.subject_id, finding.period, finding.details) == (
        "F1",
        "2024-03",
        {"zero_days": 4, "last_day": "2024-03-04"},
    )
