"""The linkage, crime and social models give the same rows on PySpark as on DuckDB.

Each model's DuckDB SQL runs unchanged through Ibis/sqlglot on a local Spark
session over the golden lakes of its own tests. Tables (derived ones included)
are handed to Spark straight from Arrow, so NULLs stay NULL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import test_crime_fence_not_prosecuted as fence
import test_crime_unlicensed_scrap_dealer as dealer
import test_linkage_penalty_not_transferred as penalty
import test_linkage_transfer_not_filed as transfer
import test_social_construction_site_hotspot as hotspot

from jiancha.models.catalog import Catalog
from jiancha.models.compile import model_sql
from jiancha.models.derived import DERIVED_TABLES
from jiancha.models.engine import DuckDBEngine, SparkEngine
from jiancha.models.parameters import resolve
from jiancha.models.testing import GoldenLake

pytestmark = pytest.mark.slow

GOLDEN = {
    penalty.MODEL: (
        penalty.AS_OF,
        {"admin_penalties": penalty.PENALTIES, "case_transfers": penalty.TRANSFERS},
    ),
    transfer.MODEL: (transfer.AS_OF, {"case_transfers": transfer.TRANSFERS}),
    fence.MODEL: (fence.AS_OF, {"criminal_cases": fence.CASES}),
    dealer.MODEL: (
        dealer.AS_OF,
        {
            "business_registry": dealer.REGISTRY,
            "scrap_dealer_filings": dealer.COMMERCE,
            "police_scrap_filings": dealer.POLICE,
            "grid_events": dealer.EVENTS,
            "construction_sites": dealer.SITES,
            "criminal_cases": dealer.THEFTS,
        },
    ),
    hotspot.MODEL: (hotspot.AS_OF, {"construction_sites": hotspot.SITES, "criminal_cases": hotspot.CASES}),
}


def rows(table) -> list[tuple]:
    return sorted(
        (r["subject_id"], r["period"], tuple(r["related_ids"] or ()), tuple(r["evidence"] or ()))
        for r in table.to_pylist()
    )


@pytest.mark.parametrize("model_id", list(GOLDEN))
def test_same_rows_on_spark_as_on_duckdb(spark, tmp_path: Path, model_id: str) -> None:
    as_of, data = GOLDEN[model_id]
    lake = GoldenLake(tmp_path)
    for dataset, dataset_rows in data.items():
        lake.add(dataset, dataset_rows)
    expected = {(f.subject_id, f.period) for f in lake.run(model_id, as_of=as_of)}

    model = Catalog.load().models[model_id]
    duck = DuckDBEngine(lake.path)
    try:
        sql = model_sql(model, duck.backend, resolve(model), lake.last_run.as_of)
        con = duck.derived_connection()
        tables = {name: con.table(name).to_arrow_table() for name in data}
        tables |= {name: DERIVED_TABLES[name].load()(con) for name in model.spec.derived}
        for name in model.spec.derived:
            duck.register(name, tables[name])
        on_duckdb = rows(duck.query(sql))
    finally:
        duck.close()
    for name, table in tables.items():
        spark.createDataFrame(table).createOrReplaceTempView(name)
    on_spark = rows(SparkEngine(spark).query(sql))

    assert on_spark == on_duckdb
    assert {(subject, period) for subject, period, _, _ in on_spark} == expected
