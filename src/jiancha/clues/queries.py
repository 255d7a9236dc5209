"""Reading clues: filtered pages, audit entries, runs. Pure functions over a session
(one clue in full is :mod:`jiancha.clues.detail`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Result, Row, Select, bindparam, func, select
from sqlalchemy.orm import Session

from jiancha.clues.detail import HISTORY_COLUMNS, history_entry
from jiancha.clues.prepared import prepare
from jiancha.clues.schema import AuditEntry, Clue, Run
from jiancha.clues.search import contains, searched
from jiancha.clues.views import ClueFilter, ClueView, HistoryEntry, Page, RunView

MAX_PAGE_SIZE = 500
FEW_MATCHES = 5_000  # up to this many matches, sort the filter's clue numbers (see _page)
LIST_COLUMNS = (
    Clue.id,
    Clue.model_id,
    Clue.subject_type,
    Clue.subject_id,
    Clue.period,
    Clue.severity,
    Clue.office,
    Clue.target_agency,
    Clue.legal_basis,
    Clue.related_ids,
    Clue.status,
    Clue.holds,
    Clue.needs_review,
    Clue.urgent,
    Clue.due_on,
    Clue.assigned_to,
    Clue.first_seen,
    Clue.last_seen,
)


#: The filter fields matched exactly, each bound as a parameter of its own name.
EXACT = ("office", "model_id", "status", "severity", "period", "assigned_to", "holds", "needs_review")


def view_of(row: Any) -> ClueView:
    """A ClueView from a row selected with :data:`LIST_COLUMNS` (a Row, a list of its values,
    or a Clue object)."""
    if isinstance(row, Row):
        values = row._asdict()
    elif isinstance(row, list):
        values = {c.key: v for c, v in zip(LIST_COLUMNS, row, strict=True)}
    else:
        values = {c.key: getattr(row, c.key) for c in LIST_COLUMNS}
    values["related_ids"] = tuple(values["related_ids"] or ())
    return ClueView(**values)


def _core(session: Session, statement: Select) -> Result:
    """Run a column select on the session's connection: plain rows, without the ORM's
    per-row loading machinery, which cost more than SQLite's own work for a list page."""
    return session.connection().execute(statement)


def exact_values(f: ClueFilter) -> dict[str, Any]:
    """The filter's exact conditions that are set, by field name."""
    return {name: value for name in EXACT if (value := getattr(f, name)) is not None}


def _where(statement: Select, names: tuple[str, ...]) -> Select:
    """``statement`` limited to clues whose fields ``names`` equal the parameters of those names."""
    for name in names:
        statement = statement.where(getattr(Clue, name) == bindparam(name))
    return statement


def filtered(statement: Select, f: ClueFilter) -> Select:
    """Apply a filter's conditions to a select over ``clues``, values bound in."""
    statement = _where(statement, tuple(exact_values(f))).params(exact_values(f))
    if f.text and f.text.strip():
        statement = statement.where(contains(f.text))
    return statement


def _count_statement(names: tuple[str, ...], capped: bool) -> Select:
    numbers = _where(select(Clue.no), names)
    if capped:
        numbers = numbers.limit(bindparam("limit"))
    return select(func.count()).select_from(numbers.subquery())


def _page_statement(names: tuple[str, ...], walk: bool) -> Select:
    """The page's clues: their numbers from a covering index, sorted there (``no + 0`` keeps the
    planner off the ``no`` index) or by walking the ``no`` index (see :func:`_page`)."""
    order = Clue.no.desc() if walk else (Clue.no + 0).desc()
    numbers = (
        _where(select(Clue.no), names).order_by(order).limit(bindparam("size")).offset(bindparam("offset"))
    )
    return select(*LIST_COLUMNS).where(Clue.no.in_(numbers)).order_by(Clue.no.desc())


