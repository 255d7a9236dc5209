"""On PostgreSQL, a trigram index makes the clue list's text search an index lookup.

The search is a substring match (``LIKE '%…%'``), which a b-tree cannot serve; at 100k
clues the scan cost ~70 ms a page. ``pg_trgm`` ships with PostgreSQL and is a trusted
extension (any user who may create objects in the database may install it). Where it
is not available or may not be installed, the search stays a scan and nothing fails.
SQLite keeps its b-tree search index (already an index-only scan there).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "ix_clues_search_trgm"  # lives only in PostgreSQL databases, not in the ORM schema


def _can_use_trigrams(bind: sa.Connection) -> bool:
    installed = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar()
    if installed:
        return True
    creatable = bind.execute(
        sa.text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm' "
            "AND has_database_privilege(current_database(), 'CREATE')"
        )
    ).scalar()
    return bool(creatable)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _can_use_trigrams(bind):
        return
    schema = bind.execute(
        sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    ).scalar()
    if schema is None:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        schema = "public"
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON clues USING gin (search_text {schema}.gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
