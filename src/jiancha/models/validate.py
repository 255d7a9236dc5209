"""Checking models before they run: spec, parameters, SQL, tables and columns.

Every model is run on an empty lake shaped exactly like the contract (every
dataset present, no rows), through the same runner and sandbox as a real run.
That catches, with the model, the file and the line: a spec that does not load,
a parameter with a bad value or an unknown ``{{ placeholder }}``, SQL that does
not parse, a statement that is not a read-only query, an unknown table (sqlglot),
an unknown column or a type error (DuckDB's binder, against the contract's lake
types), output columns that break the finding contract, and a legal basis
citing a provision the catalogue does not hold. SQL that would mean something
else on Spark is reported as a warning.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from jiancha.contracts import datasets
from jiancha.law import LawCatalogue
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.lake_tables import create_table_sql
from jiancha.models.portability import spark_warnings
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink


@dataclass(frozen=True)
class Verdict:
    """One model's validation outcome: ok, or the sentence saying what is wrong; portability warnings."""

    model_id: str
    ok: bool
    message: str | None = None
    warnings: tuple[str, ...] = ()


def empty_contract_lake(path: Path) -> Path:
    """A lake file at ``path`` holding every contract dataset as an empty table."""
    with duckdb.connect(str(path)) as con:
        for dataset in datasets().values():
            con.execute(create_table_sql(dataset))
    return path


def validate_models(
    catalog: Catalog,
    model_ids: list[str] | None = None,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    law: LawCatalogue | None = None,
) -> list[Verdict]:
    """Validate the chosen models (all, including files that failed to load, when ``model_ids`` is None).

    ``law`` is the workspace's legal-basis catalogue (built-in only when None): a model citing a
    key it lacks fails with a sentence naming the model's file and the key.
    """
    with tempfile.TemporaryDirectory(prefix="jiancha-validate-") as folder:
        engine = DuckDBEngine(empty_contract_lake(Path(folder) / "lake.duckdb"))
        try:
            settings = RunSettings(as_of=date.today(), config=config or {}, user="validate", law=law)
            run = run_models(engine, catalog, CollectingSink(), model_ids, settings)
        finally:
            engine.close()
    return [
        Verdict(r.model_id, r.status == "ok", r.message, tuple(spark_warnings(r.sql)) if r.sql else ())
        for r in run.models
    ]
