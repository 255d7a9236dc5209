"""Assemble the water datasets: facilities, daily monitoring and power, sludge ledgers,
manifests and permits, inspections, weather and vehicle tracks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from jiancha.synth import effluent_cases, inspections, manifest_cases, places, sludge, sludge_cases, tracks
from jiancha.synth.facilities import Facility, new_facility
from jiancha.synth.parties import Org
from jiancha.synth.sludge import Ledger, Receiver, Shipment
from jiancha.synth.world import DAYS, World

_LEDGER_TYPES = {
    "sr_town": "town_plant",
    "sr_near": "town_plant",
    "sr_industrial": "industrial",
    "su_half": "town_plant",
    "to_stock": "town_plant",
}
_INDUSTRIES = ("化工", "食品", "制药", "纺织印染")


class Operators:
    """Who runs what: one water company per town plant, a concession per county for rural
    stations, and an own operator for every facility of an effluent case."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.concession = {c: world.org("环保科技", c) for c in places.COUNTY_SEATS}

    def for_facility(self, ftype: str, role: str) -> Callable[[str], Org]:
        """Who will run a facility of this type and case, given the county it lands in."""
        w = self.world
        if role.startswith("ee_"):
            return lambda county: w.org("环境工程", county)
        if ftype == "town_plant":
            return lambda county: w.org("水务", "雄安新区")
        if ftype == "industrial":
            return lambda county: w.org(w.pick(_INDUSTRIES), county)
        return self.concession.__getitem__


def _facilities(world: World) -> list[Facility]:
    operators = Operators(world)
    counter: dict[str, int] = {}
    planted = [(role, ftype) for role, ftype, _ in effluent_cases.CASES]
    planted += [(case, _LEDGER_TYPES.get(case, "rural_station")) for case in sludge_cases.LEDGER_CASES]
    background = max(world.count(60) - len(planted), 12)
    kinds = world.rng.choice(["town_plant", "rural_station", "industrial"], background, p=[0.12, 0.8, 0.08])
    out = [
        new_facility(world, str(k), operators.for_facility(str(k), "background"), "background", counter)
        for k in kinds
    ]
    for role, ftype in planted:
        out.append(new_facility(world, ftype, operators.for_facility(ftype, role), role, counter))
    by_role = {f.role: f for f in out}
    for role, _, plant in effluent_cases.CASES:
        plant(world, by_role[role])
    return out


def _plates(world: World) -> tuple[list[str], dict[str, object]]:
    carriers = [world.org("物流运输", c) for c in places.COUNTY_SEATS]
    plates, owner = [], {}
    per = world.count(10, 3)
    for n, carrier in enumerate(carriers):
        for k in range(per):
            plate = f"冀F{'LMNPQR'[n]}{1000 + 37 * k + int(world.rng.integers(0, 37)):04d}"
            plates.append(plate)
            owner[plate] = carrier
    return plates, owner


def _free_plate(world: World, plates: list[str], when, trips: dict) -> str:
    """A truck with fewer than three loads that day (a few random tries, then any truck)."""
    for _ in range(20):
        plate = world.pick(plates)
        if trips.get((plate, when), 0) < 3:
            break
    trips[(plate, when)] = trips.get((plate, when), 0) + 1
    return plate


def _spell_plate(world: World, plate: str) -> str:
    style = int(world.rng.integers(3))
    return (f"{plate[:2]}·{plate[2:]}", plate, f"{plate[:2]} {plate[2:]}")[style]


def _ship(world: World, facilities: list[Facility], pool: dict[str, Receiver]):
    books: dict[str, Ledger] = {}
    shipments: list[Shipment] = []
    for f in facilities:
        case = f.role if f.role in sludge_cases.LEDGER_CASES else None
        book = sludge_cases.planted_ledger(world, f, case) if case else sludge.ledger(world, f)
        receiver = sludge.nearest(f, pool)
        own = sludge.ship_year(world, f, book, receiver, receiver.permits[0].methods[0])
        sludge_cases.settle(f, book, own, case or "")
        books[f.facility_id] = book
        shipments += own
    return books, shipments


