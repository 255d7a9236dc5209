"""Turning one model's findings into clues: insert new, refresh changed, mark vanished.

Identity is the fingerprint (model, subject, period); the clue id is derived
from it, so the same finding gets the same id on every backend and every run.
A clue whose evidence changed is updated, and its history says what changed. A clue
whose finding disappears from a period the run judged is superseded: marked as no
longer holding, with the reason in its history, never deleted (its workflow stays); a
clue in a period the data no longer cover is left as it was.
A finding for a subject that already had a clue in an earlier period becomes a
new clue linked to that one (``previous_id``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from jiancha.clues.audit import AuditRecord, canonical_json
from jiancha.clues.engine import chunks, insert_rows
from jiancha.clues.schema import Clue, Evidence
from jiancha.clues.search import index_new
from jiancha.findings import Finding, Judged, SyncCounts
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.clues.routing import Router


def clue_id_for(model_id: str, subject_id: str, period: str | None) -> str:
    """The stable clue id of a fingerprint: 16 hex digits of its sha256."""
    key = "\x1f".join((model_id, subject_id, period or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def search_text(clue_id: str, f: Finding) -> str:
    """What text search matches: id, subject, addressee and model, lower-cased once on write."""
    return " ".join((clue_id, f.subject_id, f.target_agency or "", f.model_id)).lower()


def content_hash(finding: Finding) -> str:
    """A digest of everything a re-run may change, to tell "updated" from "unchanged"."""
    loc = finding.location
    return hashlib.sha256(
        canonical_json(
            [
                finding.severity,
                finding.target_agency,
                finding.legal_basis,
                list(finding.related_ids),
                finding.details,
                [[e.dataset, e.file, e.row, e.values] for e in finding.evidence],
                [loc.lon, loc.lat, loc.county] if loc else None,
            ]
        ).encode("utf-8")
    ).hexdigest()


@dataclass(frozen=True)
class _Known:
    id: str
    subject_id: str
    period: str
    content_hash: str
    holds: bool
    conduct_month: str | None


def _finding_columns(f: Finding, digest: str, now: datetime, run_id: str) -> dict[str, Any]:
    loc = f.location
    return {
        "severity": f.severity,
        "target_agency": f.target_agency,
        "legal_basis": f.legal_basis,
        "related_ids": list(f.related_ids),
        "details": dict(f.details),
        "lon": loc.lon if loc else None,
        "lat": loc.lat if loc else None,
        "county": loc.county if loc else None,
        "content_hash": digest,
        "conduct_month": f.conduct,
        "holds": True,
        "last_seen": now,
        "last_run_id": run_id,
        "updated_at": now,
    }


def _previous_links(known: Sequence[_Known], new: Sequence[tuple[str, Finding]]) -> dict[str, str]:
    """For each new (id, finding), the id of the same subject's clue in the latest earlier period."""
    by_subject: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for k in known:
        by_subject[k.subject_id].append((k.period, k.id))
    for clue_id, f in new:
        by_subject[f.subject_id].append((f.period or "", clue_id))
    links: dict[str, str] = {}
    new_ids = {clue_id for clue_id, _ in new}
    for entries in by_subject.values():
        entries.sort()
        for (_, before), (_, after) in pairwise(entries):
            if after in new_ids:
                links[after] = before
    return links


