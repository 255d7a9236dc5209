"""Copying entity decisions into the clue store's audit chain, beside the lake's own record.

The decision itself lives in the lake (``_entity_decisions``), where every
resolution reads it; the audit entry makes it visible — and tamper-evident —
wherever the rest of the platform's actions are reviewed.
"""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from jiancha.clues.audit import AuditRecord, append, lock_head
from jiancha.clues.engine import WRITER, make_engine, upgrade
from jiancha.resolve.store import Decision


def audit_decision(store_url: str, decision: Decision) -> None:
    """Append ``entity_link`` / ``entity_split`` to the audit chain of the clue store at ``store_url``."""
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        writer = sessionmaker(engine.execution_options(**{WRITER: True}))
        with writer.begin() as session:
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
            append(session, lock_head(session), [record], decision.decided_at)
    finally:
        engine.dispose()
