"""The generator's shared state: the random source, the scale, the tables being
filled, who is who (parties), and the record of what was planted (the truth)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from jiancha.synth.parties import Org, PartyPool

AS_OF = dt.date(2024, 12, 31)
DAYS = np.arange(np.datetime64("2024-01-01"), np.datetime64("2025-01-01"))


def day(month: int, dom: int) -> dt.date:
    """A date of the data year."""
    return dt.date(2024, month, dom)


def plus(d: dt.date, days: int) -> dt.date:
    return d + dt.timedelta(days=days)


@dataclass
class Table:
    """Rows of one dataset, in field names, with the true entity behind each party cell."""

    name: str
    rows: list[dict] = field(default_factory=list)
    #: (row index, field, entity key) for every party-name cell written.
    parties: list[tuple[int, str, str]] = field(default_factory=list)
    #: (row index, list field, entity key, the name) for party names inside list cells.
    listed: list[tuple[int, str, str, str]] = field(default_factory=list)
    #: A large dataset built column-wise instead of row by row.
    arrow: pa.Table | None = None

    def add(self, parties: dict[str, str] | None = None, **values) -> int:
        """Append a row; ``parties`` maps party-name fields to their true entity keys."""
        self.rows.append(values)
        index = len(self.rows) - 1
        for name, key in (parties or {}).items():
            self.parties.append((index, name, key))
        return index

    def __len__(self) -> int:
        return self.arrow.num_rows if self.arrow is not None else len(self.rows)


@dataclass(frozen=True)
class Planted:
    """One planted case: the clue a model must raise (positive) or must not (negative)."""

    model_id: str
    subject_id: str
    period: str
    positive: bool
    why: str


@dataclass
class World:
    """Everything the builders share while generating one drop."""

    seed: int
    scale: float
    rng: np.random.Generator = field(init=False)
    pool: PartyPool = field(init=False)
    tables: dict[str, Table] = field(default_factory=dict)
    planted: list[Planted] = field(default_factory=list)
    orgs: dict[str, Org] = field(default_factory=dict)
    #: Penalties the enforcement builder must write against facility operators:
    #: (facility, decision date, "exact" or "variant" spelling of the operator).
    operator_penalties: list[tuple] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.pool = PartyPool(self.rng)

    def table(self, name: str) -> Table:
        return self.tables.setdefault(name, Table(name))

    def count(self, at_scale_1: int, minimum: int = 1) -> int:
        """How many background items of a kind: ``at_scale_1`` times the scale, at least ``minimum``."""
        return max(minimum, round(at_scale_1 * self.scale))

    def org(self, industry: str, region: str, suffix: str = "有限公司") -> Org:
        """A new organisation, remembered for the entity truth."""
        made = self.pool.org(industry, region, suffix)
        self.orgs[made.key] = made
        return made

    def positive(self, model_id: str, subject_id: str, period: str, why: str) -> None:
        self.planted.append(Planted(model_id, subject_id, period, True, why))

    def negative(self, model_id: str, subject_id: str, why: str) -> None:
        self.planted.append(Planted(model_id, subject_id, "", False, why))

    def pick(self, options):
        """One element of a sequence, chosen by the world's random source."""
        return options[int(self.rng.integers(len(options)))]
