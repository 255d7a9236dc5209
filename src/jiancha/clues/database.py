"""What opening the store's database needs before, or without, SQLAlchemy.

The newest migration and the busy timeout are read by the engine (:mod:`jiancha.clues.engine`)
and by :func:`open_sqlite`, which serves ``jiancha clues show`` from the stdlib ``sqlite3``
module: a store already at the newest migration needs nothing else to be read.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_S = 120

_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=(.*)$", re.MULTILINE)


@functools.cache
def migration_heads() -> frozenset[str]:
    """The revisions no other migration builds on, read from the migration files' ``revision`` and
    ``down_revision`` lines (Alembic's own reading of them would cost every command its import).
    Read once per process: the files ship with the package."""
    revisions: set[str] = set()
    bases: set[str] = set()
    for path in resources.files("jiancha.clues").joinpath("migrations", "versions").iterdir():
        if not path.name.endswith(".py") or path.name.startswith("__"):
            continue
        text = path.read_text("utf-8")
        revisions.update(_REVISION.findall(text))
        for line in _DOWN_REVISION.findall(text):
            bases.update(re.findall(r"['\"]([^'\"]+)['\"]", line))
    return frozenset(revisions - bases)


def stands_at_head(stamped: set[str]) -> bool:
    """Whether a database stamped with ``stamped`` revisions needs no upgrade."""
    heads = migration_heads()
    return len(heads) == 1 and stamped == heads


def open_sqlite(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the store at ``path``, if it exists and stands at the newest
    migration; None otherwise (the caller then opens the store, which creates or upgrades it)."""
    if not path.is_file():
        return None
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        stamped = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.OperationalError:  # no version table: a database the store never opened
        stamped = set()
    if stands_at_head(stamped):
        return connection
    connection.close()
    return None


def rows(connection: sqlite3.Connection) -> Any:
    """The :data:`jiancha.clues.detail.Run` of a ``sqlite3`` connection."""
    return lambda sql, params: connection.execute(sql, params).fetchall()
