"""Reading clues: filtered pages, one clue in full, runs. Pure functions over a session."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Result, Row, Select, func, select
from sqlalchemy.orm import Session

from jiancha.clues.masking import has_personal, mask_values
from jiancha.clues.schema import AuditEntry, Clue, Evidence, Run, Suggestion
from jiancha.clues.search import contains, searched
from jiancha.clues.views import (
    ClueDetail,
    ClueFilter,
    ClueView,
    EvidenceView,
    HistoryEntry,
    Page,
    RunView,
    SuggestionView,
)
from jiancha.clues.workflow import allowed_actions

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


def view_of(row: Any) -> ClueView:
    """A ClueView from a row selected with :data:`LIST_COLUMNS` (or a Clue object)."""
    values = row._asdict() if isinstance(row, Row) else {c.key: getattr(row, c.key) for c in LIST_COLUMNS}
    values["related_ids"] = tuple(values["related_ids"] or ())
    return ClueView(**values)


def _core(session: Session, statement: Select) -> Result:
    """Run a column select on the session's connection: plain rows, without the ORM's
    per-row loading machinery, which cost more than SQLite's own work for a list page."""
    return session.connection().execute(statement)


def filtered(statement: Select, f: ClueFilter) -> Select:
    """Apply a filter's conditions to a select over ``clues``."""
    exact = {
        Clue.office: f.office,
        Clue.model_id: f.model_id,
        Clue.status: f.status,
        Clue.severity: f.severity,
        Clue.period: f.period,
        Clue.assigned_to: f.assigned_to,
        Clue.holds: f.holds,
        Clue.needs_review: f.needs_review,
    }
    for field, value in exact.items():
        if value is not None:
            statement = statement.where(field == value)
    if f.text and f.text.strip():
        statement = statement.where(contains(f.text))
    return statement


def _count(session: Session, numbers: Select, limit: int | None) -> tuple[int, bool]:
    """How many clue numbers ``numbers`` selects, exactly or up to ``limit`` (then: ``limit`` and capped).

    The capped count reads at most ``limit + 1`` index entries, whatever the table's size,
    which keeps a busy list page cheap; the CLI and exports still count exactly.
    """
    if limit is not None:
        numbers = numbers.limit(limit + 1)
    found = _core(session, select(func.count()).select_from(numbers.subquery())).scalar() or 0
    if limit is None:
        return found, False
    return min(found, limit), found > limit


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
    """
    numbers = filtered(select(Clue.no), replace(f, text=None))
    page: Select | list[int]
    if f.text and f.text.strip():
        numbers = numbers.where(Clue.no.in_(searched(session, f.text)))
        matches = sorted(_core(session, numbers).scalars().all(), reverse=True)
        capped = count_limit is not None and len(matches) > count_limit
        total = count_limit if capped else len(matches)
        page = matches[offset : offset + size]
    else:
        total, capped = _count(session, numbers, count_limit)
        order = (Clue.no + 0).desc() if not capped and total <= FEW_MATCHES else Clue.no.desc()
        page = numbers.order_by(order).limit(size).offset(offset)
    rows = _core(session, select(*LIST_COLUMNS).where(Clue.no.in_(page)).order_by(Clue.no.desc()))
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


def history(session: Session, clue_id: str) -> tuple[HistoryEntry, ...]:
    """The audit entries about one clue, oldest first."""
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.clue_id == clue_id).order_by(AuditEntry.seq)
    )
    return tuple(
        HistoryEntry(e.seq, e.at, e.user, e.action, e.status_to, e.reason, json.loads(e.data))
        for e in entries
    )


def evidence(session: Session, clue_id: str, unmask: bool) -> tuple[EvidenceView, ...]:
    """The clue's evidence rows; personal fields masked unless ``unmask``."""
    rows = session.scalars(select(Evidence).where(Evidence.clue_id == clue_id).order_by(Evidence.position))
    out = []
    for r in rows:
        masked = not unmask and has_personal(r.dataset, r.values)
        values = mask_values(r.dataset, r.values) if masked else dict(r.values)
        out.append(EvidenceView(r.dataset, r.file, r.row, values, masked))
    return tuple(out)


def suggestions(session: Session, clue_id: str) -> tuple[SuggestionView, ...]:
    rows = session.scalars(select(Suggestion).where(Suggestion.clue_id == clue_id).order_by(Suggestion.id))
    return tuple(
        SuggestionView(s.document_no, s.issued_on, s.urgent, s.reply_due, s.replied_on, s.issued_by, s.kind)
        for s in rows
    )


def detail(session: Session, clue: Clue, unmask: bool) -> ClueDetail:
    """Everything about one clue."""
    return ClueDetail(
        clue=view_of(clue),
        details=dict(clue.details or {}),
        lon=clue.lon,
        lat=clue.lat,
        county=clue.county,
        routing_note=clue.routing_note,
        previous_id=clue.previous_id,
        first_run_id=clue.first_run_id,
        last_run_id=clue.last_run_id,
        evidence=evidence(session, clue.id, unmask),
        history=history(session, clue.id),
        suggestions=suggestions(session, clue.id),
        allowed_actions=tuple(a.name for a in allowed_actions(clue.status)),
    )


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
