"""Where a resolution's scratch tables live: a private DuckDB, or a Spark session.

The record building, scoring, clustering and assembly are written once, in DuckDB's SQL
dialect, against :class:`Work`; a backend runs each statement as it is (DuckDB) or
transpiled by sqlglot (Spark, ``jiancha.spark.resolve``), and hands Splink its own
database API. So both backends compute the same tables by the same definitions, and only
the finished entity tables come back to the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import duckdb
import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass

from jiancha.resolve.comparisons import register_functions
from jiancha.resolve.sources import MENTIONS_SCHEMA, fingerprint, mentions_sql

#: A function over one batch of rows, run where the rows are (Python folds of names and codes).
BatchFunction = Callable[[pa.RecordBatch], pa.RecordBatch]


class Work(Protocol):
    """A backend's scratch space, spoken to in DuckDB-dialect SQL."""

    #: The Splink dialect name of the backend ("duckdb" or "spark").
    dialect: str

    @property
    def db_api(self) -> DatabaseAPISubClass:
        """Splink's API over the same tables."""
        ...

    def create(self, name: str, sql: str) -> None:
        """Materialise the SELECT ``sql`` as the table ``name`` (replacing one of that name)."""
        ...

    def arrow(self, sql: str) -> pa.Table:
        """The result of the SELECT ``sql``, brought to the caller."""
        ...

    def put(self, name: str, table: pa.Table) -> None:
        """Make a small table from the caller (labels, decisions) available as ``name``."""
        ...

    def drop(self, name: str) -> None:
        """Forget a table made by :meth:`put`."""
        ...

    def map_batches(self, source: str, name: str, function: BatchFunction, schema: pa.Schema) -> None:
        """Create ``name`` by applying ``function`` to each batch of ``source``, where its rows are."""
        ...


class Source(Protocol):
    """Where the party mentions are read: the lake as one engine sees it."""

    def fingerprint(self) -> str:
        """The digest of every mention (``sources.fingerprint``), the same on every engine."""
        ...

    def work(self) -> AbstractContextManager[Work]:
        """A fresh scratch space holding the table ``mentions`` (``sources.MENTION_COLUMNS``)."""
        ...


class DuckDBWork:
    """Scratch tables on a private in-memory DuckDB, so none reaches the lake."""

    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        register_functions(con)
        self._db_api = DuckDBAPI(connection=con)

    @property
    def db_api(self) -> DuckDBAPI:
        return self._db_api

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")

    def arrow(self, sql: str) -> pa.Table:
        return self.con.execute(sql).to_arrow_table()

    def put(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def drop(self, name: str) -> None:
        self.con.unregister(name)

    def map_batches(self, source: str, name: str, function: BatchFunction, schema: pa.Schema) -> None:
        batches = self.con.table(source).to_arrow_table().to_batches()
        self.put("_mapped_in", pa.Table.from_batches([function(b) for b in batches], schema=schema))
        self.create(name, "SELECT * FROM _mapped_in")
        self.drop("_mapped_in")


class DuckDBSource:
    """The lake connection as the source: its mentions copied into a private DuckDB."""

    def __init__(self, lake: duckdb.DuckDBPyConnection) -> None:
        self.lake = lake

    def fingerprint(self) -> str:
        return fingerprint(self.lake)

    @contextmanager
    def work(self) -> Iterator[DuckDBWork]:
        sql = mentions_sql(self.lake)
        found = MENTIONS_SCHEMA.empty_table() if sql is None else self.lake.execute(sql).to_arrow_table()
        with duckdb.connect() as con:
            con.register("_mentions_in", found)
            con.execute("CREATE TABLE mentions AS SELECT * FROM _mentions_in")
            con.unregister("_mentions_in")
            yield DuckDBWork(con)
