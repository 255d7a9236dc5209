"""The derived tables computed on Spark, by the same Python that computes them on DuckDB.

``penalty_facts``: the executors read each share of ``admin_penalties`` with the penalty
reader (``jiancha.text.penalty.read_penalty``) through ``mapInArrow``; what people decided
on the needs-reading queue is read from the clue store once and broadcast, and the doubts
left come back to the driver (a few rows) to be queued, as on DuckDB.

``entity_lookup``: the party mentions are selected by the SQL the DuckDB lookup uses
(``jiancha.resolve.sources``), transpiled. When a stored resolution is current (its
fingerprint equals the lake's, computed on the executors with DuckDB's own hash so the
two engines agree), the lookup is Spark SQL over resolve's ``_entity_members``; otherwise
the distinct spellings (names, not rows) come to the driver for the rule-based ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING

import pyarrow as pa

from jiancha.errors import ModelError
from jiancha.i18n import tr

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: The column carrying a row's queued doubts back to the driver (dropped from the view).
DOUBTS = "__jiancha_doubts"
PENALTIES = "admin_penalties"


def spark_sql(session: SparkSession, sql: str) -> DataFrame:
    """DuckDB SQL run on Spark, transpiled as the models' queries are."""
    from jiancha.spark.sql import to_spark

    return session.sql(to_spark(sql))


def penalty_facts(session: SparkSession, store: object | None = None) -> DataFrame:
    """The ``penalty_facts`` rows, read on the executors; doubts queued in ``store`` when it keeps a
    needs-reading queue (:class:`jiancha.text.queue.ReadingQueue`)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    from jiancha.text.penalty import PENALTY_FACTS_SCHEMA, penalty_facts_rows, read_penalty
    from jiancha.text.queue import QueuedDoubt, ReadingQueue, read_rows, reading_decisions
    from jiancha.text.reading import Doubt

    decided = session.sparkContext.broadcast(reading_decisions(store))
    schema = PENALTY_FACTS_SCHEMA.append(pa.field(DOUBTS, pa.string()))

    def read(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows = zip(
                *(batch.column(c).to_pylist() for c in ("decision_no", "facts", "case_cause")), strict=True
            )
            readings, queued = [], []
            for row in rows:
                out, doubts = read_rows([row], read_penalty, decided.value)
                readings.extend(out)
                queued.append(json.dumps([asdict(d) for d in doubts], ensure_ascii=False) if doubts else None)
            table = penalty_facts_rows(readings).append_column(DOUBTS, pa.array(queued, pa.string()))
            yield from table.cast(schema).to_batches()

    frame = (
        session.table(PENALTIES)
        .select("decision_no", "facts", "case_cause")
        .mapInArrow(read, from_arrow_schema(schema))
        .persist()  # read once: the queue and every model see the same rows
    )
    if isinstance(store, ReadingQueue):
        shipped = frame.where(f"{DOUBTS} IS NOT NULL").select(DOUBTS).toArrow().column(DOUBTS).to_pylist()
        store.queue_readings(
            [
                QueuedDoubt(d["decision_no"], d["facts_hash"], Doubt(**d["doubt"]))
                for text in shipped
                for d in json.loads(text)
            ]
        )
    return frame.drop(DOUBTS)


def mentions(session: SparkSession, tables: set[str]) -> DataFrame | None:
    """Every party mention in the lake (``jiancha.resolve.sources.MENTION_COLUMNS``); None when no
    registered dataset names a party."""
    from jiancha.resolve.sources import PARTY_FIELDS, mentions_sql_over

    columns = {
        name: set(session.table(name).columns) for name in {f.dataset for f in PARTY_FIELDS} if name in tables
    }
    sql = mentions_sql_over(columns)
    return None if sql is None else spark_sql(session, sql)


def fingerprint(frame: DataFrame | None) -> str:
    """The mentions' fingerprint exactly as ``jiancha.resolve.sources.fingerprint`` gives it on
    DuckDB: each executor hashes its share with DuckDB's ``hash`` and XORs it; the driver XORs the
    partial digests (XOR is order-free, so the partition does not matter)."""
    if frame is None:
        return "0:0"
    from jiancha.resolve.sources import MENTION_COLUMNS

    names = ", ".join(MENTION_COLUMNS)

    def digest(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import duckdb

        con = duckdb.connect(":memory:")
        count, xor = 0, 0
        for batch in batches:
            con.register("__mentions", batch)
            n, d = con.execute(
                f"SELECT count(*), coalesce(bit_xor(hash({names})), 0) FROM __mentions"
            ).fetchone()
            count, xor = count + n, xor ^ int(d)
        yield pa.RecordBatch.from_pydict({"n": [count], "digest": [str(xor)]})

    parts = frame.select(*MENTION_COLUMNS).mapInArrow(digest, "n bigint, digest string").collect()
    count, xor = 0, 0
    for row in parts:
        count, xor = count + row["n"], xor ^ int(row["digest"])
    return f"{count}:{xor}"


def entity_lookup(session: SparkSession, tables: set[str]) -> DataFrame:
    """(name, credit_code, entity_id): resolve's members when current, else the rule-based ids."""
    from jiancha.resolve.lookup import SCHEMA, spellings_lookup
    from jiancha.resolve.store import MEMBERS, RUNS

    found = mentions(session, tables)
    if found is None:
        return session.createDataFrame(SCHEMA.empty_table())
    if {RUNS, MEMBERS} <= tables:
        latest = session.sql(f"SELECT fingerprint FROM {RUNS} ORDER BY resolved_at DESC LIMIT 1").collect()
        if latest and latest[0]["fingerprint"] == fingerprint(found):
            return session.sql(
                f"""SELECT name, credit_code, max_by(entity_id, n) AS entity_id FROM (
                        SELECT name, credit_code, entity_id, count(*) AS n FROM {MEMBERS}
                        GROUP BY name, credit_code, entity_id)
                    GROUP BY name, credit_code"""
            )
    spellings = found.select("name", "credit_code").distinct().toArrow()
    pairs = list(zip(*(spellings.column(c).to_pylist() for c in ("name", "credit_code")), strict=True))
    table = spellings_lookup(sorted(pairs, key=lambda p: (p[0], p[1] or "")))
    return session.createDataFrame(table)


def register_derived(session: SparkSession, name: str, tables: set[str], store: object | None) -> None:
    """Compute the derived table ``name`` on Spark and register it as a view of that name."""
    if name == "penalty_facts":
        if PENALTIES not in tables:
            raise ModelError(
                tr(
                    "派生表 penalty_facts 需要数据集 admin_penalties，但数据湖中没有它。",
                    "The derived table penalty_facts needs admin_penalties, which the lake does not hold.",
                )
            )
        frame = penalty_facts(session, store)
    elif name == "entity_lookup":
        frame = entity_lookup(session, tables)
    else:
        raise ModelError(
            tr(
                f"派生表 {name} 没有 Spark 上的实现。",
                f"The derived table {name} has no Spark implementation.",
            )
        )
    frame.createOrReplaceTempView(name)
