"""The dashboard's summary table, each clue's conduct month, and an index for the overdue list.

The dashboard added up every clue on each request (about 187 ms of server CPU at 100k
clues on SQLite); ``clue_tallies`` holds the same counts grouped by what the dashboard
shows, kept in step by every write (``jiancha.clues.tallies``). ``clues.conduct_month``
dates the conduct: filled here from the period (a quarter counts in its first month);
clues of models without periods get theirs from the next run. The overdue list scanned every
clue (the (status, due_on) index does not serve ``status IN (…) ORDER BY due_on``): 28 ms at
20k clues; ``ix_clues_due_on`` reads only the dated ones.

Revision ID: 0012
Revises: 0010 (there is no 0011)
"""

import sqlalchemy as sa
from alembic import op

from jiancha.clues import tallies

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None

QUARTER_START = {"1": "01", "2": "04", "3": "07", "4": "10"}


def upgrade() -> None:
    op.add_column("clues", sa.Column("conduct_month", sa.String(7), nullable=True))
    op.create_table(
        "clue_tallies",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("model_id", sa.String(80), nullable=False),
        sa.Column("office", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("conduct_month", sa.String(7), nullable=False),
        sa.Column("seen_month", sa.String(7), nullable=False),
        sa.Column("reached_case", sa.Boolean, nullable=False),
        sa.Column("reached_suggestion", sa.Boolean, nullable=False),
        sa.Column("reached_rectified", sa.Boolean, nullable=False),
        sa.Column("clues", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clue_tallies"),
    )
    op.create_index("ix_clue_tallies_model_id", "clue_tallies", ["model_id"])
    op.create_index("ix_clue_tallies_office", "clue_tallies", ["office"])
    op.create_index("ix_clues_due_on", "clues", ["due_on"])
    clues = sa.table("clues", sa.column("period", sa.String), sa.column("conduct_month", sa.String))
    op.execute(
        clues.update()
        .where(clues.c.period.like("____-__"), clues.c.period.not_like("____-Q_"))
        .values(conduct_month=clues.c.period)
    )
    for quarter, month in QUARTER_START.items():
        op.execute(
            clues.update()
            .where(clues.c.period.like(f"____-Q{quarter}"))
            .values(conduct_month=sa.func.substr(clues.c.period, 1, 5, type_=sa.String).concat(month))
        )
    tallies.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_clues_due_on", table_name="clues")
    op.drop_index("ix_clue_tallies_office", table_name="clue_tallies")
    op.drop_index("ix_clue_tallies_model_id", table_name="clue_tallies")
    op.drop_table("clue_tallies")
    with op.batch_alter_table("clues") as batch:
        batch.drop_column("conduct_month")
