"""Speed costs no clue: every built-in model finds, through the engine, exactly the rows its SQL
returns when run bare on DuckDB (what ``bench/models.py`` takes as its baseline).

The engine's own work — start-up, sandbox, severity wrapper, evidence rows, findings — is what the
benchmark times against the bare SQL; this test holds that it adds or drops no finding while doing it.
"""

from __future__ import annotations

from pyarrow import csv

from jiancha.lake import connect
from jiancha.models.catalog import Catalog
from jiancha.models.compile import model_sql
from jiancha.models.derived import DERIVED_TABLES
from jiancha.models.engine import DuckDBEngine
from jiancha.models.parameters import resolve
from jiancha.models.runner import run_models
from jiancha.models.testing import CollectingSink


def test_each_model_finds_exactly_its_bare_sql_rows(synthetic_lake):
    catalog = Catalog.load()
    sink = CollectingSink()
    engine = DuckDBEngine(synthetic_lake)
    try:
        run = run_models(engine, catalog, sink)
    finally:
        engine.close()

    bare = connect(synthetic_lake, read_only=True)  # the lake's views over Parquet, no sandbox
    try:
        for name, path in catalog.references.items():
            bare.register(name, csv.read_csv(path))
        for name in {d for m in catalog.models.values() for d in m.spec.derived}:
            bare.register(name, DERIVED_TABLES[name].load()(bare))
        rows = {
            model.id: sorted(
                bare.sql(
                    f"SELECT subject_id, period FROM ({model_sql(model, None, resolve(model), run.as_of)})"
                ).fetchall()
            )
            for model in catalog.models.values()
        }
    finally:
        bare.close()

    assert {r.model_id: r.status for r in run.models} == {model_id: "ok" for model_id in catalog.models}
    found = {model: sorted((f.subject_id, f.period) for f in found) for model, found in sink.findings.items()}
    assert found == rows
    assert sum(map(len, found.values())) >= len(catalog.models)
