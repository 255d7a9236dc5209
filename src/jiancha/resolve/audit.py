"""Copying entity decisions into the clue store's audit chain, beside the lake's own record.

The decision itself lives in the lake (``_entity_decisions``), where every
resolution reads it; the audit entry makes it visible — and tamper-evident —
wherever the rest of the platform's actions are reviewed.
"""

from __future__ import annotations

from jiancha.clues.audit import AuditRecord
from jiancha.clues.seal import AuditSeal
from jiancha.clues.store import ClueStore
from jiancha.resolve.store import Decision


def audit_decision(store_url: str, decision: Decision, seal: AuditSeal | None = None) -> None:
    """Append ``entity_link`` / ``entity_split`` to the audit chain of the clue store at ``store_url``,
    stamped with the decision's own time so the chain and the lake agree on when it was made;
    ``seal`` is the workspace's audit key and anchor file (default: the store's own, by URL)."""
    record = AuditRecord(
        action=f"entity_{decision.action}",
        user=decision.decided_by,
        reason=decision.reason,
        data={
            "decision_id": decision.decision_id,
            "name": decision.name,
            "credit_code": decision.credit_code,
            "other_name": decision.other_name,
            "other_credit_code": decision.other_credit_code,
        },
    )
    with ClueStore(store_url, clock=lambda: decision.decided_at, seal=seal) as clues:
        clues.append_audit([record])
