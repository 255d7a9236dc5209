"""Every water model's SQL transpiles from DuckDB to Spark with nothing left that only DuckDB knows.

The golden tests run on DuckDB; this keeps the same queries runnable on a Spark
cluster (ARCHITECTURE.md: same data, same models → same clues on any backend).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from jiancha.models.catalog import Catalog
from jiancha.models.parameters import render

CATALOG = Catalog.load()
WATER = sorted(model_id for model_id in CATALOG.models if model_id.startswith("water."))
#: DuckDB spellings that must not survive into Spark SQL (they fail there, or count differently).
DUCKDB_ONLY = re.compile(
    r"\b(LIST_\w+|STRFTIME|ARG_(MAX|MIN)|GENERATE_SERIES|DAYOFWEEK|LEN|DATE_PART|EPOCH\w*)\s*\(",
    re.IGNORECASE,
)


def test_the_ten_water_models_are_in_the_library() -> None:
    assert WATER == [
        "water.effluent_exceedance_unenforced",
        "water.facility_idle",
        "water.manifest_route_mismatch",
        "water.manifest_unclosed",
        "water.monitoring_data_anomaly",
        "water.sludge_receiver_unqualified",
        "water.sludge_storage_noncompliant",
        "water.sludge_transfer_overdue",
        "water.sludge_unaccounted",
        "water.sludge_underreported",
    ]


@pytest.mark.parametrize("model_id", WATER)
def test_transpiles_to_spark(model_id: str) -> None:
    model = CATALOG.models[model_id]
    defaults = {name: parameter.default for name, parameter in model.spec.parameters.items()}
    sql = render(model, model.sql_text(), defaults, date(2024, 12, 31), model.sql_path.name)
    (spark,) = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    assert DUCKDB_ONLY.findall(spark) == []
    assert "{{" not in spark


@pytest.mark.parametrize("model_id", WATER)
def test_comments_hold_no_apostrophe(model_id: str) -> None:
    """Once the engine turns ``--`` comments into ``/* */``, DuckDB 1.5 misreads later non-ASCII
    literals (such as the ideographic space the effluent model folds) after a comment with an
    apostrophe in it, silently changing results."""
    sql = CATALOG.models[model_id].sql_text()
    assert [line for line in sql.splitlines() if "--" in line and "'" in line.split("--", 1)[1]] == []