def _truth_of_ledgers(world: World, facilities, books, shipments) -> None:
    by_facility: dict[str, list[Shipment]] = {}
    for s in shipments:
        by_facility.setdefault(s.facility.facility_id, []).append(s)
    for f in facilities:
        found = sludge_cases.findings(f, books[f.facility_id], by_facility.get(f.facility_id, []))
        if found and f.role not in sludge_cases.LEDGER_CASES:
            raise RuntimeError(
                f"synthetic background facility {f.facility_id} ({f.role}) raises {sorted(found)}"
            )
        if f.role in sludge_cases.LEDGER_CASES:
            why = sludge_cases.LEDGER_CASES[f.role]["why"]
            for model_id, period in sorted(found):
                world.positive(model_id, f.facility_id, period, why)
            if not found:
                model = {"sr": sludge_cases.SR, "su": sludge_cases.SU, "to": sludge_cases.TO}[f.role[:2]]
                world.negative(model, f.facility_id, why)


def build(world: World) -> None:
    """Fill every water dataset of the drop."""
    facilities = _facilities(world)
    pool = sludge.receivers(world)
    books, shipments = _ship(world, facilities, pool)
    _truth_of_ledgers(world, facilities, books, shipments)
    routine = [f for f in facilities if f.role == "background"]
    far = [
        f
        for f in routine
        if min(places.distance_m(f.lon, f.lat, p.lon, p.lat) for r in pool.values() for p in r.permits) > 4000
    ]
    planted = manifest_cases.planted_shipments(world, far or routine, pool)
    plates, carrier_of = _plates(world)
    trips: dict[tuple[str, object], int] = {}
    for s in shipments:
        s.plate = _free_plate(world, plates, s.ship_date, trips)
        s.receiver_name, s.receiver_code = s.receiver.org.name, s.receiver.org.credit_code
        sludge.receive(world, s)
    everything = sorted(shipments + planted, key=lambda s: (s.ship_date, s.facility.facility_id, s.plate))
    for n, s in enumerate(everything, start=1):
        s.manifest_no = f"XALD2024{n:05d}"
        for model_id, positive, why in s.cases:
            if positive:
                world.positive(model_id, s.manifest_no, "", why)
            else:
                world.negative(model_id, s.manifest_no, why)
    sn_hosts = [f for f in routine if f.ftype == "rural_station"][: len(inspections.CASES)]
    inspections.build(world, [f for f in routine if f not in sn_hosts], sn_hosts)
    _write_facilities(world, facilities)
    _write_daily(world, facilities)
    _write_sludge(world, facilities, books, everything, pool, carrier_of)
    _write_gps(world, everything, plates)
    _write_weather(world)


def _write_facilities(world: World, facilities: list[Facility]) -> None:
    t = world.table("sewage_facilities")
    for f in facilities:
        t.add(
            {"operator_name": f.operator.key},
            facility_id=f.facility_id,
            name=f.name,
            facility_type=f.ftype,
            operator_name=f.operator.name,
            operator_credit_code=f.operator.credit_code,
            supervisor_agency=f.supervisor,
            county=f.county,
            lon=f.lon,
            lat=f.lat,
            design_capacity_m3d=f.capacity,
            discharge_standard=f.written_standard or None,
            sludge_storage_t=f.storage_t,
            commissioned_date=f.commissioned,
            status=f.status,
        )


def _column(facilities: list[Facility], mask: str, values) -> np.ndarray:
    return np.concatenate([values(f)[getattr(f, mask)] for f in facilities])


