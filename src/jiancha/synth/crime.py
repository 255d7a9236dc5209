"""Crime chain and social governance: criminal cases, scrap dealers with their
registrations and filings, grid sightings, and construction-site hotspots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jiancha.synth import places
from jiancha.synth.parties import Org, variant
from jiancha.synth.sites import Site, Sites
from jiancha.synth.world import World, day, plus

FNP = "crime.fence_not_prosecuted"
USD = "crime.unlicensed_scrap_dealer"
CSH = "social.construction_site_hotspot"
THEFT, INJURY, FENCING = ("盗窃罪", 264), ("故意伤害罪", 234), ("掩饰、隐瞒犯罪所得罪", 312)
OTHER = (("诈骗罪", 266), ("危险驾驶罪", 133), ("寻衅滋事罪", 293))
METAL = ("电缆", "钢筋", "钢材", "废旧金属")
OTHER_GOODS = ("电动自行车", "手机", "现金", "农用机械")
_LIVE = ("filed", "investigating", "reviewing", "prosecuted", "judged")
_SPOTS = (*places.TOWNS, *places.LAKE_VILLAGES, *places.AREAS)
#: Background construction sites: 30 a scale unit, but no more than the district areas hold 1.5 km
#: apart (scale multiplies the records, not the land; 300 is scale 10's count and still fits).
MOST_BACKGROUND_SITES = 300


@dataclass
class Dealer:
    """A scrap-purchase point and what the registers say about it."""

    org: Org
    lon: float
    lat: float
    registry: str | None = "存续"
    commerce: str | None = "exact"
    police: str | None = "exact"
    sightings: list[dt.date] = field(default_factory=list)
    grid_spelling: str = "exact"
    case: tuple[bool, str] | None = None


@dataclass
class Case:
    charge: tuple[str, int]
    when: dt.datetime
    lon: float
    lat: float
    place: places.Place
    stage: str
    goods: str | None = None
    fence: str | None = None
    fence_key: str | None = None
    suspects: list[str] = field(default_factory=list)
    suspect_keys: dict[str, str] = field(default_factory=dict)
    loss: float | None = None
    injury: str | None = None
    truth: tuple[bool, str] | None = None


class Crime:
    """Builds dealers, cases and sightings, then writes the six crime datasets."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sites = Sites(world)
        self.dealers: list[Dealer] = []
        self.cases: list[Case] = []

    # -- places -----------------------------------------------------------------
    def clear_point(self, margin_m: float = 400) -> tuple[float, float, places.Place]:
        """A point in a town, village or area, far from every construction site."""
        for _ in range(1000):
            spot = self.world.pick(_SPOTS)
            lon, lat = places.scatter(self.world.rng, spot, 1)
            if self.sites.clear_of(float(lon[0]), float(lat[0]), margin_m):
                return float(lon[0]), float(lat[0]), spot
        raise RuntimeError("no point far enough from the construction sites")

    def moment(self, d: dt.date) -> dt.datetime:
        rng = self.world.rng
        return dt.datetime(d.year, d.month, d.day, int(rng.integers(0, 24)), int(rng.integers(0, 60)))

    # -- dealers ----------------------------------------------------------------
    def dealer(self, **kw) -> Dealer:
        w = self.world
        suffix = "" if w.rng.random() < 0.4 else "有限公司"
        industry = "废品收购站" if not suffix else "再生资源回收"
        org = w.org(industry, w.pick(list(places.COUNTY_SEATS)), suffix)
        lon, lat, _ = self.clear_point(800)
        d = Dealer(org, lon, lat, **kw)
        self.dealers.append(d)
        return d

    def sight(self, d: Dealer, count: int) -> None:
        for _ in range(count):
            d.sightings.append(day(int(self.world.rng.integers(1, 13)), int(self.world.rng.integers(1, 29))))

    # -- cases ------------------------------------------------------------------
    def case(self, charge, when: dt.date, lon=None, lat=None, place=None, **kw) -> Case:
        if lon is None:
            lon, lat, place = self.clear_point()
        stage = kw.pop("stage", None) or self.world.pick(_LIVE)
        c = Case(charge, self.moment(when), lon, lat, place, stage, **kw)
        self.cases.append(c)
        return c

    def theft(self, when: dt.date, fence: Dealer | None = None, spelling: str = "exact", **kw) -> Case:
        goods = kw.pop("goods", None) or self.world.pick(METAL + OTHER_GOODS)
        c = self.case(THEFT, when, goods=goods, loss=float(self.world.rng.integers(8, 400) * 100), **kw)
        c.suspects = [self.world.pool.person() for _ in range(int(self.world.rng.integers(1, 3)))]
        if fence is not None:
            c.fence = fence.org.name if spelling == "exact" else variant(fence.org, spelling)
            c.fence_key = fence.org.key
        return c

    def fencing(self, when: dt.date, dealer: Dealer, spelling: str = "exact") -> Case:
        """An art. 312 case against the dealer (named in the suspects) and its owner."""
        name = dealer.org.name if spelling == "exact" else variant(dealer.org, spelling)
        c = self.case(FENCING, when, goods=self.world.pick(METAL))
        c.suspects = [self.world.pool.person(), name]
        c.suspect_keys = {name: dealer.org.key}
        return c

    # -- background ---------------------------------------------------------------
    def background(self) -> None:
        w, rng = self.world, self.world.rng
        routine = [
            self.dealer(commerce=w.pick(("exact", "no_region")), grid_spelling=w.pick(("exact", "spaces")))
            for _ in range(w.count(15, 3))
        ]
        for d in routine:
            self.sight(d, int(rng.integers(1, 4)))
        for _ in range(w.count(300, 20)):
            when = day(int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            if rng.random() < 0.12:
                fence = w.pick(routine)
                self.theft(when, fence, w.pick(("exact", "no_region", "fullwidth")))
                self.fencing(
                    min(plus(when, int(rng.integers(10, 60))), day(12, 31)),
                    fence,
                    w.pick(("exact", "suffix")),
                )
            else:
                self.theft(when, stage="dropped" if rng.random() < 0.03 else None)
        for _ in range(w.count(80, 6)):
            when = day(int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            self.case(INJURY, when, injury=w.pick(("轻伤", "轻伤", "重伤")))
        for _ in range(w.count(60, 5)):
            self.case(w.pick(OTHER), day(int(rng.integers(1, 13)), int(rng.integers(1, 29))))

    # -- planted: fences ----------------------------------------------------------
    def fences(self) -> None:
        d1, d2, d3, d4, d5 = (self.dealer() for _ in range(5))
        for d in (d1, d2, d3, d4, d5):
            self.sight(d, 1)
        ebike = {"goods": "电动自行车"}
        self.theft(day(3, 3), d1, **ebike).truth = (True, "盗窃案载明销赃去向，无任何312案件")
        self.theft(day(6, 10), d2, **ebike).truth = (True, "唯一312案件在盗窃前40天(窗口外)")
        self.fencing(day(5, 1), d2)
        self.theft(day(4, 8), d3, **ebike).truth = (True, "312案件追诉的是另一收购点")
        self.fencing(day(5, 12), d4)
        self.theft(day(2, 5), d4, "suffix", **ebike).truth = (False, "312案件以名称变体追诉同一收购点")
        self.fencing(day(3, 20), d4, "region_tag")
        self.theft(day(7, 1), d5, **ebike).truth = (False, "312案件在盗窃前20天(窗口内)")
        self.fencing(day(6, 11), d5)
        self.theft(day(8, 8), d1, stage="dropped", **ebike).truth = (False, "盗窃案已撤案")
        self.theft(day(1, 10), d5, **ebike).truth = (False, "312案件在盗窃后153天")

    # -- planted: scrap dealers ---------------------------------------------------
    def scrap_dealers(self) -> None:
        def at(site: Site, metres: float) -> tuple[float, float]:
            return places.at_bearing(site.lon, site.lat, metres, float(self.world.rng.uniform(0, 360)))

        near = self.sites.new("usd_near", dt.date(2023, 4, 1), None, 300.0)
        ended = self.sites.new("usd_ended", dt.date(2022, 9, 1), day(3, 31), 300.0)
        mid = self.sites.new("usd_far", dt.date(2023, 2, 1), None, 250.0)
        cases = (
            ("unregistered", {"registry": None, "commerce": None, "police": None}, True, "无市场主体登记"),
            ("cancelled", {"registry": "注销"}, True, "登记状态为注销"),
            ("no_commerce", {"commerce": None}, True, "无再生资源回收经营者备案"),
            ("metal_unfiled", {"police": None}, True, "收购盗窃电缆且无公安备案"),
            ("near_site", {}, True, "距在建工地约400米"),
            (
                "variant",
                {
                    "registry": "suffix",
                    "commerce": "region_tag",
                    "police": "spaces",
                    "grid_spelling": "no_region",
                },
                False,
                "登记、备案均以名称变体存在",
            ),
            ("far_600", {}, False, "距在建工地约600米"),
            ("ended_site", {}, False, "距已于3月31日竣工的工地约350米"),
            ("metal_filed_variant", {"police": "halfwidth_tag"}, False, "收购盗窃钢筋，公安备案为名称变体"),
            ("non_metal", {"police": None}, False, "无公安备案，但仅收购盗窃手机(非生产性废旧金属)"),
        )
        for case, kw, positive, why in cases:
            d = self.dealer(**kw)
            d.case = (positive, why)
            spot = {"near_site": (near, 400), "far_600": (mid, 600), "ended_site": (ended, 350)}.get(case)
            if spot:
                d.lon, d.lat = at(*spot)
            self.sight(d, 2 if case == "cancelled" else 1)
            d.sightings = [day(int(self.world.rng.integers(6, 12)), s.day) for s in d.sightings]
            goods = {"metal_unfiled": "电缆", "metal_filed_variant": "钢筋", "non_metal": "手机"}.get(case)
            if goods:
                self.theft(day(5, 9), d, goods=goods)
                self.fencing(day(6, 2), d)

    # -- planted: hotspots --------------------------------------------------------
    def hotspots(self) -> None:
        quarters = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
        cases = (
            ("six", 300.0, 2, 6, 0, 0.5, True, "二季度工地300米内6起盗窃"),
            ("mixed", 400.0, 3, 3, 2, 0.5, True, "三季度3起盗窃+2起故意伤害=5起"),
            ("default_radius", None, 1, 5, 0, 0.6, True, "未填半径(默认300米)，一季度250米内5起盗窃"),
            ("four", 300.0, 1, 4, 0, 0.5, False, "一季度仅4起"),
            ("outside", 250.0, 4, 7, 0, 1.3, False, "四季度7起均在半径外(325米)"),
        )
        for role, radius, q, thefts, injuries, reach, positive, why in cases:
            site = self.sites.new(f"hs_{role}", dt.date(2023, 3, 1), None, radius)
            first, last = quarters[q]
            for k in range(thefts + injuries):
                metres = site.reach_m * (reach if reach > 1 else float(self.world.rng.uniform(0.2, reach)))
                lon, lat = places.at_bearing(
                    site.lon, site.lat, metres, float(self.world.rng.uniform(0, 360))
                )
                when = day(int(self.world.rng.integers(first, last + 1)), int(self.world.rng.integers(1, 29)))
                if k < thefts:
                    self.theft(
                        when, lon=lon, lat=lat, place=site.area, goods=self.world.pick(METAL), stage="filed"
                    )
                else:
                    self.case(INJURY, when, lon=lon, lat=lat, place=site.area, injury="轻伤")
            if positive:
                self.world.positive(CSH, site.site_id, f"2024-Q{q}", why)
            else:
                self.world.negative(CSH, site.site_id, why)

    # -- writing ------------------------------------------------------------------
    def build(self) -> None:
        """Sites first (every later point keeps clear of them), then planted cases, then the rest."""
        self.sites.background(min(self.world.count(30, 6), MOST_BACKGROUND_SITES))
        self.hotspots()
        self.scrap_dealers()
        self.fences()
        self.background()
        self.sites.write()
        self._write_registers()
        self._write_grid()
        self._write_cases()

    def _spell(self, org: Org, how: str) -> str:
        return org.name if how == "exact" else variant(org, how)

    def _write_registers(self) -> None:
        w = self.world
        by_key = {d.org.key: d for d in self.dealers}
        registry = w.table("business_registry")
        for org in w.orgs.values():
            d = by_key.get(org.key)
            if d is not None and d.registry is None:
                continue
            how = d.registry if d and d.registry not in ("存续", "注销") else "exact"
            lon, lat = (d.lon, d.lat) if d else (None, None)
            scope = "再生资源回收(不含危险废物)；废旧金属收购" if d else f"{org.industry}相关业务"
            registry.add(
                {"name": org.key},
                credit_code=org.credit_code,
                name=self._spell(org, how),
                legal_rep=w.pool.person(),
                business_scope=scope,
                address=f"{org.region}{w.pick(_SPOTS).name}",
                lon=lon,
                lat=lat,
                established_date=dt.date(int(w.rng.integers(2005, 2024)), int(w.rng.integers(1, 13)), 15),
                status="注销" if d and d.registry == "注销" else "存续",
            )
        for d in self.dealers:
            filed = dt.date(
                int(w.rng.integers(2019, 2024)), int(w.rng.integers(1, 13)), int(w.rng.integers(1, 29))
            )
            if d.commerce:
                w.table("scrap_dealer_filings").add(
                    {"name": d.org.key},
                    credit_code=d.org.credit_code,
                    name=self._spell(d.org, d.commerce),
                    address=f"{d.org.region}{d.org.trade}路{int(w.rng.integers(1, 300))}号",
                    filing_date=filed,
                )
            if d.police:
                w.table("police_scrap_filings").add(
                    {"name": d.org.key},
                    credit_code=d.org.credit_code if d.police == "exact" else None,
                    name=self._spell(d.org, d.police),
                    address=f"{d.org.region}{d.org.trade}路",
                    filing_date=filed,
                )

    def _write_grid(self) -> None:
        w, rng = self.world, self.world.rng
        events = []
        for d in self.dealers:
            for when in d.sightings:
                jitter = places.offset(d.lon, d.lat, *rng.normal(0, 8, 2))
                events.append(
                    (
                        self.moment(when),
                        jitter,
                        "废品收购点",
                        self._spell(d.org, d.grid_spelling),
                        "网格员巡查发现该处经营废品收购，现场堆放废旧金属、纸板等物品。",
                        d,
                    )
                )
        kinds = ("环境卫生", "占道经营", "违章搭建", "噪声扰民", "消防隐患", "矛盾纠纷")
        for _ in range(w.count(2000, 100)):
            spot = w.pick(_SPOTS)
            lon, lat = places.scatter(rng, spot, 1)
            kind = w.pick(kinds)
            who = w.pool.person() if kind in ("占道经营", "矛盾纠纷") else None
            when = day(int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            events.append(
                (
                    self.moment(when),
                    (lon[0], lat[0]),
                    kind,
                    who,
                    f"{spot.name}发现{kind}问题，已登记处置。",
                    None,
                )
            )
        events.sort(key=lambda e: (e[0], e[2], e[3] or ""))
        table = w.table("grid_events")
        first_seen: dict[str, str] = {}
        for n, (when, (lon, lat), kind, who, text, dealer) in enumerate(events, start=1):
            event_id = f"WG2024{n:06d}"
            parties = {"subject_name": dealer.org.key} if dealer else None
            table.add(
                parties,
                event_id=event_id,
                reported_at=when,
                lon=round(float(lon), 6),
                lat=round(float(lat), 6),
                category=kind,
                subject_name=who,
                description=text,
            )
            if dealer is not None and dealer.case is not None:
                first_seen.setdefault(dealer.org.key, event_id)
        for d in self.dealers:
            if d.case is not None:
                positive, why = d.case
                subject = first_seen[d.org.key]
                if positive:
                    w.positive(USD, subject, "", why)
                else:
                    w.negative(USD, subject, why)

    def _write_cases(self) -> None:
        w = self.world
        table = w.table("criminal_cases")
        self.cases.sort(key=lambda c: (c.when, c.charge[1], c.lon))
        for n, c in enumerate(self.cases, start=1):
            case_no = f"XAXS2024{n:05d}"
            parties = {"fence_name": c.fence_key} if c.fence_key else {}
            index = table.add(
                parties,
                case_no=case_no,
                charge=c.charge[0],
                charge_article=c.charge[1],
                occurred_at=c.when,
                lon=round(c.lon, 6),
                lat=round(c.lat, 6),
                place_text=f"{c.place.name}附近" if c.place else None,
                county=c.place.county if c.place else None,
                loss_yuan=c.loss,
                injury_grade=c.injury,
                goods_category=c.goods,
                fence_name=c.fence,
                suspect_names=c.suspects,
                stage=c.stage,
            )
            for name, key in c.suspect_keys.items():
                table.listed.append((index, "suspect_names", key, name))
            if c.truth is not None:
                positive, why = c.truth
                if positive:
                    w.positive(FNP, case_no, "", why)
                else:
                    w.negative(FNP, case_no, why)


def build(world: World) -> None:
    """Every crime-chain dataset of the drop."""
    Crime(world).build()
