"""A clue as the store returns it, built in memory for the fact and reasons tests."""

from __future__ import annotations

from datetime import datetime

from jiancha.clues.views import ClueDetail, ClueView, EvidenceView

SEEN = datetime(2024, 10, 8, 9, 30)


def detail(model_id: str, details: dict, evidence: tuple[EvidenceView, ...] = (), **clue) -> ClueDetail:
    view = ClueView(
        id="0123456789abcdef",
        model_id=model_id,
        subject_type=clue.get("subject_type", "facility"),
        subject_id=clue.get("subject_id", "AX-RS-021"),
        period=clue.get("period", "2024-03"),
        severity="high",
        office="安新县人民检察院",
        target_agency=clue.get("target_agency", "安新县住房和城乡建设局"),
        legal_basis="",
        related_ids=(),
        status="case_filed",
        holds=True,
        needs_review=False,
        urgent=False,
        due_on=None,
        assigned_to=None,
        first_seen=SEEN,
        last_seen=SEEN,
    )
    return ClueDetail(view, details, None, None, None, "", None, "r1", "r1", evidence, (), (), ())
