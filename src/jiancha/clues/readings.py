"""The needs-reading queue in the clue store: doubts queued by runs, decisions taken by prosecutors.

A run queues each doubt the penalty reader leaves (:func:`queue`): new ones open, known
ones touched; a decided one stays decided. One item is one doubted span: two figures in
doubt for the same field of one decision (two container counts with no weight) are two
items, each decided on its own. A prosecutor decides an open item (:func:`decide`) with a
value — or none, "no figure to count" — and a reason; the decision is audited (action
``reading_decided``) and the next run's reader adds it to the figures it settled itself.
A decided item is changed only on purpose (``change``), with a reason, audited as
``reading_changed`` with the value it replaces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiancha.clues.audit import AuditRecord
from jiancha.clues.engine import chunks
from jiancha.clues.schema import PendingReading
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.text.queue import QueuedDoubt, ReadingDecision, figure_text

STATUSES = ("open", "decided")


def reading_id(decision_no: str, field: str, facts_hash: str, span: str) -> str:
    """A stable id: the same doubted span about the same text is the same item."""
    key = f"{decision_no}\x1f{field}\x1f{facts_hash}\x1f{span}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def queue(session: Session, doubts: Sequence[QueuedDoubt], now: datetime) -> int:
    """Add the doubts not yet queued, touch those that are; returns how many are new.

    Only the rows about the texts read are loaded (by facts hash), not the whole queue;
    they are matched by what they are about (items queued before the span was part of
    the id keep their id).
    """
    hashes = sorted({item.facts_hash for item in doubts})
    known: dict[tuple[str, str, str, str], PendingReading] = {}
    for part in chunks(hashes):
        for r in session.scalars(select(PendingReading).where(PendingReading.facts_hash.in_(part))):
            known[(r.decision_no, r.field, r.facts_hash, r.span)] = r
    no = session.scalar(select(func.max(PendingReading.no))) or 0
    added = 0
    for item in doubts:
        natural = (item.decision_no, item.doubt.field, item.facts_hash, item.doubt.span)
        if natural in known:
            known[natural].last_seen = now
            continue
        no += 1
        added += 1
        known[natural] = PendingReading(
            id=reading_id(*natural),
            no=no,
            decision_no=item.decision_no,
            field=item.doubt.field,
            facts_hash=item.facts_hash,
            span=item.doubt.span,
            why=item.doubt.why,
            candidate=item.doubt.candidate,
            status="open",
            reason="",
            first_seen=now,
            last_seen=now,
        )
        session.add(known[natural])
    return added


def decisions(session: Session) -> list[ReadingDecision]:
    """Every decided item, as the reader applies it."""
    rows = session.scalars(select(PendingReading).where(PendingReading.status == "decided"))
    return [
        ReadingDecision(r.decision_no, r.field, r.facts_hash, r.value, r.decided_by or "", r.reason, r.span)
        for r in rows
    ]


def _where_status(query, status: str | None):
    if status is None:
        return query
    if status not in STATUSES:
        raise JianchaError(
            tr(
                f"待人工认定的状态只能是 open 或 decided，而不是 {status}。",
                f"A reading's status is open or decided, not {status}.",
            )
        )
    return query.where(PendingReading.status == status)


def listing(
    session: Session, status: str | None = None, limit: int = 200, offset: int = 0
) -> list[PendingReading]:
    """One page of queue items, newest first; ``status`` open or decided (None: both)."""
    query = select(PendingReading).order_by(PendingReading.no.desc()).limit(limit).offset(offset)
    return list(session.scalars(_where_status(query, status)))


def count(session: Session, status: str | None = None) -> int:
    """How many items the queue holds (of ``status``), for paging."""
    return session.scalar(_where_status(select(func.count()).select_from(PendingReading), status)) or 0


def get(session: Session, key: str) -> PendingReading:
    """One item by id; a sentence naming it when there is none."""
    item = session.get(PendingReading, key)
    if item is None:
        raise JianchaError(
            tr(f"没有编号为 {key} 的待人工认定事项。", f"There is no reading to decide numbered {key}.")
        )
    return item


def decide(
    session: Session,
    key: str,
    value: float | None,
    reason: str,
    user: str,
    now: datetime,
    change: bool = False,
) -> tuple[PendingReading, AuditRecord]:
    """Record a person's decision on an item; the audit record to append with it.

    An item already decided is refused unless ``change`` says the decision is meant to
    replace the earlier one; the audit record then names the value it replaces.
    """
    item = get(session, key)
    if not reason.strip():
        raise JianchaError(tr("请写明认定理由。", "Give the reason for the decision."))
    if value is not None and value < 0:
        raise JianchaError(
            tr(f"认定的数值不能为负数（{value}）。", f"A decided figure cannot be negative ({value}).")
        )
    earlier = figure_text(item.value, item.field)
    if item.status == "decided" and not change:
        raise JianchaError(
            tr(
                f"事项 {key}（{item.decision_no}）已由{item.decided_by}认定为{earlier}；"
                "如需更改，请用 --change 并写明更改理由。",
                f"Item {key} ({item.decision_no}) was already decided by {item.decided_by} as {earlier};"
                " to change it, use --change and give the reason for the change.",
            )
        )
    action = "reading_changed" if item.status == "decided" else "reading_decided"
    data: dict[str, object] = {
        "reading": key,
        "decision_no": item.decision_no,
        "field": item.field,
        "span": item.span,
        "value": value,
    }
    if action == "reading_changed":
        data |= {"previous_value": item.value, "previous_by": item.decided_by, "previous_reason": item.reason}
    item.status, item.value, item.reason = "decided", value, reason.strip()
    item.decided_by, item.decided_at = user, now
    return item, AuditRecord(action, user, reason=reason.strip(), data=data)
