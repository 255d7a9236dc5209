"""The dashboard's summary table: clue counts by model, office, status, severity, months and stages.

One ``SELECT … GROUP BY`` over the clues (:func:`tally_select`) is both the live computation
and what the summary stores, so the two cannot disagree: the dashboard either reads the
stored rows or runs the select, and adds them up with the same queries either way
(:mod:`jiancha.clues.dashboard`).

Every store write that audits a change to a clue (a run's sync, a workflow act, a move)
recomputes the rows of the (model, office) groups it touched before it commits
(:func:`refresh_after`), so the summary is never behind the clues it counts.
"""

from __future__ import annotations

import json
from collections.abc import Collection

from sqlalchemy import ColumnElement, Connection, Select, and_, delete, exists, func, insert, select, tuple_
from sqlalchemy.orm import Session

from jiancha.clues.engine import chunks
from jiancha.clues.schema import AuditEntry, Clue, ClueTally
from jiancha.clues.workflow import Status

#: Audit actions that change nothing the summary counts.
READ_ONLY_ACTIONS = ("personal_data.read",)
#: The audit action of a move, whose data names the office the clue left (``from``).
MOVED = "clue.moved"
STAGES = {
    "reached_case": Status.CASE_FILED,
    "reached_suggestion": Status.SUGGESTION_ISSUED,
    "reached_rectified": Status.RECTIFIED,
}
KEYS = ("model_id", "office", "status", "severity", "conduct_month", "seen_month", *STAGES)


def seen_month(dialect: str) -> ColumnElement[str]:
    """``YYYY-MM`` of first_seen in the dialect's SQL."""
    if dialect == "postgresql":
        return func.to_char(Clue.first_seen, "YYYY-MM")
    return func.strftime("%Y-%m", Clue.first_seen)


def _reached(stage: Status) -> ColumnElement[bool]:
    """Whether the clue's audit trail shows it moved to ``stage`` (it may have gone on since)."""
    return exists().where(and_(AuditEntry.clue_id == Clue.id, AuditEntry.status_to == stage.value))


def tally_select(
    dialect: str,
    model_ids: Collection[str] | None = None,
    office: str | None = None,
    groups: Collection[tuple[str, str]] | None = None,
) -> Select:
    """The counts per combination, over every clue (or those of ``model_ids``, ``office`` or the
    (model, office) pairs in ``groups``).

    A clue without a conduct month (a model with neither periods nor a dating column) counts
    in the month it was first seen.
    """
    seen = seen_month(dialect)
    per_clue = select(
        Clue.model_id,
        Clue.office,
        Clue.status,
        Clue.severity,
        func.coalesce(Clue.conduct_month, seen).label("conduct_month"),
        seen.label("seen_month"),
        *(_reached(stage).label(name) for name, stage in STAGES.items()),
    )
    if model_ids is not None:
        per_clue = per_clue.where(Clue.model_id.in_(list(model_ids)))
    if office is not None:
        per_clue = per_clue.where(Clue.office == office)
    if groups is not None:
        per_clue = per_clue.where(tuple_(Clue.model_id, Clue.office).in_(list(groups)))
    each = per_clue.subquery("each_clue")
    keys = [each.c[k] for k in KEYS]
    return select(*keys, func.count().label("clues")).group_by(*keys)


def rebuild(connection: Connection, model_ids: Collection[str] | None = None) -> None:
    """Recompute the stored rows of ``model_ids`` (every model when None) from the clues."""
    table = ClueTally.__table__
    gone = delete(table) if model_ids is None else delete(table).where(table.c.model_id.in_(list(model_ids)))
    connection.execute(gone)
    source = tally_select(connection.dialect.name, model_ids)
    connection.execute(insert(table).from_select([*KEYS, "clues"], source))


def rebuild_groups(connection: Connection, groups: Collection[tuple[str, str]]) -> None:
    """Recompute the stored rows of the (model, office) pairs in ``groups``: what a workflow act
    on a few clues needs, about a fifteenth of a model's clues per office instead of all of them."""
    table = ClueTally.__table__
    for chunk in chunks(sorted(groups), size=400):  # each pair binds two parameters
        connection.execute(delete(table).where(tuple_(table.c.model_id, table.c.office).in_(chunk)))
        source = tally_select(connection.dialect.name, groups=chunk)
        connection.execute(insert(table).from_select([*KEYS, "clues"], source))


def refresh_after(session: Session, seq: int) -> None:
    """Recompute the rows of the (model, office) groups whose clues audit entries after ``seq``
    changed: each clue's group now, and for a clue moved, the office it left."""
    entries = session.execute(
        select(Clue.model_id, Clue.office, AuditEntry.action, AuditEntry.data)
        .join(AuditEntry, AuditEntry.clue_id == Clue.id)
        .where(AuditEntry.seq > seq, AuditEntry.action.not_in(READ_ONLY_ACTIONS))
    )
    groups: set[tuple[str, str]] = set()
    for model_id, office, action, data in entries:
        groups.add((model_id, office))
        if action == MOVED:
            groups.add((model_id, json.loads(data)["from"]))
    if groups:
        rebuild_groups(session.connection(), groups)
