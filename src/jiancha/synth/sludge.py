"""Sludge: disposal companies and their permits, monthly production ledgers, the
shipments (manifests) that empty the stores, and the sludge-accounting cases.

Background ledgers balance exactly (shipped + change in stock = produced), shipments
leave every month, and stores never fill, so only planted cases trip the models.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from jiancha.synth import places
from jiancha.synth.facilities import Facility
from jiancha.synth.parties import Org
from jiancha.synth.world import DAYS, World, day

YIELD_T_PER_10K = {"town_plant": 6.0, "rural_station": 3.0, "industrial": 4.0}
LOAD_T = 30.0


@dataclass
class Permit:
    """One disposal permit: what it allows, when, and where the sludge is received."""

    permit_no: str
    methods: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date
    lon: float
    lat: float


@dataclass
class Receiver:
    """A disposal company and its permits; ``background`` ones take routine shipments."""

    org: Org
    permits: list[Permit]
    background: bool = True


@dataclass
class Shipment:
    """A manifest before numbering; ``gps`` says how its truck's track is drawn."""

    facility: Facility
    ship_date: dt.date
    weight_t: float
    receiver: Receiver
    method: str
    receiver_name: str = ""
    receiver_code: str | None = None
    receive_date: dt.date | None = None
    received_weight_t: float | None = None
    plate: str = ""
    #: How the plate appears in the GPS feed (empty: the plate without separators).
    gps_plate: str = ""
    gps: str = "trip"
    site: int = 0
    cases: list[tuple[str, bool, str]] = field(default_factory=list)
    manifest_no: str = ""


@dataclass
class Ledger:
    """A facility's monthly production and month-end stock as the operator reported them."""

    produced: np.ndarray
    stock_end: np.ndarray
    skip: set[int] = field(default_factory=set)
    windows: dict[int, tuple[int, int]] = field(default_factory=dict)
    factor: dict[int, float] = field(default_factory=dict)


def month_index(d: dt.date) -> int:
    return d.month - 1


def monthly_flow(f: Facility) -> np.ndarray:
    """Treated volume per month: every day's flow that was written, whatever its flag."""
    flow = np.where(f.has_effluent, np.nan_to_num(f.flow), 0.0)
    months = DAYS.astype("datetime64[M]").astype(int) % 12
    return np.bincount(months, weights=flow, minlength=12)


def receivers(world: World) -> dict[str, Receiver]:
    """The disposal companies of the area: four routine ones and three for planted cases."""

    def permit(n: int, methods, start, end, lon, lat) -> Permit:
        return Permit(f"冀雄污泥证〔{start.year}〕{n:03d}号", tuple(methods), start, end, lon, lat)

    end = day(12, 31)
    made = {
        "incinerator": Receiver(
            world.org("环保能源", "雄安新区"),
            [permit(11, ["incineration"], dt.date(2022, 3, 1), end, 116.252, 38.972)],
        ),
        "materials": Receiver(
            world.org("建材", "容城县"),
            [permit(12, ["building_material", "land_use"], dt.date(2021, 7, 1), end, 115.802, 39.141)],
        ),
        "compost": Receiver(
            world.org("生物科技", "安新县"),
            [
                permit(13, ["compost", "land_use"], dt.date(2023, 1, 1), end, 115.781, 38.823),
                permit(14, ["compost"], dt.date(2023, 6, 1), end, 115.842, 38.752),
            ],
        ),
        "landfill": Receiver(
            world.org("环境卫生工程", "雄县"),
            [permit(15, ["landfill"], dt.date(2021, 1, 1), end, 116.281, 39.062)],
        ),
        "expired": Receiver(
            world.org("再生资源利用", "安新县"),
            [permit(16, ["compost"], dt.date(2023, 4, 1), day(3, 31), 115.75, 38.90)],
            background=False,
        ),
        "new": Receiver(
            world.org("固废处置", "雄县"),
            [permit(17, ["incineration"], day(4, 1), end, 116.20, 39.10)],
            background=False,
        ),
        "unpermitted": Receiver(world.org("土方工程", "雄县"), [], background=False),
        "stranger": Receiver(world.org("环保工程", "安新县"), [], background=False),
    }
    return made


def nearest(f: Facility, pool: dict[str, Receiver]) -> Receiver:
    """The routine receiver whose first site is closest to the facility."""
    candidates = [r for r in pool.values() if r.background]
    dist = [places.distance_m(f.lon, f.lat, r.permits[0].lon, r.permits[0].lat) for r in candidates]
    return candidates[int(np.argmin(dist))]


def ledger(world: World, f: Facility) -> Ledger:
    """Reported monthly production: the flow's implied sludge times a plausible factor."""
    flow = monthly_flow(f)
    factor = world.rng.uniform(0.85, 1.1, 12)
    produced = np.round(flow * YIELD_T_PER_10K[f.ftype] / 10_000 * factor, 2)
    return Ledger(produced=produced, stock_end=np.zeros(12))


def _load_days(world: World, month: int, loads: int, window: tuple[int, int] | None) -> list[dt.date]:
    """Days of the month the loads leave: random within days 3–25, or within a planted
    window whose last day always carries a load."""
    lo, hi = window or (3, 25)
    doms = np.sort(world.rng.integers(lo, hi + 1, loads))
    if window:
        doms[-1] = hi
    return [day(month + 1, int(d)) for d in doms]


def ship_year(world: World, f: Facility, book: Ledger, receiver: Receiver, method: str) -> list[Shipment]:
    """Ship 90 % of what is on hand every month (in truck loads, however small), and book the stock."""
    out: list[Shipment] = []
    stock = 0.0
    for m in range(12):
        on_hand = stock + book.produced[m]
        total = round(0.9 * on_hand, 2) if m not in book.skip else 0.0
        book.stock_end[m] = stock = round(on_hand - total, 2)
        if total == 0:
            continue
        loads = math.ceil(total / LOAD_T)
        each = math.floor(total / loads * 100) / 100
        weights = [each] * (loads - 1) + [round(total - each * (loads - 1), 2)]
        for d, w in zip(_load_days(world, m, loads, book.windows.get(m)), weights, strict=True):
            out.append(Shipment(f, d, w, receiver, method))
    return out


def receive(world: World, s: Shipment) -> None:
    """The receiver confirms the load one or two days later, weighing 96–100 % of it."""
    s.receive_date = s.ship_date + dt.timedelta(days=int(world.rng.integers(0, 3)))
    s.received_weight_t = round(s.weight_t * float(world.rng.uniform(0.96, 1.0)), 2)
    if s.receive_date > day(12, 31):
        s.receive_date = day(12, 31)
