"""The needs-reading queue: figures in penalty decisions the reader could not settle, and decisions on them.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("id", sa.String(16), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("decision_no", sa.String(200), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("facts_hash", sa.String(64), nullable=False),
        sa.Column("span", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("candidate", sa.Float(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(80), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_readings"),
        sa.UniqueConstraint("no", name="uq_readings_no"),
        sa.UniqueConstraint(
            "decision_no", "field", "facts_hash", name="uq_readings_decision_no_field_facts_hash"
        ),
    )
    op.create_index("ix_readings_status_no", "readings", ["status", "no"])


def downgrade() -> None:
    op.drop_index("ix_readings_status_no", table_name="readings")
    op.drop_table("readings")
