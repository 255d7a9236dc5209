"""What the store's queries return: plain frozen records, detached from any session,
so the web app, the CLI and the documents engine can hold them freely."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ClueFilter:
    """Filters for listing clues; ``None`` means "any". ``text`` searches ids, subject and addressee."""

    office: str | None = None
    model_id: str | None = None
    status: str | None = None
    severity: str | None = None
    period: str | None = None
    text: str | None = None
    assigned_to: str | None = None
    holds: bool | None = None
    needs_review: bool | None = None


@dataclass(frozen=True)
class ClueView:
    """One clue as a list shows it (and as the export writes it)."""

    id: str
    model_id: str
    subject_type: str
    subject_id: str
    period: str
    severity: str
    office: str
    target_agency: str | None
    legal_basis: str
    related_ids: tuple[str, ...]
    status: str
    holds: bool
    needs_review: bool
    urgent: bool
    due_on: date | None
    assigned_to: str | None
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class EvidenceView:
    """An evidence row, masked unless the reader asked (and was audited) to see it whole."""

    dataset: str
    file: str
    row: int
    values: dict[str, Any]
    masked: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One audit entry about a clue: who did what, when, and why."""

    seq: int
    at: str
    user: str
    action: str
    status_to: str | None
    reason: str
    data: dict[str, Any]
    clue_id: str | None = None


@dataclass(frozen=True)
class TransitionView:
    """One workflow move of a clue and the date it took effect (for period reports)."""

    clue_id: str
    model_id: str
    office: str
    status_to: str
    on: date


@dataclass(frozen=True)
class SuggestionView:
    """A procuratorial suggestion issued on a clue."""

    document_no: str
    issued_on: date
    urgent: bool
    reply_due: date
    replied_on: date | None
    issued_by: str
    kind: str | None = None  # None for suggestions issued before the store kept it (revision 0008)


@dataclass(frozen=True)
class ClueDetail:
    """One clue in full: the list fields plus routing, details, evidence, history and suggestions."""

    clue: ClueView
    details: dict[str, Any]
    lon: float | None
    lat: float | None
    county: str | None
    routing_note: str
    previous_id: str | None
    first_run_id: str
    last_run_id: str
    evidence: tuple[EvidenceView, ...]
    history: tuple[HistoryEntry, ...]
    suggestions: tuple[SuggestionView, ...]
    allowed_actions: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One page of a filtered list, with the total the filter matches.

    ``capped``: counting stopped at the caller's limit, so more than ``total`` clues match
    (shown as "10,000+"); the pages then run on for as long as they come back full.
    """

    items: tuple[ClueView, ...]
    total: int
    page: int
    size: int
    capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.capped and len(self.items) == self.size)


@dataclass(frozen=True)
class FunnelRow:
    """Per model: clues raised, and how many reached a case, a suggestion, rectification."""

    model_id: str
    clues: int
    case_filed: int
    suggestion_issued: int
    rectified: int


@dataclass(frozen=True)
class Dashboard:
    """Aggregates for the dashboard and ``jiancha clues summary``; counts keyed by value.

    ``by_month`` counts clues by the month they were first seen, ``by_conduct`` by the month of
    the conduct (the clue's period, or its model's dating column).
    """

    total: int
    by_model: dict[str, int]
    by_office: dict[str, int]
    by_status: dict[str, int]
    by_severity: dict[str, int]
    by_month: dict[str, int]
    funnel: tuple[FunnelRow, ...]
    overdue: tuple[ClueView, ...] = field(default=())
    by_conduct: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UserView:
    """A user account as the web app's login needs it."""

    name: str
    display_name: str
    password_hash: str
    role: str
    office: str | None
    active: bool
    failed_sign_ins: int
    locked_until: datetime | None
    session_generation: int

    def locked_at(self, now: datetime) -> bool:
        """Whether sign-in is refused at ``now`` because of too many wrong passwords."""
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True)
class RunView:
    """A run in the history list, with each model's outcome."""

    run_id: str
    started_at: datetime
    finished_at: datetime
    as_of: date
    user: str
    data_versions: dict[str, str]
    models: tuple[dict[str, Any], ...]
