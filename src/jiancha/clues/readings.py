"""The needs-reading queue in the clue store: doubts queued by runs, decisions taken by prosecutors.

A run queues each doubt the penalty reader leaves (:func:`queue`): new ones open, known
ones touched; a decided one stays decided. A prosecutor decides an open item
(:func:`decide`) with a value — or none, "no figure to count" — and a reason; the decision
is audited (action ``reading_decided``) and the next run's reader applies it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiancha.clues.audit import AuditRecord
from jiancha.clues.schema import PendingReading
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.text.queue import QueuedDoubt, ReadingDecision

STATUSES = ("open", "decided")


def reading_id(decision_no: str, field: str, facts_hash: str) -> str:
    """A stable id: the same doubt about the same text is the same item."""
    return hashlib.sha256(f"{decision_no}\x1f{field}\x1f{facts_hash}".encode()).hexdigest()[:16]


def queue(session: Session, doubts: Sequence[QueuedDoubt], now: datetime) -> int:
    """Add the doubts not yet queued, touch those that are; returns how many are new."""
    known = {r.id: r for r in session.scalars(select(PendingReading))}
    no = session.scalar(select(func.max(PendingReading.no))) or 0
    added = 0
    for item in doubts:
        key = reading_id(item.decision_no, item.doubt.field, item.facts_hash)
        if key in known:
            known[key].last_seen = now
            continue
        no += 1
        added += 1
        known[key] = PendingReading(
            id=key,
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
        session.add(known[key])
    return added


def decisions(session: Session) -> list[ReadingDecision]:
    """Every decided item, as the reader applies it."""
    rows = session.scalars(select(PendingReading).where(PendingReading.status == "decided"))
    return [
        ReadingDecision(r.decision_no, r.field, r.facts_hash, r.value, r.decided_by or "", r.reason)
        for r in rows
    ]


def listing(session: Session, status: str | None = None, limit: int = 200) -> list[PendingReading]:
    """Queue items, newest first; ``status`` open or decided (None: both)."""
    query = select(PendingReading).order_by(PendingReading.no.desc()).limit(limit)
    if status is not None:
        if status not in STATUSES:
            raise JianchaError(
                tr(
                    f"待人工认定的状态只能是 open 或 decided，而不是 {status}。",
                    f"A reading's status is open or decided, not {status}.",
                )
            )
        query = query.where(PendingReading.status == status)
    return list(session.scalars(query))


def get(session: Session, key: str) -> PendingReading:
    """One item by id; a sentence naming it when there is none."""
    item = session.get(PendingReading, key)
    if item is None:
        raise JianchaError(
            tr(f"没有编号为 {key} 的待人工认定事项。", f"There is no reading to decide numbered {key}.")
        )
    return item


def decide(
    session: Session, key: str, value: float | None, reason: str, user: str, now: datetime
) -> tuple[PendingReading, AuditRecord]:
    """Record a person's decision on an open item; the audit record to append with it."""
    item = get(session, key)
    if not reason.strip():
        raise JianchaError(tr("请写明认定理由。", "Give the reason for the decision."))
    if value is not None and value < 0:
        raise JianchaError(
            tr(f"认定的数值不能为负数（{value}）。", f"A decided figure cannot be negative ({value}).")
        )
    item.status, item.value, item.reason = "decided", value, reason.strip()
    item.decided_by, item.decided_at = user, now
    record = AuditRecord(
        "reading_decided",
        user,
        reason=reason.strip(),
        data={"reading": key, "decision_no": item.decision_no, "field": item.field, "value": value},
    )
    return item, record
