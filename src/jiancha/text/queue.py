"""The needs-reading queue, as the penalty reader sees it: decisions in, doubts out.

A doubt (:class:`~jiancha.text.reading.Doubt`) is a figure the reader found and could not
settle. It is queued in the clue store for a prosecutor to read; the prosecutor's decision
(a value, or "no figure to count") is kept there, audited, and applied the next time the
facts are read, as long as the facts are still the same text (their hash is part of the
item): the decided value settles the doubted span and is added to the figures the reader
settled itself (:func:`jiancha.text.penalty.read_penalty`). The store is duck-typed through
:class:`ReadingQueue` so the reader runs without one (tests, Spark, a lake with no workspace).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from jiancha.formatting import number
from jiancha.i18n import tr
from jiancha.text.reading import Doubt


@dataclass(frozen=True)
class QueuedDoubt:
    """A doubt about one decision's facts, as it is queued."""

    decision_no: str
    facts_hash: str
    doubt: Doubt


@dataclass(frozen=True)
class ReadingDecision:
    """A person's decision on a queued doubt (the span it settles): the value (None: no figure to
    count) and who and why."""

    decision_no: str
    field: str
    facts_hash: str
    value: float | None
    decided_by: str
    reason: str
    span: str


@runtime_checkable
class ReadingQueue(Protocol):
    """What the clue store offers the reader."""

    def reading_decisions(self) -> Sequence[ReadingDecision]: ...

    def queue_readings(self, doubts: Sequence[QueuedDoubt]) -> int: ...


#: People's decisions by (decision number, facts hash), then (field, span): (value, the note it shows).
Decided = dict[tuple[str, str], dict[tuple[str, str], tuple[float | None, str]]]


def facts_hash(facts: str | None) -> str:
    """The hash a decision is tied to: a changed text is read afresh."""
    return hashlib.sha256((facts or "").encode("utf-8")).hexdigest()


#: The unit each field's figure is in, for notes and forms.
FIELD_UNITS = {
    "hazardous_waste_disposed_t": "吨",
    "heavy_metal_multiple_3x": "倍",
    "heavy_metal_multiple_10x": "倍",
    "mining_value_yuan": "元",
    "fake_goods_sales_yuan": "元",
    "fake_goods_unsold_value_yuan": "元",
    "basic_farmland_mu": "亩",
    "other_farmland_mu": "亩",
}


def figure_text(value: float | None, field: str) -> str:
    """A decided figure with its field's unit (12.6吨), or "no figure to count" for None."""
    if value is None:
        return tr("无可计入的数量", "no figure to count")
    return f"{number(value)}{FIELD_UNITS.get(field, '')}"


def decision_note(decision: ReadingDecision) -> str:
    """The arithmetic a decided figure shows in the clue's reading (always Chinese: it is the letter's)."""
    value = "" if decision.value is None else figure_text(decision.value, decision.field)
    return f"经检察官{decision.decided_by}人工认定为{value}（{decision.reason}）"


def reading_decisions(store: object | None) -> Decided:
    """What people decided, keyed by (decision number, facts hash): each field's value and note."""
    queue = store if isinstance(store, ReadingQueue) else None
    decided: Decided = {}
    for d in queue.reading_decisions() if queue else ():
        decided.setdefault((d.decision_no, d.facts_hash), {})[(d.field, d.span)] = (d.value, decision_note(d))
    return decided


def read_rows(
    rows: Iterable[tuple], read: Callable, decided: Decided
) -> tuple[list[tuple[str, object]], list[QueuedDoubt]]:
    """Read (decision_no, facts, case_cause) rows with the decisions applied; the readings and the
    doubts left (Spark runs this on each executor's share of the rows)."""
    out: list[tuple[str, object]] = []
    doubts: list[QueuedDoubt] = []
    for decision_no, facts, cause in rows:
        digest = facts_hash(facts)
        reading = read(facts, cause, decided=decided.get((decision_no, digest)))
        out.append((decision_no, reading))
        doubts.extend(QueuedDoubt(decision_no, digest, d) for d in reading.doubts)
    return out, doubts


def apply_queue(store: object | None, rows: Sequence[tuple], read: Callable) -> list[tuple[str, object]]:
    """Read every (decision_no, facts, case_cause) row, applying decisions and queueing doubts."""
    out, doubts = read_rows(rows, read, reading_decisions(store))
    if isinstance(store, ReadingQueue):
        store.queue_readings(doubts)
    return out
