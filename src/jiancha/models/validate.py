"""Checking models before they run: spec, parameters, SQL, tables and columns.

Every model is run on an empty lake shaped exactly like the contract (every
dataset present, no rows), through the same runner and sandbox as a real run.
That catches, with the model, the file and the line: a spec that does not load,
a parameter with a bad value or an unknown ``{{ placeholder }}``, SQL that does
not parse, a statement that is not a read-only query, an unknown table (sqlglot),
an unknown column or a type error (DuckDB's binder, against the contract's lake
types), output columns that break the finding contract, and a legal basis
citing a provision the catalogue does not hold. SQL that would mean something
else on Spark is reported as a warning. The model's fact and reasons templates
must parse and read only the columns its query returns (and the evidence of its
own datasets).
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
from jiancha.documents.facts import template_problems
from jiancha.findings import ModelRunRecord
from jiancha.law import LawCatalogue
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.lake_tables import create_table_sql
from jiancha.models.portability import spark_warnings
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.spec import ModelSpec
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
            verdicts = [_verdict(engine, catalog, record) for record in run.models]
        finally:
            engine.close()
    return verdicts


def _verdict(engine: DuckDBEngine, catalog: Catalog, record: ModelRunRecord) -> Verdict:
    """A run record as a verdict; a model whose query ran must also have templates that fit it."""
    warnings = tuple(spark_warnings(record.sql)) if record.sql else ()
    model = catalog.models.get(record.model_id)
    if record.status != "ok" or model is None or record.sql is None:
        return Verdict(record.model_id, record.status == "ok", record.message, warnings)
    columns = engine.query(f"SELECT * FROM ({record.sql}) AS query_columns LIMIT 0").schema.names
    problems = [
        f"模型 {model.id}（{model.yaml_path.name}）{where}：{problem}"
        for where, template in templates(model.spec)
        for problem in template_problems(template, columns, model.spec.datasets)
    ]
    return Verdict(record.model_id, not problems, "；".join(problems) or None, warnings)


def templates(spec: ModelSpec) -> list[tuple[str, str]]:
    """Every template a model's YAML holds, with where it is (facts.zh, reasons.breach.zh, …)."""
    parts: list[tuple[str, object]] = [("facts", spec.facts)]
    if spec.reasons is not None:
        parts += [(f"reasons.{step}", reason) for step, reason in spec.reasons.steps()]
    return [
        (f"{where}.{key}", text)
        for where, part in parts
        for key in ("zh", "en", "subject")
        if part is not None and (text := getattr(part, key, None))
    ]
