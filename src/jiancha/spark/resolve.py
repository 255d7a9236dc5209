"""``jiancha resolve --engine spark``: the same resolution, its work done by a Spark cluster.

The lake's datasets are the session's views over their Parquet (``jiancha.spark.lake``), so the
executors read them. The record building, Splink's scoring and clustering (``SparkAPI``) and
the assembly of the entity tables run there, by the statements ``jiancha.resolve`` writes once
in DuckDB's dialect, transpiled by sqlglot; the folds of names and codes run on the executors
in ``mapInArrow``, the character-wise name scorers as pandas UDFs. The driver receives the
distinct credit codes (the code book that corrects typos must know them all) and the finished
tables, which ``jiancha.resolve.service`` writes through the same store as a DuckDB run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from jiancha.resolve.comparisons import SCORERS, score_named
from jiancha.resolve.sources import MENTION_COLUMNS, MENTIONS_SCHEMA
from jiancha.resolve.work import BatchFunction
from jiancha.spark.derived import fingerprint, mentions, spark_sql
from jiancha.spark.lake import read_manifest, register_manifest

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from splink.backends.spark import SparkAPI


def register_functions(session: SparkSession) -> None:
    """The comparisons' scorers (``comparisons.SCORERS``) as pandas UDFs of the same names."""
    from pyspark.sql.functions import pandas_udf
    from pyspark.sql.pandas.types import from_arrow_type

    def udf(name: str, result: pa.DataType) -> object:
        def score(left: pd.Series, right: pd.Series) -> pd.Series:
            scores = score_named(name, pa.array(left, pa.string()), pa.array(right, pa.string()))
            return scores.to_pandas()  # NULL becomes NaN, which Spark reads back as NULL

        return pandas_udf(score, from_arrow_type(result))

    for name, _, result in SCORERS:
        session.udf.register(name, udf(name, result))


class SparkWork:
    """Scratch tables as temporary views of ``session``, each checkpointed when made, so Splink's
    many passes over them do not recompute the lake's reads."""

    dialect = "spark"

    def __init__(self, session: SparkSession) -> None:
        from splink.backends.spark import SparkAPI

        self.session = session
        register_functions(session)
        # Splink's jar functions (jaro_winkler …) are not used: the comparisons call their own.
        self._db_api = SparkAPI(
            spark_session=session, break_lineage_method="persist", register_udfs_automatically=False
        )
        self._views: set[str] = set()

    @property
    def db_api(self) -> SparkAPI:
        return self._db_api

    def _publish(self, name: str, frame: DataFrame) -> None:
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._views.add(name)

    def create(self, name: str, sql: str) -> None:
        self._publish(name, spark_sql(self.session, sql))

    def arrow(self, sql: str) -> pa.Table:
        return spark_sql(self.session, sql).toArrow()

    def put(self, name: str, table: pa.Table) -> None:
        self.session.createDataFrame(table).createOrReplaceTempView(name)
        self._views.add(name)

    def drop(self, name: str) -> None:
        self.session.catalog.dropTempView(name)
        self._views.discard(name)

    def map_batches(self, source: str, name: str, function: BatchFunction, schema: pa.Schema) -> None:
        from pyspark.sql.pandas.types import from_arrow_schema

        def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return map(function, batches)

        self._publish(name, self.session.table(source).mapInArrow(apply, from_arrow_schema(schema)))

    def close(self) -> None:
        """Drop every view this work made and what Splink kept in memory."""
        for name in list(self._views):
            self.drop(name)
        for table in self.session.catalog.listTables():
            if table.isTemporary and table.name.startswith("__splink__"):
                self.session.catalog.dropTempView(table.name)
        self.session.catalog.clearCache()


class SparkSource:
    """The lake as a Spark session sees it (its datasets registered as views): the mentions are
    selected there, and their fingerprint is the one DuckDB computes (``spark.derived``)."""

    def __init__(self, session: SparkSession, tables: set[str]) -> None:
        self.session = session
        self.tables = tables

    def fingerprint(self) -> str:
        return fingerprint(mentions(self.session, self.tables))

    @contextmanager
    def work(self) -> Iterator[SparkWork]:
        work = SparkWork(self.session)
        try:
            found = mentions(self.session, self.tables)
            if found is None:
                work.put("mentions", MENTIONS_SCHEMA.empty_table())
            else:
                work._publish("mentions", found.select(*MENTION_COLUMNS))
            yield work
        finally:
            work.close()


def lake_source(session: SparkSession, location: str | Path) -> SparkSource:
    """The lake at ``location`` (a folder, ``s3a://`` …) as a source: its manifest's datasets
    registered as views over their Parquet. Only the datasets: resolve reads no other table."""
    manifest = read_manifest(session, location)
    datasets = {name: entry for name, entry in manifest.tables.items() if entry.get("kind") == "dataset"}
    return SparkSource(session, register_manifest(session, replace(manifest, tables=datasets)))
