"""Geography of the synthetic new area: counties, district areas, lakeside villages and
the small metric helpers that place points at known distances from each other.

Coordinates are approximate WGS84 values (±2–3 km) chosen to look right on a map of
Xiong'an; the generator never needs more precision than "this point is N metres from
that one", which :func:`offset` and :func:`distance_m` give exactly enough.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Metres per degree of latitude, and of longitude at the new area's latitude (≈39°N).
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = 111_320.0 * float(np.cos(np.radians(39.0)))


@dataclass(frozen=True)
class Place:
    """A named spot (town, district area, village) with its county and centre."""

    name: str
    county: str
    lon: float
    lat: float
    spread_m: float = 1500.0


COUNTY_SEATS: dict[str, Place] = {
    "雄县": Place("雄县县城", "雄县", 116.11, 38.99, 2500),
    "容城县": Place("容城县城", "容城县", 115.86, 39.05, 2500),
    "安新县": Place("安新县城", "安新县", 115.93, 38.92, 2500),
}

#: District areas (片区) — tags for sites and grid events, not jurisdictions.
AREAS: tuple[Place, ...] = (
    Place("容东片区", "容城县", 115.91, 39.05, 2200),
    Place("高铁站片区", "雄县", 116.03, 39.03, 1800),
    Place("昝岗片区", "雄县", 116.06, 39.05, 1800),
    Place("雄东片区", "雄县", 116.16, 39.00, 2000),
    Place("启动区", "安新县", 115.98, 38.99, 2500),
)

#: Towns where town sewage plants sit.
TOWNS: tuple[Place, ...] = (
    *COUNTY_SEATS.values(),
    Place("昝岗镇", "雄县", 116.06, 39.05),
    Place("大营镇", "雄县", 116.20, 38.93),
    Place("小里镇", "容城县", 115.79, 39.07),
    Place("贾光乡", "容城县", 115.93, 39.10),
    Place("端村镇", "安新县", 115.96, 38.84),
    Place("三台镇", "安新县", 115.85, 38.93),
)

#: Lakeside (淀边村) and in-lake (淀中村) villages of Baiyangdian, mostly in 安新县.
LAKE_VILLAGES: tuple[Place, ...] = (
    Place("圈头村", "安新县", 116.00, 38.81, 500),
    Place("采蒲台村", "安新县", 116.03, 38.80, 500),
    Place("大田庄村", "安新县", 115.97, 38.82, 500),
    Place("王家寨村", "安新县", 115.95, 38.87, 500),
    Place("郭里口村", "安新县", 115.92, 38.89, 500),
    Place("邸庄村", "安新县", 115.88, 38.88, 500),
    Place("寨南村", "安新县", 115.90, 38.85, 500),
    Place("东田庄村", "安新县", 115.98, 38.84, 500),
    Place("赵北口村", "安新县", 116.02, 38.85, 500),
    Place("光淀村", "安新县", 115.86, 38.84, 500),
    Place("北六村", "安新县", 115.89, 38.80, 500),
    Place("关城村", "安新县", 115.94, 38.78, 500),
    Place("七间房村", "雄县", 116.07, 38.88, 500),
    Place("十里铺村", "雄县", 116.08, 38.95, 500),
    Place("大阳村", "容城县", 115.85, 39.01, 500),
    Place("南张村", "容城县", 115.89, 39.00, 500),
)


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``east_m`` east and ``north_m`` north of (lon, lat)."""
    return lon + east_m / M_PER_DEG_LON, lat + north_m / M_PER_DEG_LAT


def distance_m(lon1, lat1, lon2, lat2):
    """Haversine distance in metres; works on scalars and numpy arrays alike."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(h))


def scatter(rng: np.random.Generator, place: Place, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points spread normally around a place, rounded to 6 decimals (≈0.1 m)."""
    east = rng.normal(0, place.spread_m / 2, n)
    north = rng.normal(0, place.spread_m / 2, n)
    lon, lat = offset(place.lon, place.lat, east, north)
    return np.round(lon, 6), np.round(lat, 6)


def at_bearing(lon: float, lat: float, metres: float, degrees: float) -> tuple[float, float]:
    """The point ``metres`` from (lon, lat) towards the compass bearing ``degrees``, rounded."""
    rad = np.radians(degrees)
    x, y = offset(lon, lat, metres * np.sin(rad), metres * np.cos(rad))
    return round(float(x), 6), round(float(y), 6)
