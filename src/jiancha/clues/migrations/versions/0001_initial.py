"""Initial clue store schema: clues, evidence, runs, users, suggestions, audit log.

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

# The audit chain's anchor. Written out here rather than imported: a migration is frozen.
GENESIS_HASH = "0" * 64

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("clue_id", sa.String(length=16), nullable=True),
        sa.Column("status_to", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_clue_id"), ["clue_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_seq"), ["seq"], unique=False)

    op.create_table(
        "clues",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("target_agency", sa.String(length=200), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("related_ids", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("county", sa.String(length=20), nullable=True),
        sa.Column("office", sa.String(length=40), nullable=False),
        sa.Column("routing_note", sa.Text(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("holds", sa.Boolean(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("assigned_to", sa.String(length=80), nullable=True),
        sa.Column("previous_id", sa.String(length=16), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("first_run_id", sa.String(length=64), nullable=False),
        sa.Column("last_run_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clues")),
        sa.UniqueConstraint(
            "model_id", "subject_id", "period", name=op.f("uq_clues_model_id_subject_id_period")
        ),
        sa.UniqueConstraint("no", name=op.f("uq_clues_no")),
    )
    with op.batch_alter_table("clues", schema=None) as batch_op:
        batch_op.create_index("ix_clues_assigned_to_no", ["assigned_to", "no"], unique=False)
        batch_op.create_index(
            "ix_clues_by_model", ["model_id", "severity", "status", "office", "period", "no"], unique=False
        )
        batch_op.create_index(
            "ix_clues_by_office", ["office", "status", "severity", "model_id", "period", "no"], unique=False
        )
        batch_op.create_index(
            "ix_clues_by_status", ["status", "severity", "office", "model_id", "period", "no"], unique=False
        )
        batch_op.create_index("ix_clues_search", ["search_text", "no"], unique=False)
        batch_op.create_index("ix_clues_status_due", ["status", "due_on"], unique=False)

    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("data_versions", sa.JSON(), nullable=False),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "users",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("office", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )
    op.create_table(
        "clue_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clue_id", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=60), nullable=False),
        sa.Column("file", sa.String(length=300), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clue_id"], ["clues.id"], name=op.f("fk_clue_evidence_clue_id_clues"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clue_evidence")),
    )
    with op.batch_alter_table("clue_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clue_evidence_clue_id"), ["clue_id"], unique=False)

    op.create_table(
        "model_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("model_id", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("no_longer_holds", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("sql", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.run_id"], name=op.f("fk_model_runs_run_id_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_runs")),
    )
    with op.batch_alter_table("model_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_runs_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_runs_run_id"), ["run_id"], unique=False)

    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clue_id", sa.String(length=16), nullable=False),
        sa.Column("document_no", sa.String(length=80), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("reply_due", sa.Date(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["clue_id"], ["clues.id"], name=op.f("fk_suggestions_clue_id_clues")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint("document_no", name=op.f("uq_suggestions_document_no")),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestions_clue_id"), ["clue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestions_clue_id"))

    op.drop_table("suggestions")
    with op.batch_alter_table("model_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_runs_run_id"))
        batch_op.drop_index(batch_op.f("ix_model_runs_model_id"))

    op.drop_table("model_runs")
    with op.batch_alter_table("clue_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clue_evidence_clue_id"))

    op.drop_table("clue_evidence")
    op.drop_table("users")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_runs_started_at"))

    op.drop_table("runs")
    with op.batch_alter_table("clues", schema=None) as batch_op:
        batch_op.drop_index("ix_clues_status_due")
        batch_op.drop_index("ix_clues_search")
        batch_op.drop_index("ix_clues_by_status")
        batch_op.drop_index("ix_clues_by_office")
        batch_op.drop_index("ix_clues_by_model")
        batch_op.drop_index("ix_clues_assigned_to_no")

    op.drop_table("clues")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_seq"))
        batch_op.drop_index(batch_op.f("ix_audit_log_clue_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")
    op.drop_table("audit_head")
