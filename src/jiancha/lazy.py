"""Package re-exports that import their module on first use.

A package's ``__init__`` names what it offers (``from jiancha.clues import ClueStore``),
but importing it must not import everything behind those names: ``jiancha.clues.workflow``
is read by the CLI's option types, and loading the store (SQLAlchemy, Alembic, Shapely)
only to reach it would cost every command its start-up. :func:`lazy_exports` gives a
package the module-level ``__getattr__`` and ``__dir__`` (PEP 562) that import a name's
module when the name is first read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, serving each name from its module.

    ``exports`` maps an exported name to the module that defines it.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(exports[name]), name)

    def __dir__() -> list[str]:
        return sorted({*exports, *vars(import_module(package))})

    return __getattr__, __dir__
