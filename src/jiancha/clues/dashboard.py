"""Aggregates for the dashboard and the CLI summary, all computed in the database.

The funnel counts come from the audit trail (``status_to`` of workflow entries),
so a clue that went on past a stage still counts as having reached it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from jiancha.clues.queries import LIST_COLUMNS, view_of
from jiancha.clues.schema import AuditEntry, Clue
from jiancha.clues.views import ClueView, Dashboard, FunnelRow
from jiancha.clues.workflow import OPEN_STATUSES, Status

FUNNEL_STAGES = (Status.CASE_FILED, Status.SUGGESTION_ISSUED, Status.RECTIFIED)


def _month(session: Session) -> ColumnElement[str]:
    """``YYYY-MM`` of first_seen in the session's SQL dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Clue.first_seen, "YYYY-MM")
    return func.strftime("%Y-%m", Clue.first_seen)


def in_office(statement: Select, office: str | None) -> Select:
    """Narrow a select over ``clues`` to one office (``None``: every office)."""
    return statement if office is None else statement.where(Clue.office == office)


def count_by(session: Session, column: ColumnElement, office: str | None = None) -> dict[str, int]:
    """Clue counts per value of ``column`` (in one office, or all), largest first."""
    rows = session.execute(
        in_office(select(column, func.count()), office).group_by(column).order_by(func.count().desc(), column)
    )
    return {str(value): n for value, n in rows}


def funnel(session: Session, office: str | None = None) -> tuple[FunnelRow, ...]:
    """Per model: clues, and distinct clues that reached a case, a suggestion, rectification."""
    totals = count_by(session, Clue.model_id, office)
    reached = session.execute(
        in_office(
            select(Clue.model_id, AuditEntry.status_to, func.count(func.distinct(AuditEntry.clue_id)))
            .join(Clue, Clue.id == AuditEntry.clue_id)
            .where(AuditEntry.status_to.in_([s.value for s in FUNNEL_STAGES])),
            office,
        ).group_by(Clue.model_id, AuditEntry.status_to)
    )
    counts = {(model, stage): n for model, stage, n in reached}
    return tuple(
        FunnelRow(model, total, *(counts.get((model, s.value), 0) for s in FUNNEL_STAGES))
        for model, total in sorted(totals.items())
    )


def overdue(
    session: Session, today: date, limit: int = 200, office: str | None = None
) -> tuple[ClueView, ...]:
    """Open clues whose deadline has passed (earliest first); replies past due are the main case."""
    rows = session.execute(
        in_office(select(*LIST_COLUMNS), office)
        .where(Clue.status.in_([s.value for s in OPEN_STATUSES]), Clue.due_on < today)
        .order_by(Clue.due_on, Clue.id)
        .limit(limit)
    )
    return tuple(view_of(r) for r in rows)


def dashboard(session: Session, today: date, office: str | None = None) -> Dashboard:
    """Every aggregate the dashboard shows, in one call: one office's clues, or every office's."""
    return Dashboard(
        total=session.scalar(in_office(select(func.count()).select_from(Clue), office)) or 0,
        by_model=count_by(session, Clue.model_id, office),
        by_office=count_by(session, Clue.office, office),
        by_status=count_by(session, Clue.status, office),
        by_severity=count_by(session, Clue.severity, office),
        by_month=dict(sorted(count_by(session, _month(session), office).items())),
        funnel=funnel(session, office),
        overdue=overdue(session, today, office=office),
    )
