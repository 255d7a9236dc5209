"""The clue store's tables (SQLAlchemy 2 declarative models).

One schema serves SQLite (the workspace default) and PostgreSQL (a shared
deployment); Alembic migrations in ``jiancha/clues/migrations`` create it, so
these classes are the single description both the migrations and the queries
read. Text ids and ISO strings keep values byte-identical across backends, which
the audit hash chain depends on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (migrations refer to them)."""

    metadata = MetaData(naming_convention=NAMING)


#: Search indexes that migrations create on one backend only (PostgreSQL's trigram index,
#: SQLite's FTS5 table and the shadow tables it keeps), so they are not part of the ORM
#: schema and schema comparisons leave them out.
DATABASE_ONLY_INDEXES = frozenset({"ix_clues_search_trgm"})
SEARCH_TABLE = "clues_search"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's filter: compare everything but the backend-only search indexes."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLE)
    return not (type_ == "index" and name in DATABASE_ONLY_INDEXES)


class Clue(Base):
    """A case clue: one (model, subject, period), its routing, workflow state and deadline."""

    __tablename__ = "clues"
    __table_args__ = (
        UniqueConstraint("model_id", "subject_id", "period"),
        # Lists are "newest first" (no DESC). Each of these covers every filter column, so the
        # count and the page's numbers come from an index alone, whatever the filter mix.
        Index("ix_clues_by_office", "office", "status", "severity", "model_id", "period", "no"),
        Index("ix_clues_by_model", "model_id", "severity", "status", "office", "period", "no"),
        Index("ix_clues_by_status", "status", "severity", "office", "model_id", "period", "no"),
        Index("ix_clues_assigned_to_no", "assigned_to", "no"),
        Index("ix_clues_search", "search_text", "no"),
        Index("ix_clues_status_due", "status", "due_on"),
        # The overdue list (due_on < today, earliest first): a range of the few dated clues (0012).
        Index("ix_clues_due_on", "due_on"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    no: Mapped[int] = mapped_column(Integer, unique=True)  # insertion order: newest = largest
    model_id: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(10), default="")
    severity: Mapped[str] = mapped_column(String(10))
    target_agency: Mapped[str | None] = mapped_column(String(200))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    related_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    county: Mapped[str | None] = mapped_column(String(20))
    office: Mapped[str] = mapped_column(String(40))
    routing_note: Mapped[str] = mapped_column(Text, default="")
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="new")
    holds: Mapped[bool] = mapped_column(Boolean, default=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_to: Mapped[str | None] = mapped_column(String(80))
    previous_id: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    first_run_id: Mapped[str] = mapped_column(String(64))
    last_run_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    search_text: Mapped[str] = mapped_column(Text, default="")  # lower-cased id, subject, addressee, model
    # YYYY-MM of the conduct: the period's (first) month, or the model's dating column (0012).
    conduct_month: Mapped[str | None] = mapped_column(String(7))

    evidence: Mapped[list[Evidence]] = relationship(
        order_by="Evidence.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Evidence(Base):
    """One source row a clue rests on, copied out of the lake when the clue was raised."""

    __tablename__ = "clue_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clue_id: Mapped[str] = mapped_column(ForeignKey("clues.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    dataset: Mapped[str] = mapped_column(String(60))
    file: Mapped[str] = mapped_column(String(300))
    row: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)


class Run(Base):
    """One ``jiancha run``: when, by whom, over which data versions."""

    __tablename__ = "runs"

    run_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    as_of: Mapped[date] = mapped_column(Date)
    data_versions: Mapped[dict[str, str]] = mapped_column(JSON)
    user: Mapped[str] = mapped_column(String(80))
    # Dataset → {"file_name", "loaded_at"} of the load the run read (revision 0008; NULL before),
    # so an evidence list names the delivery its rows came from.
    loads: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON)

    models: Mapped[list[ModelRun]] = relationship(order_by="ModelRun.id", cascade="all, delete-orphan")


class ModelRun(Base):
    """One model within a run: parameters, timing, outcome and what it did to the store."""

    __tablename__ = "model_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.run_id", ondelete="CASCADE"), index=True)
    model_id: Mapped[str] = mapped_column(String(80), index=True)
    status: Mapped[str] = mapped_column(String(10))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    seconds: Mapped[float] = mapped_column(Float)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    no_longer_holds: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    sql: Mapped[str | None] = mapped_column(Text)
    # Subjects the model could not judge: [{"subject_id", "reason"}] (NULL for runs before revision 0002).
    skipped_subjects: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)


