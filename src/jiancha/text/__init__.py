"""Reading Chinese free text: amounts, quantities and acts in administrative penalty decisions.

``normalize`` folds full-width and traditional characters, ``numerals`` finds numbers with
units (digits or Chinese numerals, bounds and ranges), ``waste`` reads tonnes of hazardous
waste (containers, densities, HW codes), ``pollutants`` ties exceedance multiples to the
pollutant they are written for, ``acts`` judges what was done (disposed or stored,
concealed pipes, interfering with monitoring), ``grounds`` states which ground a clue
rests on, ``queue`` connects the needs-reading queue, and ``penalty`` puts them together
into one decision's reading and the ``penalty_facts`` derived table the models read.
The package root imports nothing heavy: the clue store imports ``jiancha.text.queue``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PenaltyFacts", "PenaltyThresholds", "penalty_facts_table", "read_penalty", "read_penalty_facts"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from jiancha.text import penalty

        return getattr(penalty, name)
    raise AttributeError(name)
