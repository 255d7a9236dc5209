"""The model engine: specs, parameters, validation, the runner and evidence collection.

A model is a YAML spec (:mod:`~jiancha.models.spec`) beside a SQL query or an Ibis
function; :class:`~jiancha.models.catalog.Catalog` finds them,
:func:`~jiancha.models.runner.run_models` runs them on an
:class:`~jiancha.models.engine.Engine` and hands the findings to a clue sink, and
:mod:`~jiancha.models.testing` gives model authors golden tests on a tiny lake.
"""

from jiancha.models.catalog import Catalog, Model
from jiancha.models.engine import DEFAULT_TIME_LIMIT, DuckDBEngine, Engine, SparkEngine
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
