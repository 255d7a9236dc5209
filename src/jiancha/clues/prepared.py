"""Selects compiled once per shape and run on the driver: the web app's per-request reads.

SQLAlchemy builds, keys and looks up its cached compilation of a statement on every
execution, and wraps each result in its own row machinery: about 0.3 ms a statement,
more than SQLite takes to answer the list page's queries. A :class:`Prepared` select is
compiled once (values as bound parameters, see :func:`prepare`); running it costs a
dict merge, the driver's work and the columns' own result processors, so its rows hold
the values a Core select would have given.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Dialect, Select


class Prepared:
    """One select compiled for one dialect; :meth:`rows` runs it with the given values."""

    def __init__(self, statement: Select | CompoundSelect, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("an expanding parameter cannot be compiled once; bind a fixed number of values")
        self.sql = compiled.string
        self._positions = compiled.positiontup  # None for named paramstyles (psycopg)
        self._defaults = dict(compiled.params)
        self._binds = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
        }
        self._results = [
            (i, processor)
            for i, column in enumerate(statement.selected_columns)
            if (processor := column.type.dialect_impl(dialect).result_processor(dialect, None))
        ]

    def rows(self, connection: Connection, values: Mapping[str, Any] | None = None) -> list[list[Any]]:
        """Every row of the select, given values for its parameters (the others keep theirs)."""
        merged = {**self._defaults, **(values or {})}
        for name, processor in self._binds.items():
            merged[name] = processor(merged[name])
        params = merged if self._positions is None else tuple(merged[n] for n in self._positions)
        result = connection.exec_driver_sql(self.sql, params)
        try:
            fetched = result.cursor.fetchall()  # the driver's rows, not SQLAlchemy's Row per row
        finally:
            result.close()
        if not self._results:
            return [list(row) for row in fetched]
        out = []
        for raw in fetched:
            row = list(raw)
            for i, processor in self._results:
                row[i] = processor(row[i])
            out.append(row)
        return out


@functools.lru_cache(maxsize=512)
def prepare(build: Callable[..., Select | CompoundSelect], dialect: Dialect, *shape: Hashable) -> Prepared:
    """``build(*shape)`` compiled for ``dialect``, once per (builder, dialect, shape).

    ``shape`` is what changes the statement's text (which filters are set, the order),
    never a value: values are bound parameters, given to :meth:`Prepared.rows`.
    """
    return Prepared(build(*shape), dialect)
