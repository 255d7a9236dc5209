"""Every detail column of every built-in model has a title a person can read, and models
without periods name the column that dates the conduct."""

from __future__ import annotations

import re

import pytest
import sqlglot
from pydantic import ValidationError

from jiancha.display import column_labels
from jiancha.findings import month_of, period_month
from jiancha.models.catalog import Catalog
from jiancha.models.results import CONTRACT_COLUMNS
from jiancha.models.spec import ModelSpec

CATALOG = Catalog.load()
MODELS = CATALOG.models


def test_every_built_in_model_loads():
    """A model whose YAML fails to load drops out of MODELS, and with it out of every test below."""
    assert CATALOG.problems == {}


def output_columns(model) -> list[str]:
    """The names the model's query returns (its outermost SELECT)."""
    sql = re.sub(r"\{\{\s*\w+\s*\}\}", "1", model.sql_text())
    return sqlglot.parse_one(sql, read="duckdb").named_selects


@pytest.mark.parametrize("model_id", sorted(MODELS))
def test_every_detail_column_is_titled(model_id):
    model = MODELS[model_id]
    details = [c for c in output_columns(model) if c not in CONTRACT_COLUMNS and c != "severity"]
    titled = column_labels(model.spec)
    assert [c for c in details if c not in titled] == []
    assert [c for c in model.spec.columns if c not in details] == []  # no title for a column never returned
    assert all(titled[c].title and "_" not in titled[c].title for c in details)


@pytest.mark.parametrize("model_id", sorted(m for m in MODELS if MODELS[m].spec.period == "none"))
def test_models_without_periods_date_their_conduct(model_id):
    column = MODELS[model_id].spec.conduct_column()
    assert column in output_columns(MODELS[model_id])


def test_months_of_periods_and_dates():
    assert [period_month(p) for p in ("2024-03", "2024-Q1", "2024-Q4", None, "")] == [
        "2024-03",
        "2024-01",
        "2024-10",
        None,
        None,
    ]
    assert [month_of(v) for v in ("2024-05-22", "2024-05-22T09:00:00", None, "雄县", 3)] == [
        "2024-05",
        "2024-05",
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"x": {"field": "criminal_cases.nope"}}, "契约中没有字段 criminal_cases.nope"),
        ({"x": {"en": "only English"}}, "列须有中文标题 zh"),
        ({"a": {"zh": "甲", "conduct": True}, "b": {"zh": "乙", "conduct": True}}, "只能有一列标明 conduct"),
    ],
)
def test_a_bad_columns_block_is_refused_with_a_sentence(columns, message):
    raw = MODELS["water.facility_idle"].spec.model_dump(exclude_none=True)
    with pytest.raises(ValidationError, match=message):
        ModelSpec.model_validate({**raw, "columns": columns})
