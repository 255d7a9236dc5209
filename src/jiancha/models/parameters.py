"""Model parameters: typing the values, choosing among sources, and putting them into SQL.

Values arrive as YAML defaults, TOML config values and ``--param`` strings; each is
checked against the declared type with pydantic (lax mode, so ``"20"`` from the
command line is the integer 20) and then written into the query as a typed SQL
literal, never pasted as raw text, so a parameter cannot change the query's shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from jiancha.errors import ModelError
from jiancha.models.parameter_types import coerce

if TYPE_CHECKING:
    from jiancha.models.catalog import Model

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_STRAY_BRACES = re.compile(r"\{\{|\}\}")


def sql_literal(value: Any) -> str:
    """A typed DuckDB/Spark-portable SQL literal for a validated parameter value."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def resolve(
    model: Model,
    config: Mapping[str, Any] | None = None,
    cli: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The model's parameter values: command line over workspace config over the YAML default.

    Names a model does not declare are errors, so a misspelt override is not silently ignored.
    """
    declared = model.spec.parameters
    values: dict[str, Any] = {}
    for source_name, source in (("jiancha.toml", config or {}), ("--param", cli or {})):
        for name in source:
            if name not in declared:
                known = "、".join(declared) or "（无）"
                raise ModelError(
                    f"模型 {model.id} 没有参数 {name}（来自 {source_name}；该模型的参数：{known}）。"
                )
    for name, parameter in declared.items():
        raw, origin = parameter.default, f"{model.yaml_path.name} 的默认值"
        if config and name in config:
            raw, origin = config[name], "jiancha.toml"
        if cli and name in cli:
            raw, origin = cli[name], "--param"
        try:
            values[name] = coerce(parameter.type, raw)
        except ValueError as exc:
            raise ModelError(f"模型 {model.id} 的参数 {name}（来自 {origin}）：{exc}。") from None
    return values


def render(model: Model, sql: str, values: Mapping[str, Any], as_of: date, origin: str) -> str:
    """``sql`` with every ``{{ name }}`` replaced by its typed literal (``as_of`` always available).

    ``origin`` names what the text came from (the SQL file, a severity condition) for errors,
    which also give the line.
    """
    available = {**values, "as_of": as_of}

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in available:
            line = sql.count("\n", 0, match.start()) + 1
            known = "、".join(available)
            raise ModelError(
                f"模型 {model.id}（{origin} 第 {line} 行）引用了未声明的参数 {{{{ {name} }}}}；"
                f"可用的参数：{known}。请在 YAML 的 parameters 中声明它，或改正拼写。"
            )
        return sql_literal(available[name])

    rendered = PLACEHOLDER.sub(substitute, sql)
    stray = _STRAY_BRACES.search(rendered)
    if stray:
        line = rendered.count("\n", 0, stray.start()) + 1
        raise ModelError(
            f"模型 {model.id}（{origin} 第 {line} 行）有不成对的 {{{{ 或 }}}}；参数应写作 {{{{ 名称 }}}}。"
        )
    return rendered


def parse_cli_params(items: list[str]) -> dict[str, dict[str, str]]:
    """``["water.facility_idle.min_days=15"]`` → ``{"water.facility_idle": {"min_days": "15"}}``."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        model_id, dot, name = key.strip().rpartition(".")
        if not sep or not dot or not model_id or not name:
            raise ModelError(
                f"--param {item!r} 的格式不对：应写作 模型编号.参数名=值"
                "（如 water.facility_idle.min_days=15）。"
            )
        out.setdefault(model_id, {})[name] = value.strip()
    return out
