"""Aggregates for the dashboard and the CLI summary, from the summary table or live.

Both sources give the same rows (:func:`jiancha.clues.tallies.tally_select`) and the same
code here adds them up, so a figure cannot depend on where it came from. The funnel counts
come from the audit trail (``status_to`` of workflow entries), so a clue that went on past a stage still
counts as having reached it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CompoundSelect, FromClause, Select, bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from jiancha.clues import tallies
from jiancha.clues.prepared import prepare
from jiancha.clues.queries import LIST_COLUMNS, view_of
from jiancha.clues.schema import Clue, ClueTally
from jiancha.clues.views import ClueView, Dashboard, FunnelRow
from jiancha.clues.workflow import OPEN_STATUSES


def in_office(statement: Select, office: str | None) -> Select:
    """Narrow a select over ``clues`` to one office (``None``: every office)."""
    return statement if office is None else statement.where(Clue.office == office)


#: The tally columns the dashboard counts clues by.
DIMENSIONS = ("model_id", "office", "status", "severity", "seen_month", "conduct_month")
FUNNEL = "funnel"


def _figures_statement(dialect: str, by_office: bool, live: bool) -> CompoundSelect:
    """Every count the dashboard shows, as (dimension, value, clues, case, suggestion, rectified)
    rows: one statement over the tally rows, a few dozen rows back.

    The rows are the stored summary, or (``live``) the same rows computed now; with
    ``by_office``, one office's (the ``office`` parameter). The stored table is read by each
    part directly: a common table expression over it would first copy it, half the time.
    """
    office = bindparam("office") if by_office else None
    rows: FromClause = (
        tallies.tally_select(dialect, office=office).cte("tally") if live else ClueTally.__table__
    )

    def part(*columns: Any) -> Select:
        chosen = select(*columns)
        return chosen if live or office is None else chosen.where(rows.c.office == office)

    clues = func.sum(rows.c.clues)
    none = [literal(0)] * len(tallies.STAGES)
    per_value = [
        part(
            literal(key).label("dimension"), rows.c[key].label("value"), clues.label("clues"), *none
        ).group_by(rows.c[key])
        for key in DIMENSIONS
    ]
    reached = [func.sum(case((rows.c[flag], rows.c.clues), else_=0)) for flag in tallies.STAGES]
    per_model = part(literal(FUNNEL), rows.c.model_id, clues, *reached).group_by(rows.c.model_id)
    return union_all(*per_value, per_model)


def figures(session: Session, office: str | None = None, *, live: bool = False) -> dict[str, list[list[Any]]]:
    """The rows of :func:`_figures_statement` by dimension (the funnel's under :data:`FUNNEL`)."""
    dialect = session.get_bind().dialect
    statement = prepare(_figures_statement, dialect, dialect.name, office is not None, live)
    found: dict[str, list[list[Any]]] = {key: [] for key in (*DIMENSIONS, FUNNEL)}
    for dimension, *row in statement.rows(session.connection(), {} if office is None else {"office": office}):
        found[dimension].append(row)
    return found


def count_by(found: dict[str, list[list[Any]]], key: str) -> dict[str, int]:
    """Clue counts per value of the tally column ``key``, largest first (ties by value)."""
    counts = {str(value): int(n) for value, n, *_ in found[key]}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def funnel_of(found: dict[str, list[list[Any]]]) -> tuple[FunnelRow, ...]:
    """Per model: clues, and clues that reached a case, a suggestion, rectification."""
    return tuple(FunnelRow(model, *(int(n) for n in counts)) for model, *counts in sorted(found[FUNNEL]))


def funnel(session: Session, office: str | None = None) -> tuple[FunnelRow, ...]:
    """The funnel alone, from the summary."""
    return funnel_of(figures(session, office))


def _overdue_statement(by_office: bool) -> Select:
    """Open clues due before the ``today`` parameter, earliest first, up to ``limit``."""
    statement = (
        select(*LIST_COLUMNS)
        .where(Clue.status.in_([literal(s.value) for s in OPEN_STATUSES]), Clue.due_on < bindparam("today"))
        .order_by(Clue.due_on, Clue.id)
        .limit(bindparam("limit"))
    )
    return statement.where(Clue.office == bindparam("office")) if by_office else statement


def overdue(
    session: Session, today: date, limit: int = 200, office: str | None = None
) -> tuple[ClueView, ...]:
    """Open clues whose deadline has passed (earliest first); replies past due are the main case."""
    statement = prepare(_overdue_statement, session.get_bind().dialect, office is not None)
    values = {"today": today, "limit": limit, **({} if office is None else {"office": office})}
    return tuple(view_of(r) for r in statement.rows(session.connection(), values))


def dashboard(session: Session, today: date, office: str | None = None, *, live: bool = False) -> Dashboard:
    """Every aggregate the dashboard shows, in one call: one office's clues, or every office's."""
    found = figures(session, office, live=live)
    return Dashboard(
        total=sum(clues for _, clues, *_ in found[FUNNEL]),
        by_model=count_by(found, "model_id"),
        by_office=count_by(found, "office"),
        by_status=count_by(found, "status"),
        by_severity=count_by(found, "severity"),
        by_month=dict(sorted(count_by(found, "seen_month").items())),
        by_conduct=dict(sorted(count_by(found, "conduct_month").items())),
        funnel=funnel_of(found),
        overdue=overdue(session, today, office=office),
    )
