"""Opening the clue store's database: SQLite pragmas, writer transactions, migrations.

SQLite runs in WAL mode with a busy timeout, and writer transactions start with
``BEGIN IMMEDIATE`` so two processes never both read-then-upgrade a lock (which
SQLite would refuse rather than wait). Readers keep plain ``BEGIN`` and are never
blocked. PostgreSQL needs none of this; there, writers queue on the audit head row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jiancha.clues.database import BUSY_TIMEOUT_S, stands_at_head
from jiancha.disk import writable

if TYPE_CHECKING:
    from jiancha.clues.detail import Run

WRITER = "jiancha_writer"
MIGRATION_LOCK = 7_240_521  # pg_advisory_xact_lock key: one migrator at a time


#: Values per ``IN (...)`` list: under every backend's bound-parameter limit.
IN_LIST_SIZE = 2000


def chunks(items: Sequence[Any], size: int = IN_LIST_SIZE) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``, for statements that bind one parameter per value."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _finite(value: Any) -> Any:
    """The value with NaN and infinities replaced by None (JSON has no spelling for them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_text(value: Any) -> str:
    """How the store writes JSON columns: UTF-8 text; dates and other values as strings,
    NaN as null (PostgreSQL rejects the NaN that Python's json would write)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, default=str)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows at once: PostgreSQL ``COPY`` (psycopg), SQLite a driver-level executemany.

    Both skip SQLAlchemy's per-row parameter handling, which at 100k clues costs more than
    the database's own work; values still go through each column type's bind processor.
    """
    if not rows:
        return
    columns = list(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, table, columns, rows)
        return
    dialect = session.get_bind().dialect
    processors = [(c, table.c[c].type.bind_processor(dialect)) for c in columns]
    values = [tuple(p(row[c]) if p else row[c] for c, p in processors) for row in rows]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    session.connection().exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)


def _copy(session: Session, table: Table, columns: list[str], rows: Sequence[dict[str, Any]]) -> None:
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json_text(row[c]) if c in as_json else row[c] for c in columns])


def driver_rows(session: Session) -> Run:
    """The session's connection as a :data:`~jiancha.clues.detail.Run`: ``?`` marks (turned into
    psycopg's ``%s``), the driver's own values, none of the ORM's per-row work."""
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"

    def run(sql: str, params: Sequence[Any]) -> Sequence[Sequence[Any]]:
        return connection.exec_driver_sql(sql.replace("?", "%s") if postgres else sql, tuple(params)).all()

    return run


def refresh_statistics(engine: Engine, table: str) -> None:
    """After a bulk load, re-sample the planner's statistics so filters pick the right index.

    SQLite reads every index in full (about 0.3 s at 100k clues): a sampled ANALYZE
    (``analysis_limit``) mis-estimated the row counts by up to a third, and with them the
    planner sorted whole tables where walking the ``no`` index would have taken a millisecond.
    PostgreSQL also vacuums, which marks the new pages all-visible so that counts and pages
    come from index-only scans rather than reading the table.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {table}")
        return
    with engine.execution_options(**{WRITER: True}).begin() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=0")
        connection.exec_driver_sql(f"ANALYZE {table}")


def statistics_rows(engine: Engine, table: str) -> int:
    """How many rows the planner's statistics last saw in ``table`` (0 when never sampled).

    Deciding a re-sample against this, rather than against the table before a sync, keeps
    many small syncs (one per model in a run) from leaving the statistics far behind.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            rows = connection.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", (table,)
            ).scalar()
            return max(int(rows or 0), 0)
        if not connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").scalar():
            return 0
        rows = connection.exec_driver_sql(
            "SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = ?", (table,)
        ).scalar()
        return int(rows or 0)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    writer = connection.get_execution_options().get(WRITER, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url``, with the per-backend settings the store relies on.

    ``hide_parameters`` keeps bound values (evidence rows, names) out of error messages and
    logs: a database error then names the statement, never the personal data it carried.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = Path(parsed.database or "")
        if (
            parsed.database not in (None, "", ":memory:")
            and database.exists()
            and not writable(database.parent)
        ):
            # A read-only folder: SQLite cannot make the WAL's -shm file there, so it could not even
            # read. Opened immutable, readers work and any write is refused (jiancha.disk says so).
            url = parsed.set(
                database=f"file:{database}", query={"mode": "ro", "immutable": "1", "uri": "true"}
            )
        engine = create_engine(
            url, json_serializer=json_text, connect_args={"timeout": BUSY_TIMEOUT_S}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, json_serializer=json_text, pool_pre_ping=True, hide_parameters=True)


def at_head(engine: Engine) -> bool:
    """Whether the database already stands at the one newest migration (nothing to upgrade)."""
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            stamped = {row[0] for row in rows}
    except SQLAlchemyError:  # a new database: no version table yet
        return False
    return stands_at_head(stamped)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic ``upgrade head``), one process at a time.

    A database already at the newest revision is left alone without loading Alembic (a quarter
    of a second that every ``jiancha clues`` command and web worker would otherwise pay).
    """
    if at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("jiancha.clues").joinpath("migrations")))
    with engine.execution_options(**{WRITER: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