class ModelSync:
    """One model's findings applied to the store inside the caller's (locked) transaction."""

    def __init__(self, session: Session, router: Router, now: datetime, run_id: str, model_id: str) -> None:
        self.session, self.router, self.now = session, router, now
        self.run_id, self.model_id = run_id, model_id
        self.audit: list[AuditRecord] = []
        self.ids: dict[tuple[str, str, str], str] = {}
        self.redated = 0  # stored clues given a conduct month without a content change (no audit entry)

    def run(self, findings: Sequence[Finding], user: str, judged: Judged | None = None) -> SyncCounts:
        """Apply the model's complete set of findings for this run; what happened, counted.

        ``judged`` says which (subject, period) the run judged; other holding clues stay as they are.
        """
        strays = sorted({f.model_id for f in findings} - {self.model_id})
        if strays:
            raise ValueError(f"findings of {', '.join(strays)} were handed to the sync of {self.model_id}")
        # In fingerprint order, not the order the query returned them in (parallel scans vary it):
        # the same findings then get the same clue numbers and audit entries on every run.
        unique = sorted(
            {f.fingerprint: f for f in findings}.values(), key=lambda f: (f.subject_id, f.period or "")
        )
        self.ids = {f.fingerprint: clue_id_for(*f.fingerprint) for f in unique}
        digests = {f.fingerprint: content_hash(f) for f in unique}
        known = self._known()
        new, changed, same = self._classify(unique, known, digests)
        present = {(f.subject_id, f.period or "") for f in unique}
        gone = [
            k.id
            for key, k in known.items()
            if k.holds and key not in present and (judged is None or judged(k.subject_id, k.period or None))
        ]
        self._insert(new, digests, list(known.values()))
        changes = self._changes(changed)
        self._refresh(changed, digests)
        self._touch(same)
        self._redate(unique, known)
        self._mark_gone(gone)
        self._audit(user, new, changes, gone)
        return SyncCounts(new=len(new), updated=len(changed), unchanged=len(same), no_longer_holds=len(gone))

    def _known(self) -> dict[tuple[str, str], _Known]:
        """The model's clues already stored, by (subject, period), in that order (so the clues that
        no longer hold are audited in the same order whatever the table's physical order)."""
        rows = self.session.execute(
            select(Clue.id, Clue.subject_id, Clue.period, Clue.content_hash, Clue.holds, Clue.conduct_month)
            .where(Clue.model_id == self.model_id)
            .order_by(Clue.subject_id, Clue.period)
        )
        return {(row.subject_id, row.period): _Known(*row) for row in rows}

    @staticmethod
    def _classify(
        unique: list[Finding], known: dict[tuple[str, str], _Known], digests: dict
    ) -> tuple[list[Finding], list[tuple[Finding, _Known]], list[str]]:
        """Split findings into new ones, changed (or holding again) ones, and unchanged clue ids."""
        new: list[Finding] = []
        changed: list[tuple[Finding, _Known]] = []
        same: list[str] = []
        for f in unique:
            k = known.get((f.subject_id, f.period or ""))
            if k is None:
                new.append(f)
            elif k.content_hash != digests[f.fingerprint] or not k.holds:
                changed.append((f, k))
            else:
                same.append(k.id)
        return new, changed, same

    def _insert(self, new: list[Finding], digests: dict, known: list[_Known]) -> None:
        if not new:
            return
        routes = self.router.route_many([f.location for f in new], [f.target_agency for f in new])
        links = _previous_links(known, [(self.ids[f.fingerprint], f) for f in new])
        last_no = self.session.scalar(select(func.coalesce(func.max(Clue.no), 0)))
        rows = []
        for n, (f, route) in enumerate(zip(new, routes, strict=True), start=last_no + 1):
            clue_id = self.ids[f.fingerprint]
            rows.append(
                {
                    **_finding_columns(f, digests[f.fingerprint], self.now, self.run_id),
                    "id": clue_id,
                    "no": n,
                    "search_text": search_text(clue_id, f),
                    "model_id": f.model_id,
                    "subject_type": f.subject_type,
                    "subject_id": f.subject_id,
                    "period": f.period or "",
                    "office": route.office,
                    "routing_note": route.note,
                    "needs_review": route.needs_review,
                    "status": "new",
                    "urgent": False,
                    "previous_id": links.get(clue_id),
                    "first_seen": self.now,
                    "first_run_id": self.run_id,
                }
            )
        insert_rows(self.session, Clue.__table__, rows)
        index_new(self.session, last_no)
        self._insert_evidence(new)

    def _insert_evidence(self, findings: Sequence[Finding]) -> None:
        rows = [
            {
                "clue_id": self.ids[f.fingerprint],
                "position": i,
                "dataset": e.dataset,
                "file": e.file,
                "row": e.row,
                "values": e.values,
            }
            for f in findings
            for i, e in enumerate(f.evidence)
        ]
        insert_rows(self.session, Evidence.__table__, rows)

    def _changes(self, changed: list[tuple[Finding, _Known]]) -> dict[str, dict[str, Any]]:
        """For each changed clue, what the new finding changes: old and new values, evidence counts."""
        if not changed:
            return {}
        ids = [k.id for _, k in changed]
        before: dict[str, Any] = {}
        counts: dict[str, int] = {}
        for chunk in chunks(ids):
            before |= {
                row.id: row
                for row in self.session.execute(
                    select(Clue.id, Clue.severity, Clue.target_agency, Clue.details, Clue.related_ids).where(
                        Clue.id.in_(chunk)
                    )
                )
            }
            counts |= dict(
                self.session.execute(
                    select(Evidence.clue_id, func.count())
                    .where(Evidence.clue_id.in_(chunk))
                    .group_by(Evidence.clue_id)
                ).all()
            )
        return {k.id: _diff(before[k.id], counts.get(k.id, 0), f, k.holds) for f, k in changed}

    def _refresh(self, changed: list[tuple[Finding, _Known]], digests: dict) -> None:
        if not changed:
            return
        rows = [
            {"id": k.id, **_finding_columns(f, digests[f.fingerprint], self.now, self.run_id)}
            for f, k in changed
        ]
        self.session.execute(update(Clue), rows)
        for chunk in chunks([k.id for _, k in changed]):
            self.session.execute(delete(Evidence).where(Evidence.clue_id.in_(chunk)))
        self._insert_evidence([f for f, _ in changed])

    def _touch(self, ids: list[str]) -> None:
        for chunk in chunks(ids):
            self.session.execute(
                update(Clue).where(Clue.id.in_(chunk)).values(last_seen=self.now, last_run_id=self.run_id)
            )

    def _redate(self, unique: list[Finding], known: dict[tuple[str, str], _Known]) -> None:
        """Set the conduct month of stored clues that lack it or whose dating changed (clues
        stored before revision 0012 had none), one statement per month."""
        months: dict[str | None, list[str]] = defaultdict(list)
        for f in unique:
            k = known.get((f.subject_id, f.period or ""))
            if k is not None and k.conduct_month != f.conduct:
                months[f.conduct].append(k.id)
        self.redated = sum(len(ids) for ids in months.values())
        for month, ids in months.items():
            for chunk in chunks(ids):
                self.session.execute(update(Clue).where(Clue.id.in_(chunk)).values(conduct_month=month))

    def _mark_gone(self, ids: list[str]) -> None:
        for chunk in chunks(ids):
            self.session.execute(
                update(Clue).where(Clue.id.in_(chunk)).values(holds=False, updated_at=self.now)
            )

    def _audit(
        self, user: str, new: list[Finding], changes: dict[str, dict[str, Any]], gone: list[str]
    ) -> None:
        run = {"run_id": self.run_id}
        self.audit.extend(
            AuditRecord("clue.created", user, self.ids[f.fingerprint], "new", data=run) for f in new
        )
        self.audit.extend(
            AuditRecord("clue.updated", user, clue_id, reason=_updated_reason(change), data={**run, **change})
            for clue_id, change in changes.items()
        )
        self.audit.extend(
            AuditRecord("clue.no_longer_holds", user, clue_id, reason=superseded_reason(), data=run)
            for clue_id in gone
        )


