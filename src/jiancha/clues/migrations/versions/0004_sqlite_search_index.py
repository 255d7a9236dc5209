"""On SQLite, an FTS5 trigram index makes the clue list's text search an index lookup.

The search is a substring match. SQLite answered it by testing every entry of the
``search_text`` b-tree (about 25 ms a page at 100k clues, a third of the web list's
cost); FTS5's trigram tokenizer finds a substring of three or more characters from
its index, as ``pg_trgm`` does on PostgreSQL (migration 0003). The index is an
external-content table over ``clues`` keyed by clue number. The store's sync adds new
clues to it in bulk (``jiancha.clues.search.index_new``); triggers follow the rare
deletions and search-text changes.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "clues_search"  # lives only in SQLite databases, not in the ORM schema

TRIGGERS = {
    "clues_search_delete": f"""AFTER DELETE ON clues BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, search_text) VALUES ('delete', old.no, old.search_text); END""",
    "clues_search_update": f"""AFTER UPDATE OF no, search_text ON clues BEGIN
        INSERT INTO {TABLE} ({TABLE}, rowid, search_text) VALUES ('delete', old.no, old.search_text);
        INSERT INTO {TABLE} (rowid, search_text) VALUES (new.no, new.search_text); END""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_text, content='clues', content_rowid='no', "
        "columnsize=0, tokenize='trigram')"
    )
    op.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
