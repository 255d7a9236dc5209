"""The needs-reading queue holds one item per doubted span, not one per field of a decision.

Two figures in doubt for the same field of one decision (two container counts with no
weight) collided on (decision_no, field, facts_hash): the second was taken for the first
and never shown. The id now hashes the span too, so that unique constraint goes; the
reader looks items up by facts hash, hence the index. Items queued before keep their ids.

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("readings") as batch_op:
        batch_op.drop_constraint("uq_readings_decision_no_field_facts_hash", type_="unique")
        batch_op.create_index("ix_readings_facts_hash", ["facts_hash"])


def downgrade() -> None:
    with op.batch_alter_table("readings") as batch_op:
        batch_op.drop_index("ix_readings_facts_hash")
        batch_op.create_unique_constraint(
            "uq_readings_decision_no_field_facts_hash", ["decision_no", "field", "facts_hash"]
        )
