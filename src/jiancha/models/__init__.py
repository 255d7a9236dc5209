"""The model engine: specs, parameters, validation, the runner and evidence collection.

A model is a YAML spec (:mod:`~jiancha.models.spec`) beside a SQL query or an Ibis
function; :class:`~jiancha.models.catalog.Catalog` finds them,
:func:`~jiancha.models.runner.run_models` runs them on an
:class:`~jiancha.models.engine.Engine` and hands the findings to a clue sink, and
:mod:`~jiancha.models.testing` gives model authors golden tests on a tiny lake.
The names below are imported on first use (:mod:`jiancha.lazy`): listing the
catalogue does not load DuckDB and Ibis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jiancha.lazy import lazy_exports

if TYPE_CHECKING:
    from jiancha.models.catalog import Catalog, Model
    from jiancha.models.engine import DuckDBEngine, Engine, SparkEngine
    from jiancha.models.limits import DEFAULT_TIME_LIMIT
    from jiancha.models.runner import RunSettings, run_models
    from jiancha.models.spec import ModelSpec, load_spec

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Catalog",
    "DuckDBEngine",
    "Engine",
    "Model",
    "ModelSpec",
    "RunSettings",
    "SparkEngine",
    "load_spec",
    "run_models",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Catalog": "jiancha.models.catalog",
        "Model": "jiancha.models.catalog",
        "DEFAULT_TIME_LIMIT": "jiancha.models.limits",
        "DuckDBEngine": "jiancha.models.engine",
        "Engine": "jiancha.models.engine",
        "SparkEngine": "jiancha.models.engine",
        "RunSettings": "jiancha.models.runner",
        "run_models": "jiancha.models.runner",
        "ModelSpec": "jiancha.models.spec",
        "load_spec": "jiancha.models.spec",
    },
)