def _write_daily(world: World, facilities: list[Facility]) -> None:
    def col(values):
        return pa.array(_column(facilities, "has_effluent", values), from_pandas=True)

    world.table("effluent_daily").arrow = pa.table(
        {
            "facility_id": col(lambda f: np.full(len(DAYS), f.facility_id)),
            "date": col(lambda f: DAYS),
            "flow_m3": col(lambda f: f.flow),
            "cod_mgl": col(lambda f: f.conc[0]),
            "nh3n_mgl": col(lambda f: f.conc[1]),
            "tp_mgl": col(lambda f: f.conc[2]),
            "tn_mgl": col(lambda f: f.conc[3]),
            "data_flag": col(lambda f: f.flag),
        }
    )
    world.table("power_daily").arrow = pa.table(
        {
            "facility_id": _column(facilities, "has_power", lambda f: np.full(len(DAYS), f.facility_id)),
            "date": pa.array(_column(facilities, "has_power", lambda f: DAYS)),
            "kwh": _column(facilities, "has_power", lambda f: f.kwh),
        }
    )


def _write_sludge(world, facilities, books, shipments, pool, carrier_of) -> None:
    prod = world.table("sludge_production")
    for f in facilities:
        book = books[f.facility_id]
        for m in np.flatnonzero(sludge.monthly_flow(f) > 0):
            prod.add(
                facility_id=f.facility_id,
                month=f"2024-{m + 1:02d}",
                produced_t=float(book.produced[m]),
                moisture_pct=round(float(world.rng.uniform(78, 82)), 1),
                stock_end_t=float(book.stock_end[m]),
            )
    man = world.table("sludge_manifests")
    for s in shipments:
        carrier = carrier_of.get(s.plate) or carrier_of[next(iter(carrier_of))]
        man.add(
            {"carrier_name": carrier.key, "receiver_name": s.receiver.org.key},
            manifest_no=s.manifest_no,
            facility_id=s.facility.facility_id,
            ship_date=s.ship_date,
            weight_t=s.weight_t,
            moisture_pct=round(float(world.rng.uniform(78, 82)), 1),
            carrier_name=carrier.name,
            vehicle_plate=s.plate if s.cases else _spell_plate(world, s.plate),
            receiver_name=s.receiver_name,
            receiver_credit_code=s.receiver_code,
            disposal_method=s.method,
            receive_date=s.receive_date,
            received_weight_t=s.received_weight_t,
        )
    permits = world.table("disposal_permits")
    for r in pool.values():
        for p in r.permits:
            permits.add(
                {"receiver_name": r.org.key},
                receiver_credit_code=r.org.credit_code,
                receiver_name=r.org.name,
                permit_no=p.permit_no,
                methods=list(p.methods),
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                lon=p.lon,
                lat=p.lat,
                annual_capacity_t=float(world.rng.integers(2, 20) * 5000),
            )


def _write_gps(world: World, shipments: list[Shipment], plates: list[str]) -> None:
    """Each truck's loads of a day leave one after another, 2.5 hours apart, from 7:00."""
    segs = tracks.Segments()
    loads_today: dict[tuple[str, object], int] = {}
    for s in shipments:
        k = loads_today.get((s.plate, s.ship_date), 0)
        loads_today[(s.plate, s.ship_date)] = k + 1
        tracks.shipment_segments(segs, s, 7 + 2.5 * k + float(world.rng.uniform(0, 0.5)))
    tracks.fleet_segments(world, segs, plates, set(loads_today))
    world.table("vehicle_gps").arrow = tracks.to_arrow(world, segs)


def _write_weather(world: World) -> None:
    t = world.table("weather_daily")
    season = -np.cos(2 * np.pi * np.arange(len(DAYS)) / 366)
    for county in places.COUNTY_SEATS:
        rain = world.rng.random(len(DAYS)) < 0.12 + 0.2 * np.clip(season, 0, None)
        amount = np.round(np.where(rain, world.rng.gamma(1.2, 8, len(DAYS)), 0.0), 1)
        temp = np.round(13 + 15 * season + world.rng.normal(0, 2.5, len(DAYS)), 1)
        for d, p, c in zip(DAYS.tolist(), amount, temp, strict=True):
            t.add(county=county, date=d, precipitation_mm=float(p), temp_mean_c=float(c))
