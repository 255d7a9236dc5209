"""The append-only, keyed, hash-chained audit log, and the check that finds tampering.

Each entry's hash is HMAC-SHA256, under a key kept outside the database
(:mod:`jiancha.clues.keys`), over the canonical JSON of its fields (its key id among
them) followed by the previous entry's hash. Changing, inserting, removing or
reordering entries breaks the chain at a place :func:`verify` can name, and without
the key nobody can re-hash a rewritten chain. Entries written before revision 0010
have no key id: they are plain sha256 and still verify as such, which shows accidental
change but not a rewrite by someone with database access. Signed heads in the anchor
file (:mod:`jiancha.clues.anchors`) show entries cut off the end.

Appenders first lock the single ``audit_head`` row (``SELECT … FOR UPDATE``; SQLite's
``BEGIN IMMEDIATE`` does the same), which serialises writers and keeps the chain linear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, pairwise
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from jiancha.clues.anchors import Anchor, BadAnchor, canonical_json, mac
from jiancha.clues.engine import insert_rows
from jiancha.clues.keys import Keyring
from jiancha.clues.schema import AuditEntry, AuditHead
from jiancha.i18n import tr

__all__ = ["AuditRecord", "Problem", "VerifyReport", "append", "canonical_json", "lock_head", "verify"]

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
    """One break in the chain: its kind and the entry it starts at (0: the anchor file itself).

    Kinds: ``edited``, ``inserted``, ``deleted``, ``unsigned`` (an unkeyed entry where only
    keyed ones can be), ``unknown_key`` (signed with a key the keyring lacks), ``rewritten``
    and ``truncated`` (the chain no longer reaches a signed head), ``anchor`` (a bad line
    in the anchor file).
    """

    kind: str
    seq: int
    message: str


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of :func:`verify`: entries read, what was wrong, and what the check rests on.

    ``unkeyed`` counts the entries from before revision 0010 (plain sha256, no key);
    ``anchors`` the signed heads checked; ``head`` the head signed by this check, once the
    chain verified (print it: a later report that no longer reaches it shows truncation).
    """

    entries: int
    problems: tuple[Problem, ...]
    unkeyed: int = 0
    anchors: int = 0
    head: Anchor | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> Problem | None:
        """The problem at the lowest entry: where the chain stops being trustworthy."""
        entries = [p for p in self.problems if p.seq > 0]
        return min(entries, key=lambda p: p.seq) if entries else (self.problems[0] if self.problems else None)


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """An unkeyed entry's hash (before revision 0010): sha256 of its canonical JSON and the previous hash."""
    return hashlib.sha256((canonical_json(fields) + prev_hash).encode("utf-8")).hexdigest()


def keyed_hash(fields: dict[str, Any], prev_hash: str, secret: bytes) -> str:
    """A keyed entry's hash: HMAC-SHA256 under ``secret`` of the same text (``fields`` holds its key id)."""
    return mac(secret, canonical_json(fields) + prev_hash)


def lock_head(session: Session) -> AuditHead:
    """Take the chain's lock for this transaction; every writer calls this first."""
    return session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()


def append(
    session: Session, head: AuditHead, records: Sequence[AuditRecord], at: datetime, keyring: Keyring
) -> None:
    """Chain ``records`` onto the log in order, keyed with the current key, and move the head.

    ``head`` must be locked. The first keyed entry's number is kept in ``head.keyed_from``,
    so signed heads can say from where on every entry must be keyed.
    """
    if not records:
        return
    stamp, prev, seq, rows = at.isoformat(timespec="microseconds"), head.hash, head.seq, []
    key_id, secret = keyring.current_id, keyring.current
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
            "key_id": key_id,
        }
        prev_hash, prev = prev, keyed_hash(fields, prev, secret)
        rows.append({**fields, "prev_hash": prev_hash, "hash": prev})
    insert_rows(session, AuditEntry.__table__, rows)
    if head.keyed_from is None:
        head.keyed_from = head.seq + 1
    head.seq, head.hash = seq, prev


# -- the sentences of each kind of break ---------------------------------------------------


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


def _span(first: int, last: int) -> str:
    return f"{first}" if first == last else f"{first}–{last}"


def _deleted(first: int, last: int) -> Problem:
    span = _span(first, last)
    return Problem(
        "deleted",
        first,
        tr(f"第 {span} 条审计记录被删除。", f"Audit entries {span} were deleted."),
    )


def _unsigned(seq: int) -> Problem:
    return Problem(
        "unsigned",
        seq,
        tr(
            f"第 {seq} 条审计记录没有密钥签名，却位于已签名的记录之后：它是被改写或伪造的。",
            f"Audit entry {seq} has no key, yet comes after keyed entries: it was rewritten or forged.",
        ),
    )


def _unknown_key(seq: int, key_id: str) -> Problem:
    return Problem(
        "unknown_key",
        seq,
        tr(
            f"第 {seq} 条审计记录由密钥 {key_id} 签名，但密钥文件中没有该密钥，无法校验；"
            "轮换密钥时须保留旧密钥。",
            f"Audit entry {seq} is signed with key {key_id}, which the keyring does not hold, so it "
            "cannot be checked; rotating keys must keep the old ones.",
        ),
    )