def _page(
    session: Session, f: ClueFilter, offset: int, size: int, count_limit: int | None
) -> tuple[int, bool, list[ClueView]]:
    """The total (capped or not) and the page's clues; the numbers come from the covering indexes.

    A text search is joined to the other filters by clue number: in one WHERE the planner
    would walk an office's index and read every clue's row to test its text, six times
    slower at 100k clues. Its matches (what the search index gives) are read once and
    sorted here, since counting them would run the search again. A filter with few matches
    is sorted by the database from its covering index; ordering by ``no + 0`` keeps the
    planner from walking the ``no`` index backwards instead, which it picks when it
    misjudges a rare value (status 'triaged' in a table of 'new' clues) and which reads the
    whole table. A filter with many matches walks the ``no`` index, where the page comes first.

    Without a text search both statements are :class:`Prepared` (compiled once per shape):
    this is the web list, on every request.
    """
    values = exact_values(f)
    names = tuple(values)
    if f.text and f.text.strip():
        numbers = filtered(select(Clue.no), replace(f, text=None)).where(
            Clue.no.in_(searched(session, f.text))
        )
        matches = sorted(_core(session, numbers).scalars().all(), reverse=True)
        capped = count_limit is not None and len(matches) > count_limit
        total = count_limit if capped else len(matches)
        chosen = matches[offset : offset + size]
        rows = _core(session, select(*LIST_COLUMNS).where(Clue.no.in_(chosen)).order_by(Clue.no.desc()))
        return total, capped, [view_of(r) for r in rows]
    connection, dialect = session.connection(), session.get_bind().dialect
    counted = prepare(_count_statement, dialect, names, count_limit is not None)
    found = counted.rows(connection, {**values, "limit": (count_limit or 0) + 1})[0][0]
    capped = count_limit is not None and found > count_limit
    total = count_limit if capped and count_limit is not None else found
    walk = capped or total > FEW_MATCHES
    page = prepare(_page_statement, dialect, names, walk)
    rows = page.rows(connection, {**values, "size": size, "offset": offset})
    return total, capped, [view_of(r) for r in rows]


def list_clues(
    session: Session, f: ClueFilter, page: int = 1, size: int = 50, count_limit: int | None = None
) -> Page:
    """One page of clues matching ``f``, newest first (latest raised), with the total count."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    page = max(1, page)
    total, capped, items = _page(session, f, (page - 1) * size, size, count_limit)
    return Page(tuple(items), total, page, size, capped)


def iter_clues(session: Session, f: ClueFilter) -> Any:
    """Every clue matching ``f`` in a stable order (model, subject, period), streamed."""
    statement = filtered(select(*LIST_COLUMNS), f).order_by(Clue.model_id, Clue.subject_id, Clue.period)
    for row in session.execute(statement.execution_options(yield_per=2000)):
        yield view_of(row)


def audit_entries(
    session: Session, limit: int, *, clue_id: str | None = None, user: str | None = None
) -> tuple[HistoryEntry, ...]:
    """The latest ``limit`` audit entries, newest first, optionally about one clue or by one user."""
    columns = [getattr(AuditEntry, name) for name in HISTORY_COLUMNS]
    query = select(*columns).order_by(AuditEntry.seq.desc()).limit(limit)
    if clue_id is not None:
        query = query.where(AuditEntry.clue_id == clue_id)
    if user is not None:
        query = query.where(AuditEntry.user == user)
    return tuple(map(history_entry, _core(session, query)))


def runs(session: Session, limit: int) -> tuple[RunView, ...]:
    """The latest runs, newest first, each with its per-model records."""
    out = []
    for run in session.scalars(select(Run).order_by(Run.started_at.desc()).limit(limit)):
        models = tuple(
            {
                "model_id": m.model_id,
                "status": m.status,
                "parameters": m.parameters,
                "seconds": m.seconds,
                "findings": m.findings,
                "new": m.new,
                "updated": m.updated,
                "unchanged": m.unchanged,
                "no_longer_holds": m.no_longer_holds,
                "message": m.message,
                "sql": m.sql,
                "skipped_subjects": m.skipped_subjects or [],
            }
            for m in run.models
        )
        out.append(
            RunView(
                run.run_id, run.started_at, run.finished_at, run.as_of, run.user, run.data_versions, models
            )
        )
    return tuple(out)
