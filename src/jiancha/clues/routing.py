"""Jurisdiction routing: which procuratorial office handles a clue, and why.

The office areas are data (``data/areas.geojson``, approximate polygons that a
procuratorate replaces with official ones by pointing ``JIANCHA_AREAS`` at its own
GeoJSON file of the same shape); this module only applies the rules:

1. a clue addressed to an organ of the new area itself goes to the branch;
2. a subject inside a district office's area goes to that office;
3. else to the procuratorate of the county whose polygon holds it;
4. else to the county the finding names;
5. else to the nearest county seat, flagged for manual review.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import shapely
import shapely.errors
from shapely.geometry import shape

from jiancha.errors import JianchaError, WorkspaceError
from jiancha.findings import Location
from jiancha.i18n import tr


@dataclass(frozen=True)
class Office:
    """A procuratorial office: its full name (stored on clues) and the short name people type."""

    name: str
    short: str


AREAS_ENV = "JIANCHA_AREAS"
BRANCH = Office("河北省人民检察院雄安新区分院", "雄安分院")
NEW_AREA_PREFIXES = ("河北雄安新区", "雄安新区")


@dataclass(frozen=True)
class Route:
    """Where a clue goes and the sentence that explains it."""

    office: str
    note: str
    needs_review: bool = False


@dataclass(frozen=True)
class _Area:
    kind: str  # "county" | "district"
    name: str
    office: Office
    geometry: shapely.Geometry
    seat: tuple[float, float] | None


def _area(feature: dict) -> _Area:
    props = feature["properties"]
    if props["kind"] not in ("county", "district"):
        raise ValueError(f"kind {props['kind']!r} is neither county nor district")
    geometry = shape(feature["geometry"])
    if not geometry.is_valid:
        raise ValueError(f"the polygon of {props['name']} is not valid ({shapely.is_valid_reason(geometry)})")
    shapely.prepare(geometry)
    seat = tuple(props["seat"]) if props.get("seat") else None
    return _Area(props["kind"], props["name"], Office(props["office"], props["short"]), geometry, seat)


def _load_areas(text: str, source: str) -> tuple[_Area, ...]:
    """Every area of a GeoJSON FeatureCollection; a WorkspaceError that says what is wrong otherwise."""
    try:
        areas = tuple(_area(feature) for feature in json.loads(text)["features"])
    except (ValueError, KeyError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        raise WorkspaceError(
            tr(
                f"辖区文件 {source} 无效：{exc.__class__.__name__} {exc}。每个要素需有 kind（county 或 "
                "district）、name、office、short 属性和多边形，县另需 seat [经度, 纬度]。",
                f"The areas file {source} is not valid: {exc.__class__.__name__} {exc}. Each feature "
                "needs kind (county or district), name, office, short and a polygon; counties also "
                "a seat [lon, lat].",
            )
        ) from exc
    if not any(a.kind == "county" and a.seat for a in areas):
        raise WorkspaceError(
            tr(
                f"辖区文件 {source} 中没有带县城坐标的县。",
                f"The areas file {source} has no county with a seat.",
            )
        )
    return areas


def _distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Equirectangular distance: exact enough over a few tens of kilometres."""
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    dy = (lat1 - lat2) * 110.57
    return math.hypot(dx, dy)


def addressed_to_new_area_organ(agency: str | None) -> bool:
    """True for organs of the new area itself (雄安新区生态环境局), not its county branches."""
    if not agency:
        return False
    for prefix in NEW_AREA_PREFIXES:
        if agency.startswith(prefix):
            rest = agency.removeprefix(prefix)
            return not any(county in rest for county in ("雄县", "容城", "安新"))
    return False


class Router:
    """Routes clues over one set of office areas (the shipped file unless told otherwise)."""

    def __init__(self, areas_path: str | Path | None = None) -> None:
        if areas_path is None:
            text = resources.files("jiancha.clues").joinpath("data/areas.geojson").read_text("utf-8")
        else:
            try:
                text = Path(areas_path).read_text("utf-8")
            except OSError as exc:
                raise WorkspaceError(
                    tr(
                        f"无法读取辖区文件 {areas_path}：{exc.strerror}。",
                        f"Cannot read the areas file {areas_path}: {exc.strerror}.",
                    )
                ) from exc
        self.areas = _load_areas(text, str(areas_path or "areas.geojson"))
        self.districts = tuple(a for a in self.areas if a.kind == "district")
        self.counties = tuple(a for a in self.areas if a.kind == "county")

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every office a clue can be routed or moved to."""
        return (*(a.office for a in self.counties), *(a.office for a in self.districts), BRANCH)

    def office_named(self, text: str) -> str:
        """The full office name for a full or short name a person typed."""
        for office in self.offices:
            if text.strip() in (office.name, office.short):
                return office.name
        known = "、".join(f"{o.name}（{o.short}）" for o in self.offices)
        raise JianchaError(
            tr(
                f"没有名为“{text}”的检察机关；可选：{known}。",
                f"There is no office called '{text}'; choose one of: {known}.",
            )
        )

    def route(self, location: Location | None, target_agency: str | None) -> Route:
        """Route one clue (see the module docstring for the rules, in order)."""
        return self.route_many([location], [target_agency])[0]

    def route_many(self, locations: Sequence[Location | None], agencies: Sequence[str | None]) -> list[Route]:
        """Route many clues at once: point-in-polygon runs vectorised over all of them."""
        lon = np.array([loc.lon if loc and loc.lon is not None else np.nan for loc in locations], float)
        lat = np.array([loc.lat if loc and loc.lat is not None else np.nan for loc in locations], float)
        inside = {area.name: shapely.contains_xy(area.geometry, lon, lat) for area in self.areas}
        return [
            self._route_one(i, loc, agency, inside)
            for i, (loc, agency) in enumerate(zip(locations, agencies, strict=True))
        ]

    def _route_one(
        self, i: int, loc: Location | None, agency: str | None, inside: dict[str, np.ndarray]
    ) -> Route:
        if addressed_to_new_area_organ(agency):
            return Route(BRANCH.name, f"建议对象“{agency}”为新区本级机关，由分院办理")
        where = f"位置（{loc.lon:.4f}, {loc.lat:.4f}）" if loc and loc.lon is not None else ""
        for area in (*self.districts, *self.counties):
            if inside[area.name][i]:
                return Route(area.office.name, f"{where}位于{area.name}，属{area.office.name}辖区")
        if loc and loc.county:
            for area in self.counties:
                if area.name == loc.county:
                    return Route(area.office.name, f"按所属县“{loc.county}”交{area.office.name}")
        if where:
            return self._nearest_seat(loc, where)
        return Route(BRANCH.name, "无位置、无所属县，交分院人工分派", needs_review=True)

    def _nearest_seat(self, loc: Location, where: str) -> Route:
        seats = [(a, _distance_km(loc.lon, loc.lat, *a.seat)) for a in self.counties if a.seat is not None]
        area, distance = min(seats, key=lambda pair: pair[1])
        return Route(
            area.office.name,
            f"{where}不在任何辖区内或在边界上，就近交{area.name}县城"
            f"（{distance:.1f} 公里）所在院，需人工复核",
            needs_review=True,
        )


@cache
def _router(areas_path: str | None) -> Router:
    return Router(areas_path)


def default_router() -> Router:
    """The router over ``JIANCHA_AREAS`` (a GeoJSON file of official areas) if set, else the
    shipped approximate areas; built once per process and file."""
    return _router(os.environ.get(AREAS_ENV) or None)
