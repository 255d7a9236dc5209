"""Turning reviewers' link/split decisions into edits of the record graph.

A decision names a spelling by its name as written and, optionally, its
credit code; it covers every record with that spelling. Decisions apply in
the order they were made, so the later of two about the same spelling wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from jiancha.resolve.credit_code import clean
from jiancha.resolve.records import SPELLINGS
from jiancha.resolve.store import Decision


@dataclass
class GraphEdits:
    """Record pairs to force together and records to cut from every scored edge."""

    links: set[tuple[int, int]] = field(default_factory=set)
    detached: set[int] = field(default_factory=set)
    unmatched: list[Decision] = field(default_factory=list)  # decisions naming no current spelling


def _records_of(work: duckdb.DuckDBPyConnection, name: str, code: str | None) -> list[int]:
    """The records spelling ``name`` (with ``code``, as typed or as corrected, when given)."""
    wanted = clean(code)
    rows = work.execute(
        f"SELECT unique_id, raw_credit_code, credit_code FROM {SPELLINGS} "
        "WHERE raw_name = ? ORDER BY unique_id",
        [name],
    ).fetchall()
    return sorted({uid for uid, raw, fixed in rows if wanted is None or wanted in (clean(raw), fixed)})


def graph_edits(work: duckdb.DuckDBPyConnection, decisions: Sequence[Decision]) -> GraphEdits:
    """Replay the decisions over the current records."""
    edits = GraphEdits()
    for decision in decisions:
        mine = _records_of(work, decision.name, decision.credit_code)
        if decision.action == "split":
            if not mine:
                edits.unmatched.append(decision)
            edits.detached.update(mine)
            edits.links = {pair for pair in edits.links if not set(pair) & set(mine)}
            continue
        theirs = _records_of(work, decision.other_name or "", decision.other_credit_code)
        if not mine or not theirs:
            edits.unmatched.append(decision)
            continue
        anchor = mine[0]
        edits.links.update((anchor, other) for other in [*mine[1:], *theirs])
    return edits
