"""What the reader read, in a form a prosecutor can check: the span, the arithmetic, the doubt.

A :class:`Reading` is one figure the reader settled — the field it fills, the value,
the span of the facts it quoted and, when the figure is not written as such, the
arithmetic (``148桶，按"5桶半1吨"折算约26.9吨``). A :class:`Doubt` is a figure the
reader found but could not settle (a container with no weight, a volume with no
density, a range across the threshold); it goes to the needs-reading queue instead
of being silently dropped or silently flagged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reading:
    """One settled figure: ``field`` of PenaltyFacts, its value and how it was read."""

    field: str
    value: float
    span: str
    arithmetic: str = ""


@dataclass(frozen=True)
class Doubt:
    """A figure the reader could not settle: the field it bears on, the span and why.

    ``candidate`` is the reader's best lower figure (None when it has none), in the
    field's unit (tonnes, yuan, mu, times).
    """

    field: str
    span: str
    why: str
    candidate: float | None = None