class User(Base):
    """A person who signs in; the web app stores an argon2 hash, never the password."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    office: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Wrong passwords in a row since the last success or lock (revision 0005); the store locks the
    # account until ``locked_until`` when they reach its limit, so guessing is slow on every worker.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Sessions and tokens carry the generation they were issued under (revision 0013); signing
    # out, a new password or disabling the account adds one, which ends every older session.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Suggestion(Base):
    """A procuratorial suggestion (检察建议书) issued on a clue, and its reply deadline."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clue_id: Mapped[str] = mapped_column(ForeignKey("clues.id"), index=True)
    document_no: Mapped[str] = mapped_column(String(80), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # public_interest | social_governance | correcting_illegality (revision 0008; NULL before):
    # the kind fixes the reply period (two months; urgent: 15 days, or the prosecutor's date).
    kind: Mapped[str | None] = mapped_column(String(40))
    reply_due: Mapped[date] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(80))


class AuditEntry(Base):
    """One append-only audit entry, hash-chained to the one before it (see ``audit.py``)."""

    __tablename__ = "audit_log"
    # The funnel's workflow stages, with the clue each reached (migration 0006).
    __table_args__ = (Index("ix_audit_log_status_to", "status_to", "clue_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    clue_id: Mapped[str | None] = mapped_column(String(16), index=True)
    status_to: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[str] = mapped_column(Text, default="{}")
    # The key whose HMAC the hash is (revision 0010); NULL for the plain-sha256 entries before it.
    key_id: Mapped[str | None] = mapped_column(String(40))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last sequence number and hash: the lock appenders take, and the anchor
    that shows entries removed from or forged onto the end of the log."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    # The first keyed entry (revision 0010): signed heads carry it, so unkeyed entries after it are forgeries.
    keyed_from: Mapped[int | None] = mapped_column(Integer)


class PendingReading(Base):
    """A figure in a penalty decision the reader could not settle, queued for a prosecutor (revision 0009).

    One row per doubted span of a decision's field and facts text (the id hashes all
    four, revision 0013): the span and why it is in doubt; once decided, the value (NULL:
    no figure to count), who decided and why. The next run's reader applies the decision
    while the facts are the same text.
    """

    __tablename__ = "readings"
    __table_args__ = (
        Index("ix_readings_status_no", "status", "no"),
        Index("ix_readings_facts_hash", "facts_hash"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    no: Mapped[int] = mapped_column(Integer, unique=True)  # queue order: newest = largest
    decision_no: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(60))
    facts_hash: Mapped[str] = mapped_column(String(64))
    span: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    candidate: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | decided
    value: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)


class WorkspaceProvision(Base):
    """A provision the workspace added to its legal-basis catalogue (revision 0007).

    It stays unverified until a reviewer marks it verified (audited); the built-in
    provisions live in the package, never here.
    """

    __tablename__ = "provisions"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    law: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(80), default="")
    in_force: Mapped[date | None] = mapped_column(Date)
    article: Mapped[str] = mapped_column(String(40), default="")
    paragraph: Mapped[str] = mapped_column(String(20), default="")
    item: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)


class ClueTally(Base):
    """The dashboard's summary: clue counts per combination of what the dashboard groups by.

    Kept in step by every write that audits a clue change (a run's sync, each workflow act; see
    ``tallies.py``), so the dashboard reads a few thousand rows instead of every clue. The
    ``reached_*`` flags say whether the clues reached a case, a suggestion, rectification.
    """

    __tablename__ = "clue_tallies"
    __table_args__ = (
        Index("ix_clue_tallies_model_id", "model_id"),
        Index("ix_clue_tallies_office", "office"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model_id: Mapped[str] = mapped_column(String(80))
    office: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    conduct_month: Mapped[str] = mapped_column(String(7))
    seen_month: Mapped[str] = mapped_column(String(7))
    reached_case: Mapped[bool] = mapped_column(Boolean)
    reached_suggestion: Mapped[bool] = mapped_column(Boolean)
    reached_rectified: Mapped[bool] = mapped_column(Boolean)
    clues: Mapped[int] = mapped_column(Integer)
