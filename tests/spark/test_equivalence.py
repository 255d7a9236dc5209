"""DuckDB and Spark give the same clues on the synthetic drops: model, subject, period, evidence rows.

Spark reads the Parquet lake through its manifest (executors read the files) and computes the
derived tables itself. The default run checks seed 1 at scale 1 on local[2]; the slow marker adds
a second seed and scale 3.
"""

from __future__ import annotations

import pytest

from jiancha.lake import connect
from jiancha.models.catalog import Catalog
from jiancha.models.engine import SparkEngine
from jiancha.resolve.lookup import deterministic_lookup
from jiancha.resolve.sources import fingerprint as duckdb_fingerprint
from jiancha.spark.derived import entity_lookup, fingerprint, mentions

from .conftest import lake_of, on_duckdb, on_spark

MATRIX = [
    pytest.param(1, 1, id="seed1-scale1"),
    pytest.param(2, 1, id="seed2-scale1", marks=pytest.mark.slow),
    pytest.param(1, 3, id="seed1-scale3", marks=pytest.mark.slow),
    pytest.param(2, 3, id="seed2-scale3", marks=pytest.mark.slow),
]


#: Synth, ingest and both runs; Spark on two shared cores is slow (minutes at scale 1).
SPARK_TIMEOUT = pytest.mark.timeout(2400)


@SPARK_TIMEOUT
@pytest.mark.parametrize(("seed", "scale"), MATRIX)
def test_duckdb_and_spark_give_the_same_clues(spark, synthetic, seed: int, scale: int) -> None:
    workspace = synthetic(seed, scale)
    duck_run, expected = on_duckdb(workspace)
    spark_run, found = on_spark(spark, lake_of(workspace))

    assert {r.model_id: (r.status, r.message) for r in spark_run.models if r.status != "ok"} == {}
    assert [r.model_id for r in spark_run.models] == [r.model_id for r in duck_run.models]
    assert spark_run.as_of == duck_run.as_of
    assert found == expected
    assert len({clue[0] for clue in found}) == len(Catalog.load().models)  # every model raised some
    assert (spark_run.data_versions, spark_run.loads) == (duck_run.data_versions, duck_run.loads)


@SPARK_TIMEOUT
def test_entity_lookup_and_fingerprint_agree(spark, synthetic) -> None:
    """The mentions' fingerprint (which says whether a stored resolution is current) is computed on
    the executors with DuckDB's hash, so it equals the laptop's exactly; the rule-based lookup too."""
    workspace = synthetic(1, 1)
    engine = SparkEngine.from_lake(spark, lake_of(workspace))
    try:
        tables = engine.tables()
        on_spark = entity_lookup(spark, tables).toArrow()
        spark_print = fingerprint(mentions(spark, tables))
    finally:
        engine.close()
    with connect(workspace.lake_path) as con:
        expected = deterministic_lookup(con)
        duck_print = duckdb_fingerprint(con)
    assert spark_print == duck_print
    assert int(spark_print.split(":")[0]) > 1000
    key = [("name", "ascending"), ("credit_code", "ascending")]
    assert on_spark.sort_by(key).to_pylist() == expected.sort_by(key).to_pylist()


@SPARK_TIMEOUT
@pytest.mark.slow
def test_a_current_resolution_is_served_on_spark_as_on_duckdb(spark, synthetic) -> None:
    """After ``jiancha resolve`` the lookup is resolve's members on both engines (its own workspace:
    the other tests read unresolved lakes)."""
    from jiancha.lake import open_lake
    from jiancha.resolve.lookup import entity_lookup_table
    from jiancha.resolve.service import resolve_lake
    from jiancha.resolve.store import latest_run

    workspace = synthetic(3, 0.1)
    with open_lake(workspace, read_only=False) as con:
        resolve_lake(con, user="test")
    with connect(workspace.lake_path) as con:
        expected = entity_lookup_table(con)
        stored = latest_run(con).fingerprint
    engine = SparkEngine.from_lake(spark, lake_of(workspace))
    try:
        assert {"_entity_runs", "_entity_members"} <= engine.tables()
        assert fingerprint(mentions(spark, engine.tables())) == stored  # so the members are served
        on_spark = entity_lookup(spark, engine.tables()).toArrow()
    finally:
        engine.close()
    key = [("name", "ascending"), ("credit_code", "ascending")]
    assert on_spark.sort_by(key).to_pylist() == expected.sort_by(key).to_pylist()
