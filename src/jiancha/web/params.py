"""Query parameters shared by a page and its JSON twin."""

from __future__ import annotations

from jiancha.clues import ClueFilter


async def clue_filter(
    q: str | None = None,
    model_id: str | None = None,
    status: str | None = None,
    office: str | None = None,
    severity: str | None = None,
    period: str | None = None,
) -> ClueFilter:
    """Query parameters → the store's filter (empty fields mean "any")."""
    return ClueFilter(
        office=office or None,
        model_id=model_id or None,
        status=status or None,
        severity=severity or None,
        period=period or None,
        text=q or None,
    )
