"""Entity resolution: one company or person across every agency's records.

``names`` folds spellings, ``credit_code`` checks GB 32100-2015 codes,
``lookup.entity_lookup_table`` serves the models, ``linker`` runs Splink and
``store`` keeps the entity tables in the lake. ``entity_lookup_table`` is imported
on first use (:mod:`jiancha.lazy`), so reading ``threshold`` loads no DuckDB.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jiancha.lazy import lazy_exports

if TYPE_CHECKING:
    from jiancha.resolve.lookup import entity_lookup_table

__all__ = ["entity_lookup_table"]

__getattr__, __dir__ = lazy_exports(__name__, {"entity_lookup_table": "jiancha.resolve.lookup"})
