"""The workspace's own provisions of the legal-basis catalogue.

Users add provisions their models cite; each stays unverified until a reviewer marks
it verified (the act is in the audit chain). Built-in provisions are package data.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provisions",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("law", sa.Text(), nullable=False),
        sa.Column("version", sa.String(length=80), nullable=False),
        sa.Column("in_force", sa.Date(), nullable=True),
        sa.Column("article", sa.String(length=40), nullable=False),
        sa.Column("paragraph", sa.String(length=20), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("verified_by", sa.String(length=80), nullable=True),
        sa.Column("verified_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_provisions")),
    )


def downgrade() -> None:
    op.drop_table("provisions")
