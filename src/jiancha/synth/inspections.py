"""Sludge storage inspections: quarterly compliant visits to routine facilities, and
planted sequences of failed and follow-up inspections."""

from __future__ import annotations

import datetime as dt

from jiancha.synth.facilities import Facility
from jiancha.synth.world import World, day

SN = "water.sludge_storage_noncompliant"
OK = (True, True, True)

#: Planted sequences: (case, [(date, (roof, floor, leachate))], periods that must raise a clue, why)
CASES: tuple[tuple[str, list, list, str], ...] = (
    ("sn_never_fixed", [(day(3, 12), (False, True, True))], ["2024-03"], "3月检查无防雨设施，此后未复查"),
    (
        "sn_fixed_late",
        [(day(5, 10), (True, True, False)), (day(8, 20), OK)],
        ["2024-05"],
        "5月无渗滤液收集，102天后才整改到位",
    ),
    (
        "sn_chain",
        [(day(2, 10), (True, False, True)), (day(3, 20), (True, False, True)), (day(6, 1), OK)],
        ["2024-02"],
        "2月、3月两次无防渗地面，6月1日整改(距3月检查73天)：仅2月构成",
    ),
    (
        "sn_repeat",
        [(day(7, 1), (False, False, True)), (day(9, 5), (False, True, True))],
        ["2024-07", "2024-09"],
        "7月、9月两次不合格，均无90天内合格复查",
    ),
    ("sn_fixed", [(day(4, 8), (False, True, True)), (day(5, 6), OK)], [], "4月不合格，28天后复查合格"),
    ("sn_recent", [(day(10, 15), (True, False, True))], [], "10月15日不合格，截至as-of未满90天"),
)


def _notes(found: tuple[bool, bool, bool]) -> str:
    missing = [label for ok, label in zip(found, ("防雨棚", "防渗地面", "渗滤液收集"), strict=True) if not ok]
    return "现场暂存设施符合要求" if not missing else f"现场检查发现缺少{'、'.join(missing)}，责令限期整改"


def _row(world: World, f: Facility, when: dt.date, found: tuple[bool, bool, bool]) -> None:
    world.table("sludge_storage_inspections").add(
        facility_id=f.facility_id,
        inspection_date=when,
        inspector_agency=f.supervisor,
        has_roof=found[0],
        has_impermeable_floor=found[1],
        has_leachate_collection=found[2],
        stock_t=round(float(world.rng.uniform(0.2, 0.8)) * (f.storage_t or 10), 1),
        notes=_notes(found),
    )


def build(world: World, routine: list[Facility], planted_hosts: list[Facility]) -> None:
    """Quarterly compliant visits to routine facilities, then the planted sequences."""
    for f in routine:
        for month in (3, 6, 9, 12):
            _row(world, f, day(month, int(world.rng.integers(2, 27))), OK)
    for f, (_case, visits, periods, why) in zip(planted_hosts, CASES, strict=True):
        for when, found in visits:
            _row(world, f, when, found)
        for period in periods:
            world.positive(SN, f.facility_id, period, why)
        if not periods:
            world.negative(SN, f.facility_id, why)
