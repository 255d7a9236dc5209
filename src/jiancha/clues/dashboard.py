"""Aggregates for the dashboard and the CLI summary, from the summary table or live.

Both sources give the same rows (:func:`jiancha.clues.tallies.tally_select`) and the same
queries here add them up, so a figure cannot depend on where it came from. The funnel counts come from the
audit trail (``status_to`` of workflow entries), so a clue that went on past a stage still
counts as having reached it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import FromClause, Select, case, func, select
from sqlalchemy.orm import Session

from jiancha.clues import tallies
from jiancha.clues.queries import LIST_COLUMNS, view_of
from jiancha.clues.schema import Clue, ClueTally
from jiancha.clues.views import ClueView, Dashboard, FunnelRow
from jiancha.clues.workflow import OPEN_STATUSES


def in_office(statement: Select, office: str | None) -> Select:
    """Narrow a select over ``clues`` to one office (``None``: every office)."""
    return statement if office is None else statement.where(Clue.office == office)


def source(session: Session, office: str | None = None, *, live: bool = False) -> FromClause:
    """The tally rows to add up: the stored summary, or (``live``) the same rows computed now."""
    if live:
        return tallies.tally_select(session.get_bind().dialect.name, office=office).subquery("live_tallies")
    table = ClueTally.__table__
    stored = select(table) if office is None else select(table).where(table.c.office == office)
    return stored.subquery("tallies")


def count_by(session: Session, rows: FromClause, key: str) -> dict[str, int]:
    """Clue counts per value of the tally column ``key``, largest first (ties by value)."""
    total = func.sum(rows.c.clues)
    found = session.execute(
        select(rows.c[key], total).group_by(rows.c[key]).order_by(total.desc(), rows.c[key])
    )
    return {str(value): int(n) for value, n in found}


def funnel_of(session: Session, rows: FromClause) -> tuple[FunnelRow, ...]:
    """Per model: clues, and clues that reached a case, a suggestion, rectification."""
    reached = [func.sum(case((rows.c[flag], rows.c.clues), else_=0)) for flag in tallies.STAGES]
    found = session.execute(
        select(rows.c.model_id, func.sum(rows.c.clues), *reached)
        .group_by(rows.c.model_id)
        .order_by(rows.c.model_id)
    )
    return tuple(FunnelRow(model, *(int(n) for n in counts)) for model, *counts in found)


def funnel(session: Session, office: str | None = None) -> tuple[FunnelRow, ...]:
    """The funnel alone, from the summary."""
    return funnel_of(session, source(session, office))


def overdue(
    session: Session, today: date, limit: int = 200, office: str | None = None
) -> tuple[ClueView, ...]:
    """Open clues whose deadline has passed (earliest first); replies past due are the main case."""
    found = session.execute(
        in_office(select(*LIST_COLUMNS), office)
        .where(Clue.status.in_([s.value for s in OPEN_STATUSES]), Clue.due_on < today)
        .order_by(Clue.due_on, Clue.id)
        .limit(limit)
    )
    return tuple(view_of(r) for r in found)


def dashboard(session: Session, today: date, office: str | None = None, *, live: bool = False) -> Dashboard:
    """Every aggregate the dashboard shows, in one call: one office's clues, or every office's."""
    rows = source(session, office, live=live)
    return Dashboard(
        total=int(session.scalar(select(func.coalesce(func.sum(rows.c.clues), 0))) or 0),
        by_model=count_by(session, rows, "model_id"),
        by_office=count_by(session, rows, "office"),
        by_status=count_by(session, rows, "status"),
        by_severity=count_by(session, rows, "severity"),
        by_month=dict(sorted(count_by(session, rows, "seen_month").items())),
        by_conduct=dict(sorted(count_by(session, rows, "conduct_month").items())),
        funnel=funnel_of(session, rows),
        overdue=overdue(session, today, office=office),
    )
