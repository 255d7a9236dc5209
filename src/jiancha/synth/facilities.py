"""Sewage facilities and their daily life: effluent monitoring, power use, and the
scenarios planted into them for the effluent, monitoring and idle models.

Each facility carries its year as numpy arrays (one slot per day of 2024); the
sludge builder and the writers read the same arrays, so the flow that implies the
sludge is the flow that was written.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from jiancha.library import ROOT
from jiancha.synth import places
from jiancha.synth.parties import Org
from jiancha.synth.world import DAYS, World


def _limits() -> dict[str, tuple[float, float, float, float]]:
    """Limits (mg/L) of COD, NH3-N, TP, TN per standard, from the library's reference table,
    so the synthetic exceedances are judged against exactly what the models apply."""
    with (ROOT / "reference" / "discharge_standards.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["discharge_standard"]: (
                float(r["cod_mgl"]),
                float(r["nh3n_mgl"]),
                float(r["tp_mgl"]),
                float(r["tn_mgl"]),
            )
            for r in csv.DictReader(fh)
        }


LIMITS = _limits()
#: How agencies actually spell the standards (whitespace and width vary).
SPELLINGS: dict[str, tuple[str, ...]] = {
    "GB18918-2002 一级A": ("GB18918-2002 一级A", "GB 18918-2002 一级A", "GB18918-2002一级Ａ"),
    "GB18918-2002 一级B": ("GB18918-2002 一级B", "GB18918－2002 一级B"),
    "DB13/2795-2018 核心控制区": ("DB13/2795-2018 核心控制区", "DB13/2795-2018核心控制区"),
    "DB13/2795-2018 重点控制区": ("DB13/2795-2018 重点控制区", "DB13/2795-2018  重点控制区"),
    "DB13/2795-2018 一般控制区": ("DB13/2795-2018 一般控制区", "DB13／2795-2018 一般控制区"),
}
DECIMALS = (1, 2, 3, 2)
_KINDS = {"town_plant": "TP", "rural_station": "RS", "industrial": "IN"}
_COUNTY_IDS = {"雄县": "XX", "容城县": "RC", "安新县": "AX"}


@dataclass
class Facility:
    """One facility's registry entry and its year of daily data."""

    facility_id: str
    name: str
    ftype: str
    operator: Org
    supervisor: str
    county: str
    lon: float
    lat: float
    capacity: float
    standard: str
    written_standard: str
    commissioned: dt.date
    status: str = "operating"
    storage_t: float | None = None
    role: str = "background"
    flow: np.ndarray = field(default_factory=lambda: np.zeros(len(DAYS)))
    conc: np.ndarray = field(default_factory=lambda: np.zeros((4, len(DAYS))))
    flag: np.ndarray = field(default_factory=lambda: np.full(len(DAYS), "N", dtype="<U1"))
    kwh: np.ndarray = field(default_factory=lambda: np.zeros(len(DAYS)))
    has_effluent: np.ndarray = field(default_factory=lambda: np.ones(len(DAYS), bool))
    has_power: np.ndarray = field(default_factory=lambda: np.ones(len(DAYS), bool))

    @property
    def limits(self) -> tuple[float, float, float, float] | None:
        return LIMITS.get(self.standard)


def doy(d: dt.date) -> int:
    """Index of a date in the year arrays."""
    return (d - dt.date(2024, 1, 1)).days


def _supervisor(ftype: str, county: str, rng: np.random.Generator) -> str:
    if ftype == "industrial":
        return "雄安新区生态环境局"
    if ftype == "town_plant":
        return f"{county}住房和城乡建设局" if rng.random() < 0.6 else "雄安新区生态环境局"
    return f"{county}住房和城乡建设局" if rng.random() < 0.75 else f"{county}水利局"


