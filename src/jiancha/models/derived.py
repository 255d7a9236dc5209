"""Derived tables: what Python computes from the lake before a model's query runs.

Some facts are not plain columns — what a penalty decision's free text says, which
entity a spelling of a name resolves to. The stage that knows how to compute each
one provides a function ``fn(con) -> pyarrow.Table`` over a DuckDB connection to the
lake; this registry names them so a model lists ``derived: [penalty_facts]`` and the
runner registers the table before the query. Imports are lazy: the heavy text and
linkage code loads only when a model asks for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from jiancha.errors import ModelError

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class DerivedTable:
    """A derived table's name and where its function lives (``module:function``)."""

    name: str
    function: str

    def load(self) -> Callable[[Any], pa.Table]:
        """Import the function; a clear error when its stage is not installed yet."""
        module_name, _, attribute = self.function.partition(":")
        try:
            return getattr(import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise ModelError(f"派生表 {self.name} 不可用：无法导入 {self.function}（{exc}）。") from exc

    def compute(self, con: Any, store: object | None = None) -> pa.Table:
        """The table over ``con``; a function that takes a second argument also gets the clue store,
        so what people decided (the penalty reader's needs-reading queue) reaches the next run."""
        function = self.load()
        if store is not None and len(inspect.signature(function).parameters) > 1:
            return function(con, store)
        return function(con)


DERIVED_TABLES: dict[str, DerivedTable] = {
    "penalty_facts": DerivedTable("penalty_facts", "jiancha.text.penalty:penalty_facts_table"),
    "entity_lookup": DerivedTable("entity_lookup", "jiancha.resolve:entity_lookup_table"),
}
