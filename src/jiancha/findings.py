"""What a model run hands to the clue store, and the interface the store offers.

The engine (``jiancha.models``) turns each row a model's query returns into a
:class:`Finding`; a :class:`ClueSink` (``jiancha.clues``) turns findings into
clues keyed by (model_id, subject_id, period), so a re-run over the same data
updates rather than duplicates. Keeping this seam small lets the engine run on
any backend and the store live in SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class EvidenceRow:
    """One source row a finding rests on, copied out of the lake.

    ``file`` and ``row`` are where an agency's data officer finds it again
    (row numbers as a spreadsheet shows them: header = 1).
    """

    dataset: str
    file: str
    row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Location:
    """Where the subject is, for jurisdiction routing and the map."""

    lon: float | None = None
    lat: float | None = None
    county: str | None = None


@dataclass(frozen=True)
class Finding:
    """One clue-worthy result of one model for one subject and period."""

    model_id: str
    subject_type: str
    subject_id: str
    period: str | None
    severity: str
    target_agency: str | None
    legal_basis: str
    related_ids: tuple[str, ...] = ()
    evidence: tuple[EvidenceRow, ...] = ()
    location: Location | None = None
    details: dict[str, Any] = field(default_factory=dict)
    conduct_month: str | None = None

    @property
    def conduct(self) -> str | None:
        """``YYYY-MM`` of the conduct: the model's dating column, else the period's (first) month."""
        return self.conduct_month or period_month(self.period)

    @property
    def fingerprint(self) -> tuple[str, str, str]:
        """The clue identity: the same (model, subject, period) is the same clue."""
        return (self.model_id, self.subject_id, self.period or "")


def period_month(period: str | None) -> str | None:
    """The month a period starts in: ``2024-03`` as is, ``2024-Q2`` → ``2024-04``; None without one."""
    if not period:
        return None
    if len(period) == 7 and period[4] == "-" and period[5] == "Q":
        return f"{period[:4]}-{3 * int(period[6]) - 2:02d}"
    return period[:7]


def month_of(value: Any) -> str | None:
    """``YYYY-MM`` of a date, datetime or ISO date text (a detail value); None when it is not one."""
    text = value.isoformat() if isinstance(value, date | datetime) else value
    if not isinstance(text, str) or len(text) < 7:
        return None
    return text[:7] if text[:4].isdigit() and text[4] == "-" and text[5:7].isdigit() else None


@dataclass(frozen=True)
class SyncCounts:
    """What one model's findings did to the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    no_longer_holds: int = 0


@dataclass(frozen=True)
class SkippedSubject:
    """A subject a model could not judge, and why (e.g. a facility whose discharge standard is unknown).

    Such subjects raise no clue, so without this list nobody would learn they were never checked.
    """

    subject_id: str
    reason: str


@dataclass(frozen=True)
class ModelRunRecord:
    """One model within a run: parameters, timing, outcome."""

    model_id: str
    status: str  # "ok" | "skipped" | "error"
    parameters: dict[str, Any]
    seconds: float
    findings: int = 0
    counts: SyncCounts = SyncCounts()
    message: str | None = None
    sql: str | None = None
    skipped_subjects: tuple[SkippedSubject, ...] = ()


@dataclass(frozen=True)
class DataLoad:
    """The load of a dataset a run read: its file and when ingest finished loading it.

    Kept with the run so a document can say which delivery of an agency's data its evidence
    came from, long after the lake has moved on to newer loads.
    """

    file_name: str
    loaded_at: datetime


@dataclass(frozen=True)
class RunRecord:
    """A whole ``jiancha run``: which data versions it read and what each model did."""

    run_id: str
    started_at: datetime
    finished_at: datetime
    as_of: date
    data_versions: dict[str, str]
    models: Sequence[ModelRunRecord]
    user: str
    loads: dict[str, DataLoad] = field(default_factory=dict)  # dataset → the load the run read


#: Whether a run judged a (subject, period): a clue in a period the data did not cover is
#: neither confirmed nor superseded by the run (see ``jiancha.coverage``).
Judged = Callable[[str, str | None], bool]


class ClueSink(Protocol):
    """Where findings go. ``jiancha.clues.store.ClueStore`` is the real one."""

    def sync_findings(
        self, run_id: str, model_id: str, findings: Sequence[Finding], *, judged: Judged | None = None
    ) -> SyncCounts:
        """Upsert this model's findings; mark its holding clues absent from them, in periods the run
        ``judged`` (all when None), as no longer holding."""
        ...

    def record_run(self, run: RunRecord) -> None:
        """Keep the run's record (models, parameters, data versions, timings, counts, errors)."""
        ...
