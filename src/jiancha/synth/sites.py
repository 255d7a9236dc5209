"""Construction sites of the district areas, kept well apart so that "near a site"
always means one site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from jiancha.synth import places
from jiancha.synth.parties import Org
from jiancha.synth.world import World, day

DEFAULT_RADIUS_M = 300.0


@dataclass
class Site:
    site_id: str
    name: str
    area: places.Place
    lon: float
    lat: float
    radius_m: float | None
    start: dt.date | None
    end: dt.date | None
    contractor: Org
    role: str = "background"

    @property
    def reach_m(self) -> float:
        return self.radius_m or DEFAULT_RADIUS_M


_PROJECTS = (
    "安置房",
    "综合管廊",
    "市政道路",
    "学校",
    "医院",
    "商务服务中心",
    "体育中心",
    "污水管网",
    "地下空间",
)


class Sites:
    """All sites; new ones are placed at least 1.5 km from every other."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.all: list[Site] = []

    def new(self, role: str, start: dt.date | None, end: dt.date | None, radius: float | None) -> Site:
        w = self.world
        for _ in range(10_000):
            area = w.pick(places.AREAS)
            lon, lat = places.scatter(
                w.rng, places.Place(area.name, area.county, area.lon, area.lat, 7000), 1
            )
            if all(places.distance_m(lon[0], lat[0], s.lon, s.lat) > 1500 for s in self.all):
                break
        else:
            raise RuntimeError("no room left for another construction site 1.5 km from the others")
        contractor = w.org(
            w.pick(("建设工程", "建筑", "市政工程", "路桥工程")), w.pick(("雄安新区", "雄县", "容城县"))
        )
        n = len(self.all) + 1
        site = Site(
            f"GD2024{n:03d}",
            f"{area.name}{w.pick(_PROJECTS)}项目{n}标段",
            area,
            float(lon[0]),
            float(lat[0]),
            radius,
            start,
            end,
            contractor,
            role,
        )
        self.all.append(site)
        self._lon = np.array([s.lon for s in self.all])
        self._lat = np.array([s.lat for s in self.all])
        self._reach = np.array([s.reach_m for s in self.all])
        return site

    def background(self, count: int) -> None:
        rng = self.world.rng
        for _ in range(count):
            start = dt.date(int(rng.integers(2021, 2025)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            end = day(int(rng.integers(1, 13)), int(rng.integers(1, 29))) if rng.random() < 0.3 else None
            if end is not None and end <= start:
                end = None
            radius = None if rng.random() < 0.2 else float(rng.integers(4, 11) * 50)
            self.new("background", start, end, radius)

    def clear_of(self, lon: float, lat: float, margin_m: float) -> bool:
        """Whether a point lies farther than each site's radius plus ``margin_m`` from every site."""
        return bool((places.distance_m(lon, lat, self._lon, self._lat) > self._reach + margin_m).all())

    def write(self) -> None:
        table = self.world.table("construction_sites")
        rng = self.world.rng
        supervisors = ("雄安新区建设和交通管理局", "容城县住房和城乡建设局", "雄县住房和城乡建设局")
        for s in self.all:
            table.add(
                {"contractor_name": s.contractor.key},
                site_id=s.site_id,
                name=s.name,
                contractor_name=s.contractor.name,
                contractor_credit_code=s.contractor.credit_code,
                supervisor_agency=self.world.pick(supervisors),
                area=s.area.name,
                lon=s.lon,
                lat=s.lat,
                radius_m=s.radius_m,
                start_date=s.start,
                end_date=s.end,
                workers=int(rng.integers(5, 160) * 5),
            )
