"""Text search over clues: a substring of the search text (id, subject, addressee, model).

PostgreSQL answers ``LIKE '%…%'`` from its ``pg_trgm`` index (migration 0003). SQLite
would test every entry of the ``search_text`` b-tree (about 25 ms a page at 100k
clues), so there the store keeps an FTS5 trigram index, ``clues_search`` (migration
0004), and looks a needle of three or more characters up in it.

New clues enter that index here, one statement per sync batch: a per-row insert
trigger made upserting 100k clues four times slower. Deleting a clue or changing its
search text is rare and kept current by triggers.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, column, false, insert, select, table
from sqlalchemy.orm import Session

from jiancha.clues.schema import SEARCH_TABLE, Clue

_INDEX = table(SEARCH_TABLE, column("rowid"), column("search_text"))
MIN_INDEXED = 3  # the trigram index finds needles of at least this many characters
#: No stored text holds a NUL (PostgreSQL cannot, FTS5 stops reading a query at one): a needle
#: with one matches nothing and is not sent to the database.
NUL = "\x00"


def _uses_index(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def contains(text: str) -> ColumnElement[bool]:
    """The plain search condition (the search text is stored lower-case)."""
    if NUL in text:
        return false()
    return Clue.search_text.contains(text.strip().lower(), autoescape=True)


def searched(session: Session, text: str) -> Select:
    """The numbers of the clues whose search text contains ``text``.

    In the FTS5 index the needle is a quoted phrase of trigrams, which matches exactly
    the substrings ``LIKE`` would; shorter needles use the plain condition.
    """
    needle = text.strip().lower()
    if _uses_index(session) and len(needle) >= MIN_INDEXED and NUL not in needle:
        phrase = '"' + needle.replace('"', '""') + '"'
        return select(_INDEX.c.rowid).where(_INDEX.c.search_text.match(phrase))
    return select(Clue.no).where(contains(needle))


def index_new(session: Session, after_no: int) -> None:
    """Add the clues numbered above ``after_no`` (just inserted) to the search index."""
    if _uses_index(session):
        new = select(Clue.no, Clue.search_text).where(Clue.no > after_no)
        session.execute(insert(_INDEX).from_select(["rowid", "search_text"], new))
