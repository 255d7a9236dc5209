"""Aggregates for the dashboard and the CLI summary, from the summary table or live.

Both sources give the same :class:`~jiancha.clues.tallies.TallyRow` s and this module adds
them up, so a figure cannot depend on where it came from. The funnel counts come from the
audit trail (``status_to`` of workflow entries), so a clue that went on past a stage still
counts as having reached it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jiancha.clues import tallies
from jiancha.clues.queries import LIST_COLUMNS, view_of
from jiancha.clues.schema import Clue
from jiancha.clues.tallies import TallyRow
from jiancha.clues.views import ClueView, Dashboard, FunnelRow
from jiancha.clues.workflow import OPEN_STATUSES


def in_office(statement: Select, office: str | None) -> Select:
    """Narrow a select over ``clues`` to one office (``None``: every office)."""
    return statement if office is None else statement.where(Clue.office == office)


def rows(session: Session, office: str | None = None, *, live: bool = False) -> list[TallyRow]:
    """The tally rows: stored in the summary, or (``live``) computed from the clues now."""
    return (tallies.live if live else tallies.stored)(session, office)


def count_by(rows: Iterable[TallyRow], key: Callable[[TallyRow], str]) -> dict[str, int]:
    """Clue counts per value of ``key``, largest first (ties by value)."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts[key(row)] += row.clues
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def funnel_of(rows: Iterable[TallyRow]) -> tuple[FunnelRow, ...]:
    """Per model: clues, and clues that reached a case, a suggestion, rectification."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row.model_id, [0, 0, 0, 0])
        for i, reached in enumerate((True, row.reached_case, row.reached_suggestion, row.reached_rectified)):
            c[i] += row.clues if reached else 0
    return tuple(FunnelRow(model, *c) for model, c in sorted(counts.items()))


def funnel(session: Session, office: str | None = None) -> tuple[FunnelRow, ...]:
    """The funnel alone, from the summary."""
    return funnel_of(rows(session, office))


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
    found = rows(session, office, live=live)
    return Dashboard(
        total=sum(r.clues for r in found),
        by_model=count_by(found, lambda r: r.model_id),
        by_office=count_by(found, lambda r: r.office),
        by_status=count_by(found, lambda r: r.status),
        by_severity=count_by(found, lambda r: r.severity),
        by_month=dict(sorted(count_by(found, lambda r: r.seen_month).items())),
        by_conduct=dict(sorted(count_by(found, lambda r: r.conduct_month).items())),
        funnel=funnel_of(found),
        overdue=overdue(session, today, office=office),
    )