def _diff(before: Any, evidence_rows: int, f: Finding, held: bool) -> dict[str, Any]:
    """What a re-run changed in a clue: fields as [old, new], details keys that differ, evidence counts."""
    change: dict[str, Any] = {}
    for name, new in (("severity", f.severity), ("target_agency", f.target_agency)):
        if getattr(before, name) != new:
            change[name] = [getattr(before, name), new]
    old_details, new_details = before.details or {}, json_values(dict(f.details))
    details = {
        key: [old_details.get(key), new_details.get(key)]
        for key in sorted(set(old_details) | set(new_details))
        if old_details.get(key) != new_details.get(key)
    }
    if details:
        change["details"] = details
    if list(before.related_ids or []) != list(f.related_ids):
        change["related_ids"] = [len(before.related_ids or []), len(f.related_ids)]
    change["evidence_rows"] = [evidence_rows, len(f.evidence)]
    if not held:
        change["holds_again"] = True
    return change


def json_values(details: dict[str, Any]) -> dict[str, Any]:
    """Details as the store keeps them (JSON round trip), so old and new compare alike."""
    return json.loads(canonical_json(details))


def _updated_reason(change: dict[str, Any]) -> str:
    if change.get("holds_again"):
        return tr("重新运行后，该线索的条件再次成立。", "On a new run the clue's condition holds again.")
    return tr(
        "重新运行后，线索所依据的数据或证据有变化，已按新数据更新。",
        "On a new run the data or evidence behind the clue changed; it was updated to match.",
    )


def superseded_reason() -> str:
    """Why a clue no longer holds: the history entry's reason."""
    return tr(
        "重新运行后，现有数据已不支持该线索（数据已更新或更正），标记为已不成立；线索及其流转记录保留。",
        "On a new run the data no longer support the clue (they were updated or corrected); it is "
        "marked as no longer holding, and it and its workflow history are kept.",
    )