def _truncated(last: int, anchor: Anchor) -> Problem:
    span = _span(last + 1, anchor.seq)
    return Problem(
        "truncated",
        last + 1,
        tr(
            f"第 {span} 条审计记录被从末尾截去：{anchor.at} 签名的链头有 {anchor.seq} 条记录。",
            f"Audit entries {span} were cut off the end: the head signed at {anchor.at} "
            f"had {anchor.seq} entries.",
        ),
    )


def _rewritten(anchor: Anchor) -> Problem:
    return Problem(
        "rewritten",
        anchor.seq,
        tr(
            f"第 {anchor.seq} 条审计记录与 {anchor.at} 签名的链头不符：哈希链在此处或之前被改写。",
            f"Audit entry {anchor.seq} differs from the head signed at {anchor.at}: the chain was "
            "rewritten there or before.",
        ),
    )


# -- walking the chain ---------------------------------------------------------------------


class _Walk:
    """One pass over the entries in order: each break, the hashes anchors ask for, the end."""

    def __init__(self, keyring: Keyring, anchors: Sequence[Anchor]) -> None:
        self.keyring = keyring
        signed_from = [a.keyed_from for a in anchors if a.keyed_from is not None]
        self.keyed_from = min(signed_from) if signed_from else None  # signed: trust it over the head row
        self.wanted = {a.seq for a in anchors}
        self.hashes: dict[int, str] = {}
        self.problems: list[Problem] = []
        self.unkeyed = 0
        self.entries = 0  # every row walked, inserted ones included (the report's count)
        self.keyed_seen = False
        self.last_seq, self.last_hash = 0, GENESIS_HASH

    def run(self, entries: Iterable[Row]) -> None:
        anchor, expected, previous_bad = GENESIS_HASH, 1, False
        for entry, following in pairwise(chain(entries, [None])):
            self.entries += 1
            linked = entry.prev_hash == anchor and entry.seq == expected
            if not linked and following is not None and following.prev_hash == anchor:
                self.problems.append(_inserted(entry.seq))
                continue
            problem = self._content(entry)
            if problem is not None:
                self.problems.append(problem)
            elif entry.seq > expected:
                self.problems.append(_deleted(expected, entry.seq - 1))
            elif not linked and not previous_bad:  # the entry before was re-hashed after an edit
                self.problems.append(_rehashed(expected - 1))
            previous_bad = problem is not None
            if entry.seq in self.wanted:
                self.hashes[entry.seq] = entry.hash
            anchor, expected = entry.hash, entry.seq + 1
        self.last_seq, self.last_hash = expected - 1, anchor

    def _content(self, entry: Row) -> Problem | None:
        """Why this entry's own hash cannot be trusted, or None."""
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        if entry.key_id is None:
            if self.keyed_seen or (self.keyed_from is not None and entry.seq >= self.keyed_from):
                return _unsigned(entry.seq)
            self.unkeyed += 1
            return None if entry_hash(fields, entry.prev_hash) == entry.hash else _edited(entry.seq)
        self.keyed_seen = True
        secret = self.keyring.secret(entry.key_id)
        if secret is None:
            return _unknown_key(entry.seq, entry.key_id)
        fields["key_id"] = entry.key_id
        return None if keyed_hash(fields, entry.prev_hash, secret) == entry.hash else _edited(entry.seq)

    def check_anchors(self, anchors: Sequence[Anchor]) -> None:
        """The chain must still reach every signed head, with the hash it had then."""
        beyond = [a for a in anchors if a.seq > self.last_seq]
        if beyond:
            self.problems.append(_truncated(self.last_seq, max(beyond, key=lambda a: a.seq)))
        differing = [a for a in anchors if a.seq in self.hashes and self.hashes[a.seq] != a.hash]
        if differing:
            self.problems.append(_rewritten(min(differing, key=lambda a: a.seq)))


def _check_head(head: AuditHead, last_seq: int, last_hash: str) -> list[Problem]:
    if head.seq > last_seq:
        return [_deleted(last_seq + 1, head.seq)]
    if head.seq < last_seq:
        return [_inserted(head.seq + 1)]
    return [_rehashed(last_seq)] if head.hash != last_hash else []


def _anchor_problem(bad: BadAnchor) -> Problem:
    return Problem("anchor", 0, bad.message)


def verify(
    session: Session, keyring: Keyring, anchor_lines: Sequence[Anchor | BadAnchor] = ()
) -> VerifyReport:
    """Walk the whole chain in order and name every break; check it still reaches each signed head."""
    anchors = [a for a in anchor_lines if isinstance(a, Anchor)]
    walk = _Walk(keyring, anchors)
    columns = [getattr(AuditEntry, name) for name in (*HASHED_FIELDS, "key_id", "prev_hash", "hash")]
    ordered = select(*columns).order_by(AuditEntry.seq, AuditEntry.id).execution_options(yield_per=5000)
    walk.run(session.execute(ordered))
    walk.check_anchors(anchors)
    problems = [_anchor_problem(a) for a in anchor_lines if isinstance(a, BadAnchor)]
    head = _check_head(session.get(AuditHead, 1), walk.last_seq, walk.last_hash)
    deleted = {p.seq for p in head if p.kind == "deleted"}  # the head already names the cut-off entries
    problems += [p for p in walk.problems if not (p.kind == "truncated" and p.seq in deleted)] + head
    return VerifyReport(
        entries=walk.entries, problems=tuple(problems), unkeyed=walk.unkeyed, anchors=len(anchors)
    )
