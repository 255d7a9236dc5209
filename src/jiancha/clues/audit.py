"""The append-only, hash-chained audit log, and the check that finds tampering.

Each entry's hash is sha256 over the canonical JSON of its fields followed by
the previous entry's hash, so changing, inserting or removing any entry breaks
the chain at a place :func:`verify` can name. Appenders first lock the single
``audit_head`` row (``SELECT … FOR UPDATE``; SQLite's ``BEGIN IMMEDIATE`` does
the same), which serialises writers and keeps the chain linear.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, pairwise
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from jiancha.clues.engine import insert_rows
from jiancha.clues.schema import AuditEntry, AuditHead
from jiancha.i18n import tr

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("seq", "at", "user", "action", "clue_id", "status_to", "reason", "data")


@dataclass(frozen=True)
class AuditRecord:
    """What happened, to be appended: the action, who did it, on which clue and why."""

    action: str
    user: str
    clue_id: str | None = None
    status_to: str | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One break in the chain: its kind (edited, inserted, deleted) and where."""

    kind: str
    seq: int
    message: str


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify`: how many entries were read and what was wrong."""

    entries: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spacing: the same bytes on every backend and Python."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """sha256 over the entry's canonical JSON followed by the previous entry's hash."""
    return hashlib.sha256((canonical_json(fields) + prev_hash).encode("utf-8")).hexdigest()


def lock_head(session: Session) -> AuditHead:
    """Take the chain's lock for this transaction; every writer calls this first."""
    return session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()


def append(session: Session, head: AuditHead, records: Sequence[AuditRecord], at: datetime) -> None:
    """Chain ``records`` onto the log in order and move the head; ``head`` must be locked."""
    if not records:
        return
    stamp, prev, seq, rows = at.isoformat(timespec="microseconds"), head.hash, head.seq, []
    data_text: dict[int, str] = {}  # a sync shares one data dict across its many records
    for record in records:
        if id(record.data) not in data_text:
            data_text[id(record.data)] = canonical_json(record.data)
        seq += 1
        fields = {
            "seq": seq,
            "at": stamp,
            "user": record.user,
            "action": record.action,
            "clue_id": record.clue_id,
            "status_to": record.status_to,
            "reason": record.reason,
            "data": data_text[id(record.data)],
        }
        prev_hash, prev = prev, entry_hash(fields, prev)
        rows.append({**fields, "prev_hash": prev_hash, "hash": prev})
    insert_rows(session, AuditEntry.__table__, rows)
    head.seq, head.hash = seq, prev


def _fields(entry: Row) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def _valid(entry: Row) -> bool:
    return entry_hash(_fields(entry), entry.prev_hash) == entry.hash


def _edited(seq: int) -> Problem:
    return Problem(
        "edited",
        seq,
        tr(
            f"第 {seq} 条审计记录被改动：内容与其哈希不符。",
            f"Audit entry {seq} was edited: its content no longer matches its hash.",
        ),
    )


def _rehashed(seq: int) -> Problem:
    return Problem(
        "edited",
        seq,
        tr(
            f"第 {seq} 条审计记录被改动并重新计算了哈希：下一条记录不再指向它。",
            f"Audit entry {seq} was edited and re-hashed: the next entry no longer points to it.",
        ),
    )


def _inserted(seq: int) -> Problem:
    return Problem(
        "inserted",
        seq,
        tr(
            f"插入了一条不属于哈希链的审计记录（标为第 {seq} 条）。",
            f"An audit entry (numbered {seq}) was inserted: it is not part of the hash chain.",
        ),
    )


def _deleted(first: int, last: int) -> Problem:
    span = f"{first}" if first == last else f"{first}–{last}"
    return Problem(
        "deleted",
        first,
        tr(f"第 {span} 条审计记录被删除。", f"Audit entries {span} were deleted."),
    )


def _walk(entries: Iterable[Row]) -> Iterator[Problem | tuple[int, str]]:
    """Yield each break, then the (last seq, hash) the chain ends on."""
    anchor, expected = GENESIS_HASH, 1
    for entry, following in pairwise(chain(entries, [None])):
        linked = entry.prev_hash == anchor and entry.seq == expected
        if not linked and following is not None and following.prev_hash == anchor:
            yield _inserted(entry.seq)
            continue
        if not _valid(entry):
            yield _edited(entry.seq)
        elif not linked:
            yield _deleted(expected, entry.seq - 1) if entry.seq > expected else _rehashed(expected - 1)
        anchor, expected = entry.hash, entry.seq + 1
    yield (expected - 1, anchor)


def _check_head(head: AuditHead, last_seq: int, last_hash: str) -> Iterator[Problem]:
    if head.seq > last_seq:
        yield _deleted(last_seq + 1, head.seq)
    elif head.seq < last_seq:
        yield _inserted(head.seq + 1)
    elif head.hash != last_hash:
        yield _rehashed(last_seq)


def verify(session: Session) -> VerifyReport:
    """Walk the whole chain in order and name every edited, inserted or deleted entry."""
    columns = [getattr(AuditEntry, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")]
    ordered = select(*columns).order_by(AuditEntry.seq, AuditEntry.id).execution_options(yield_per=5000)
    entries = session.execute(ordered)
    *problems, (last_seq, last_hash) = _walk(entries)
    problems.extend(_check_head(session.get(AuditHead, 1), last_seq, last_hash))
    total = session.scalar(select(func.count()).select_from(AuditEntry))
    return VerifyReport(entries=total, problems=tuple(problems))
