"""What a model run hands to the clue store, and the interface the store offers.

The engine (``jiancha.models``) turns each row a model's query returns into a
:class:`Finding`; a :class:`ClueSink` (``jiancha.clues``) turns findings into
clues keyed by (model_id, subject_id, period), so a re-run over the same data
updates rather than duplicates. Keeping this seam small lets the engine run on
any backend and the store live in SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
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

    @property
    def fingerprint(self) -> tuple[str, str, str]:
        """The clue identity: the same (model, subject, period) is the same clue."""
        return (self.model_id, self.subject_id, self.period or "")


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


class ClueSink(Protocol):
    """Where findings go. ``jiancha.clues.store.ClueStore`` is the real one."""

    def sync_findings(self, run_id: str, model_id: str, findings: Sequence[Finding]) -> SyncCounts:
        """Upsert this model's findings; mark its open clues absent from them as no longer holding."""
        ...

    def record_run(self, run: RunRecord) -> None:
        """Keep the run's record (models, parameters, data versions, timings, counts, errors)."""
        ...
