"""Vehicle GPS: the routine fleet's daily driving (the bulk of the rows), the trip of
every routine load to its receiver's site, and the hand-drawn tracks of planted loads.

Tracks are straight segments sampled at a fixed interval with a few metres of
jitter, built column-wise with numpy so that millions of rows take a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from jiancha.synth import places
from jiancha.synth.sludge import Shipment
from jiancha.synth.world import DAYS, World

_SPOTS = (*places.TOWNS, *places.AREAS)


@dataclass
class Segments:
    """Straight drives: plate, start time, start and end point, point count, interval."""

    plate: list[str] = field(default_factory=list)
    start: list[np.datetime64] = field(default_factory=list)
    a: list[tuple[float, float]] = field(default_factory=list)
    b: list[tuple[float, float]] = field(default_factory=list)
    points: list[int] = field(default_factory=list)
    interval_s: list[int] = field(default_factory=list)

    def add(self, plate: str, start: np.datetime64, a, b, points: int, interval_s: int = 30) -> None:
        self.plate.append(plate)
        self.start.append(start)
        self.a.append(a)
        self.b.append(b)
        self.points.append(points)
        self.interval_s.append(interval_s)


def _at(d: dt.date, hour: float) -> np.datetime64:
    return np.datetime64(d) + np.timedelta64(int(hour * 3600), "s")


def _unit_away(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Unit vector in metres pointing from b towards a."""
    east = (a[0] - b[0]) * places.M_PER_DEG_LON
    north = (a[1] - b[1]) * places.M_PER_DEG_LAT
    norm = float(np.hypot(east, north))
    return east / norm, north / norm


def _short_of(origin, site, metres: float) -> tuple[float, float]:
    ue, un = _unit_away(origin, site)
    return places.offset(site[0], site[1], ue * metres, un * metres)


def _away(origin, site) -> tuple[float, float]:
    ue, un = _unit_away(origin, site)
    lon, lat = places.offset(origin[0], origin[1], ue * 6000, un * 6000)
    return float(np.clip(lon, 115.55, 116.45)), float(np.clip(lat, 38.72, 39.28))


def shipment_segments(segs: Segments, s: Shipment, hour: float) -> None:
    """The drives of one load leaving at ``hour``, by its ``gps`` mode (``none``: no points)."""
    if s.gps == "none":
        return
    origin = (s.facility.lon, s.facility.lat)
    permit = s.receiver.permits[s.site]
    site = (permit.lon, permit.lat)
    plate = s.gps_plate or s.plate.replace("·", "").replace(" ", "").replace("-", "")
    mode = s.gps
    legs = max(10, int(places.distance_m(*origin, *site) / 350))
    if mode == "trip":
        segs.add(plate, _at(s.ship_date, hour), origin, site, legs)
        segs.add(plate, _at(s.ship_date, hour + legs / 120), site, site, 12)
    elif mode.startswith("short:"):
        stop = _short_of(origin, site, float(mode.split(":")[1]))
        segs.add(plate, _at(s.ship_date, hour), origin, stop, legs)
        segs.add(plate, _at(s.ship_date, hour + legs / 120), stop, stop, 12)
    elif mode in ("away", "late", "night"):
        far = _away(origin, site)
        segs.add(plate, _at(s.ship_date, 9), origin, far, 40)
        segs.add(plate, _at(s.receive_date, 10), far, far, 20)
        if mode == "late":
            segs.add(plate, _at(s.receive_date + dt.timedelta(days=1), 9), far, site, 60)
        if mode == "night":
            segs.add(plate, _at(s.receive_date, 22.5), far, site, 60, 20)


def fleet_segments(world: World, segs: Segments, plates: list[str], busy: set[tuple[str, dt.date]]) -> None:
    """Routine daily driving of the fleet between towns and district areas, on the days
    a truck carries no sludge."""
    rng = world.rng
    for plate in plates:
        starts = rng.integers(0, len(_SPOTS), len(DAYS))
        ends = rng.integers(0, len(_SPOTS), len(DAYS))
        hours = rng.uniform(6, 15, len(DAYS))
        for d, i, j, h in zip(DAYS.tolist(), starts, ends, hours, strict=True):
            if (plate, d) in busy:
                continue
            a, b = _SPOTS[int(i)], _SPOTS[int(j)]
            segs.add(plate, _at(d, float(h)), (a.lon, a.lat), (b.lon, b.lat), 100, 60)


#: GPS points built at a time: the arrays of one chunk (about 20 of them, 8 bytes a point) stay
#: near 400 MB however large the scale, so only the finished columns grow with the data.
CHUNK_POINTS = 2_500_000


def to_arrow(world: World, segs: Segments) -> pa.Table:
    """All segments as the vehicle_gps table, in plate and time order (a truck's drives never overlap).

    Built a chunk of segments at a time (the jitter drawn chunk after chunk, the same stream as
    one draw), so scale 100's 140 M points do not need every intermediate array at once.
    """
    order = np.asarray(sorted(range(len(segs.plate)), key=lambda i: (segs.plate[i], segs.start[i])))
    points = np.asarray(segs.points)[order]
    ends = np.cumsum(points)
    cuts = np.searchsorted(ends, np.arange(CHUNK_POINTS, int(ends[-1]), CHUNK_POINTS), side="right")
    plates = pa.array([segs.plate[i] for i in order])
    chunks = [
        _chunk(world, segs, order[lo:hi], plates[lo:hi])
        for lo, hi in zip([0, *cuts], [*cuts, len(order)], strict=True)
        if hi > lo
    ]
    return pa.concat_tables(chunks).combine_chunks()


def _chunk(world: World, segs: Segments, order: np.ndarray, plates: pa.Array) -> pa.Table:
    """The points of the segments ``order`` (consecutive in plate and time order)."""
    n = np.asarray(segs.points)[order]
    first = np.repeat(np.cumsum(n) - n, n)
    step = np.arange(int(n.sum())) - first
    frac = step / np.repeat(np.maximum(n - 1, 1), n)
    a = np.repeat(np.asarray(segs.a)[order], n, axis=0)
    b = np.repeat(np.asarray(segs.b)[order], n, axis=0)
    jitter = world.rng.normal(0, 8, (len(step), 2))
    lon, lat = places.offset(
        a[:, 0] + (b[:, 0] - a[:, 0]) * frac, a[:, 1] + (b[:, 1] - a[:, 1]) * frac, jitter[:, 0], jitter[:, 1]
    )
    interval = np.repeat(np.asarray(segs.interval_s)[order], n)
    start = np.asarray(segs.start, dtype="datetime64[s]")[order]
    ts = np.repeat(start, n) + (step * interval).astype("timedelta64[s]")
    seg_len = places.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    speed = np.round(seg_len / np.maximum(np.repeat(n - 1, n) * interval, 1) * 3.6, 1)
    return pa.table(
        {
            "vehicle_plate": pa.DictionaryArray.from_arrays(
                pa.array(np.repeat(np.arange(len(order)), n), pa.int32()), plates
            ).cast(pa.string()),
            "ts": pa.array(ts, pa.timestamp("s")),
            "lon": pa.array(np.round(lon, 6)),
            "lat": pa.array(np.round(lat, 6)),
            "speed_kmh": pa.array(speed),
        }
    )
