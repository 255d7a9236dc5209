"""Turning reviewers' link/split decisions into edits of the record graph.

A decision names a spelling by its name as written and, optionally, its
credit code; it covers every record with that spelling. Decisions apply in
the order they were made, so the later of two about the same spelling wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from jiancha.resolve.credit_code import clean
from jiancha.resolve.records import SPELLINGS
from jiancha.resolve.store import Decision
from jiancha.resolve.work import Work


@dataclass
class GraphEdits:
    """Record pairs to force together and records to cut from every scored edge."""

    links: set[tuple[int, int]] = field(default_factory=set)
    detached: set[int] = field(default_factory=set)
    unmatched: list[Decision] = field(default_factory=list)  # decisions naming no current spelling


#: A spelling's records as (unique_id, raw_credit_code, credit_code), by its name as written.
Spellings = dict[str, list[tuple[int, str | None, str | None]]]


def _spellings(work: Work, decisions: Sequence[Decision]) -> Spellings:
    """The records of every spelling the decisions name, in one query."""
    names = sorted({n for d in decisions for n in (d.name, d.other_name) if n})
    work.put("_decided_names", pa.table({"name": pa.array(names, pa.string())}))
    rows = work.arrow(
        f"SELECT raw_name, unique_id, raw_credit_code, credit_code FROM {SPELLINGS} "
        "WHERE raw_name IN (SELECT name FROM _decided_names) ORDER BY unique_id"
    ).to_pylist()
    work.drop("_decided_names")
    out: Spellings = {}
    for row in rows:
        out.setdefault(row["raw_name"], []).append(
            (row["unique_id"], row["raw_credit_code"], row["credit_code"])
        )
    return out


def _records_of(spellings: Spellings, name: str, code: str | None) -> list[int]:
    """The records spelling ``name`` (with ``code``, as typed or as corrected, when given)."""
    wanted = clean(code)
    return sorted(
        {
            uid
            for uid, raw, fixed in spellings.get(name, [])
            if wanted is None or wanted in (clean(raw), fixed)
        }
    )


def graph_edits(work: Work, decisions: Sequence[Decision]) -> GraphEdits:
    """Replay the decisions over the current records."""
    edits = GraphEdits()
    if not decisions:
        return edits
    spellings = _spellings(work, decisions)
    for decision in decisions:
        mine = _records_of(spellings, decision.name, decision.credit_code)
        if decision.action == "split":
            if not mine:
                edits.unmatched.append(decision)
            edits.detached.update(mine)
            edits.links = {pair for pair in edits.links if not set(pair) & set(mine)}
            continue
        theirs = _records_of(spellings, decision.other_name or "", decision.other_credit_code)
        if not mine or not theirs:
            edits.unmatched.append(decision)
            continue
        anchor = mine[0]
        edits.links.update((anchor, other) for other in [*mine[1:], *theirs])
    return edits