def _standard(ftype: str, near_lake: bool, rng: np.random.Generator) -> str:
    if near_lake:
        return "DB13/2795-2018 核心控制区"
    if ftype == "town_plant":
        return ("DB13/2795-2018 重点控制区", "GB18918-2002 一级A")[int(rng.integers(2))]
    if ftype == "rural_station":
        return ("DB13/2795-2018 一般控制区", "GB18918-2002 一级B")[int(rng.integers(2))]
    return "GB18918-2002 一级A"


def _fill_year(f: Facility, rng: np.random.Generator) -> None:
    """Background operation: flow near a steady load, effluent within limits, power ∝ flow."""
    n = len(DAYS)
    base = f.capacity * rng.uniform(0.55, 0.85)
    f.flow = np.round(base * np.clip(1 + 0.08 * rng.standard_normal(n), 0.6, 1.4), 1)
    limits = f.limits or LIMITS["GB18918-2002 一级B"]
    for i, (limit, places_) in enumerate(zip(limits, DECIMALS, strict=True)):
        level = limit * rng.uniform(0.35, 0.6)
        daily = level * np.clip(1 + 0.12 * rng.standard_normal(n), 0.5, 1.45)
        f.conc[i] = np.round(daily, places_)
    roll = rng.random(n)
    f.flag = np.where(roll < 0.010, "M", np.where(roll < 0.016, "C", np.where(roll < 0.020, "B", "N")))
    f.conc[:, np.isin(f.flag, ["M", "B"])] = np.nan
    rate = rng.uniform(0.25, 0.8) if f.ftype == "town_plant" else rng.uniform(0.4, 0.9)
    f.kwh = np.round(np.maximum(f.flow * rate * (1 + 0.05 * rng.standard_normal(n)), 2.0), 1)
    before = np.datetime64(f.commissioned) > DAYS
    f.has_effluent[before] = False
    f.has_power[before] = False


def _place(world: World, ftype: str) -> places.Place:
    if ftype == "town_plant":
        return world.pick(places.TOWNS)
    if ftype == "rural_station":
        return world.pick(places.LAKE_VILLAGES)
    return world.pick(places.AREAS)


def _name(ftype: str, where: places.Place, operator: Org, n: int) -> str:
    """Town plants by town (numbered when a town has several), stations by village, works by firm."""
    if ftype == "rural_station":
        return f"{where.name}污水处理站{n}号"
    if ftype == "industrial":
        return f"{where.name}{operator.trade}工业污水处理站"
    return f"{where.name.removesuffix('县城')}第{n}污水处理厂"


def new_facility(
    world: World, ftype: str, operator_in: Callable[[str], Org], role: str, counter: dict[str, int]
) -> Facility:
    """A facility of ``ftype`` at a plausible spot, run by ``operator_in(county)``, with a
    full background year."""
    rng = world.rng
    where = _place(world, ftype)
    lon, lat = places.scatter(rng, where, 1)
    counter[ftype] = counter.get(ftype, 0) + 1
    counter[where.name] = counter.get(where.name, 0) + 1
    operator = operator_in(where.county)
    capacity = {
        "town_plant": float(rng.integers(8, 41) * 1000),
        "rural_station": float(rng.integers(5, 51) * 10),
        "industrial": float(rng.integers(5, 31) * 100),
    }[ftype]
    standard = _standard(ftype, where in places.LAKE_VILLAGES and rng.random() < 0.4, rng)
    f = Facility(
        facility_id=f"{_COUNTY_IDS[where.county]}-{_KINDS[ftype]}-{counter[ftype]:03d}",
        name=_name(ftype, where, operator, counter[where.name]),
        ftype=ftype,
        operator=operator,
        supervisor=_supervisor(ftype, where.county, rng),
        county=where.county,
        lon=float(lon[0]),
        lat=float(lat[0]),
        capacity=capacity,
        standard=standard,
        written_standard=world.pick(SPELLINGS[standard]),
        commissioned=dt.date(
            int(rng.integers(2015, 2024)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
        ),
        role=role,
    )
    _fill_year(f, rng)
    return f
