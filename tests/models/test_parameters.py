"""Parameters: typed literals, command line > config > default, and errors that name the line."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.errors import ModelError
from jiancha.models.catalog import load_model
from jiancha.models.parameters import coerce, parse_cli_params, render, resolve, sql_literal

from .fixtures import IDLE_SQL, variant, write_model


@pytest.fixture
def model(tmp_path):
    spec = variant(
        "local.idle",
        parameters={
            "min_days": {"type": "integer", "default": 3, "title": {"zh": "天数"}},
            "ratio": {"type": "number", "default": 0.5, "title": {"zh": "比例"}},
            "agency": {"type": "string", "default": "雄县住建局", "title": {"zh": "机关"}},
            "since": {"type": "date", "default": "2024-01-01", "title": {"zh": "起始日"}},
            "strict": {"type": "boolean", "default": False, "title": {"zh": "从严"}},
        },
    )
    return load_model(write_model(tmp_path, spec, IDLE_SQL))


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (20, "20"),
        (0.25, "0.25"),
        ("O'Brien 公司", "'O''Brien 公司'"),
        (date(2024, 6, 30), "DATE '2024-06-30'"),
        (True, "TRUE"),
        (False, "FALSE"),
    ],
)
def test_literals_are_typed_and_quoted(value, literal):
    assert sql_literal(value) == literal


@pytest.mark.parametrize(
    ("kind", "raw", "typed"),
    [
        ("integer", "15", 15),
        ("number", "2", 2.0),
        ("date", "2024-06-30", date(2024, 6, 30)),
        ("boolean", "true", True),
    ],
)
def test_command_line_text_is_coerced(kind, raw, typed):
    assert coerce(kind, raw) == typed and type(coerce(kind, raw)) is type(typed)


@pytest.mark.parametrize(
    ("kind", "raw", "start"),
    [
        ("integer", "2.5", "应为整数，现为 '2.5'"),
        ("integer", True, "应为整数，现为布尔值 True"),
        ("number", "nan", "应为有限的数值，现为 'nan'"),
        ("date", "30/06/2024", "应为日期（YYYY-MM-DD），现为 '30/06/2024'"),
        ("boolean", "maybe", "应为布尔值，现为 'maybe'"),
    ],
)
def test_ill_typed_values_are_refused(kind, raw, start):
    with pytest.raises(ValueError) as caught:
        coerce(kind, raw)
    assert str(caught.value).startswith(start)


def test_precedence_cli_over_config_over_default(model):
    values = resolve(model, config={"min_days": 10, "ratio": 0.7}, cli={"min_days": "15"})
    assert values == {
        "min_days": 15,
        "ratio": 0.7,
        "agency": "雄县住建局",
        "since": date(2024, 1, 1),
        "strict": False,
    }


def test_unknown_parameter_name_is_an_error(model):
    with pytest.raises(ModelError) as caught:
        resolve(model, cli={"min_dayz": "15"})
    assert str(caught.value) == (
        "模型 local.idle 没有参数 min_dayz（来自 --param；"
        "该模型的参数：min_days、ratio、agency、since、strict）。"
    )


def test_ill_typed_override_names_its_source(model):
    with pytest.raises(ModelError) as caught:
        resolve(model, config={"since": "last year"})
    assert str(caught.value).startswith(
        "模型 local.idle 的参数 since（来自 jiancha.toml）：应为日期（YYYY-MM-DD），现为 'last year'"
    )


def test_render_replaces_placeholders_and_as_of(model):
    sql = (
        "SELECT *\nFROM t\nWHERE n >= {{min_days}} AND a = {{ agency }}\n"
        "AND d BETWEEN {{ since }} AND {{ as_of }}"
    )
    values = resolve(model)
    assert render(model, sql, values, date(2024, 6, 30), "idle.sql") == (
        "SELECT *\nFROM t\nWHERE n >= 3 AND a = '雄县住建局'\n"
        "AND d BETWEEN DATE '2024-01-01' AND DATE '2024-06-30'"
    )


def test_unknown_placeholder_names_model_file_and_line(model):
    with pytest.raises(ModelError) as caught:
        render(
            model, "SELECT 1\nFROM t\nWHERE x > {{ min_dais }}", resolve(model), date(2024, 6, 30), "idle.sql"
        )
    assert str(caught.value) == (
        "模型 local.idle（idle.sql 第 3 行）引用了未声明的参数 {{ min_dais }}；"
        "可用的参数：min_days、ratio、agency、since、strict、as_of。"
        "请在 YAML 的 parameters 中声明它，或改正拼写。"
    )


def test_unbalanced_braces_are_an_error(model):
    with pytest.raises(ModelError, match=r"^模型 local.idle（idle.sql 第 2 行）有不成对的 \{\{ 或 \}\}"):
        render(model, "SELECT 1\nWHERE x > {{ min_days", {}, date(2024, 6, 30), "idle.sql")


def test_cli_params_are_grouped_by_model():
    assert parse_cli_params(["water.facility_idle.min_days=15", "local.idle.agency= 雄县 "]) == {
        "water.facility_idle": {"min_days": "15"},
        "local.idle": {"agency": "雄县"},
    }
    with pytest.raises(ModelError, match=r"^--param 'min_days=15' 的格式不对"):
        parse_cli_params(["min_days=15"])


def test_config_and_cli_reach_the_query(lake):
    """End to end: the parameter decides which months come back."""
    assert [f.subject_id for f in lake.run("local.idle", as_of="2024-06-30")] == ["F1"]
    assert lake.run("local.idle", as_of="2024-06-30", params={"min_days": "5"}) == []
    assert lake.last_record.parameters == {"min_days": 5}
