"""Planted cases for the three daily-data models: effluent exceedance left unenforced,
monitoring-data anomalies, and facilities built but idle.

Each function edits one facility's year arrays and records what a model must (or must
not) raise for it. The penalties some cases need are requested from the enforcement
builder through ``world.operator_penalties``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from jiancha.synth.facilities import LIMITS, Facility, doy
from jiancha.synth.world import World, day, plus

EE = "water.effluent_exceedance_unenforced"
MA = "water.monitoring_data_anomaly"
FI = "water.facility_idle"


def _limits(f: Facility) -> np.ndarray:
    return np.array(f.limits or LIMITS["GB18918-2002 一级B"])


def _exceed(f: Facility, days: list[dt.date], param: int, times: float, flag: str = "N") -> None:
    limits = _limits(f)
    for d in days:
        i = doy(d)
        f.conc[:, i] = np.where(np.isnan(f.conc[:, i]), np.round(limits * 0.5, 3), f.conc[:, i])
        f.conc[param, i] = round(limits[param] * times, 2)
        f.flag[i] = flag


def ee_cod(world: World, f: Facility) -> None:
    _exceed(f, [day(3, 5), day(3, 12), day(3, 20)], 0, 1.4)
    world.positive(EE, f.facility_id, "2024-03", "3月有3天COD超标(标志N)，无任何处罚")


def ee_mixed(world: World, f: Facility) -> None:
    _exceed(f, [day(6, 3), day(6, 4)], 3, 1.3)
    _exceed(f, [day(6, 10)], 1, 1.6)
    _exceed(f, [day(6, 11)], 0, 2.0, flag="T")
    world.positive(EE, f.facility_id, "2024-06", "6月TN超标2天+氨氮超标1天(标志N)；另1天T标志不计")


def ee_late_penalty(world: World, f: Facility) -> None:
    _exceed(f, [day(4, 8), day(4, 9), day(4, 10)], 2, 1.5)
    world.operator_penalties.append((f, plus(day(4, 8), 120), "exact"))
    world.positive(EE, f.facility_id, "2024-04", "4月3天TP超标；处罚在首日后120天才作出(超过90天)")


def ee_two_days(world: World, f: Facility) -> None:
    _exceed(f, [day(5, 6), day(5, 20)], 0, 1.3)
    world.negative(EE, f.facility_id, "5月仅2天超标(需≥3天)")


def ee_penalised(world: World, f: Facility) -> None:
    _exceed(f, [day(7, 2), day(7, 3), day(7, 9)], 1, 1.5)
    world.operator_penalties.append((f, plus(day(7, 2), 49), "variant"))
    world.negative(EE, f.facility_id, "7月3天超标，但首日后49天处罚了运营单位(名称变体)")


def ee_recent(world: World, f: Facility) -> None:
    _exceed(f, [day(11, 5), day(11, 6), day(11, 7)], 0, 1.3)
    world.negative(EE, f.facility_id, "11月3天超标，但截至as-of未满90天")


def ee_split(world: World, f: Facility) -> None:
    _exceed(f, [day(7, 30), day(7, 31), day(8, 1)], 3, 1.2)
    world.negative(EE, f.facility_id, "超标3天跨月(7月2天、8月1天)，每月不足3天")


def ee_flagged(world: World, f: Facility) -> None:
    _exceed(f, [day(9, 3), day(9, 4)], 0, 1.3)
    _exceed(f, [day(9, 5)], 0, 1.3, flag="C")
    world.negative(EE, f.facility_id, "9月3天超标但1天标志为C，N标志仅2天")


def ee_unknown_standard(world: World, f: Facility) -> None:
    f.standard = f.written_standard = "GB8978-1996 一级"
    _exceed(f, [day(3, 1 + k) for k in range(6)], 0, 1.6)
    world.negative(EE, f.facility_id, "执行标准不在标准表中(GB8978-1996 一级)，效应模型跳过")


def ee_empty_standard(world: World, f: Facility) -> None:
    f.standard = f.written_standard = ""
    _exceed(f, [day(5, 1 + k) for k in range(6)], 0, 1.6)
    world.negative(EE, f.facility_id, "执行标准为空，效应模型跳过")


def _flat(f: Facility, start: dt.date, length: int) -> None:
    """``length`` identical N days, framed by N days that differ from them."""
    i = doy(start)
    values = np.round(_limits(f) * 0.45, 3)
    f.flag[i - 1 : i + length + 1] = "N"
    f.conc[:, i : i + length] = values[:, None]
    f.conc[:, i - 1] = np.round(values * 0.93, 3)
    f.conc[:, i + length] = np.round(values * 1.07, 3)


def ma_flat(world: World, f: Facility) -> None:
    _flat(f, day(3, 11), 5)
    world.positive(MA, f.facility_id, "2024-03", "3月11—15日连续5天四项数值完全相同(标志N)")


def ma_flat_cross(world: World, f: Facility) -> None:
    _flat(f, day(1, 29), 5)
    world.positive(MA, f.facility_id, "2024-02", "1月29日—2月2日连续5天相同，第5天在2月，归2月")


def ma_flat_four(world: World, f: Facility) -> None:
    _flat(f, day(4, 1), 4)
    world.negative(MA, f.facility_id, "仅连续4天相同")


def ma_flat_broken(world: World, f: Facility) -> None:
    _flat(f, day(5, 6), 5)
    f.conc[3, doy(day(5, 8))] = np.nan
    world.negative(MA, f.facility_id, "5天相同但第3天总氮为空，连续被打断")


def _low_power(f: Facility, days: list[dt.date]) -> None:
    median = float(np.median(f.kwh[f.has_power]))
    for d in days:
        i = doy(d)
        f.flag[i] = "N"
        f.kwh[i] = max(1.5, round(0.02 * median, 1))


def ma_power(world: World, f: Facility) -> None:
    _low_power(f, [day(7, 8), day(7, 15), day(7, 22)])
    world.positive(MA, f.facility_id, "2024-07", "7月3天有水量(N)但用电量<中位数5%")


def ma_power_two(world: World, f: Facility) -> None:
    _low_power(f, [day(8, 8), day(8, 15)])
    world.negative(MA, f.facility_id, "仅2天用电量<中位数5%")


def ma_manual(world: World, f: Facility) -> None:
    f.flag[doy(day(9, 2)) : doy(day(9, 9))] = "S"
    world.positive(MA, f.facility_id, "2024-09", "9月7天标志为S(手工设定值)")


def ma_manual_six(world: World, f: Facility) -> None:
    f.flag[doy(day(10, 2)) : doy(day(10, 8))] = "S"
    world.negative(MA, f.facility_id, "10月仅6天标志为S")


def _stop(f: Facility, start: dt.date, days: int) -> None:
    i = doy(start)
    f.flow[i : i + days] = 0.0
    f.flag[i : i + days] = "F"
    f.conc[:, i : i + days] = np.nan
    f.kwh[i : i + days] = 0.4


def _missing(f: Facility, start: dt.date, days: int) -> None:
    i = doy(start)
    f.has_effluent[i : i + days] = False
    f.has_power[i : i + days] = False


def fi_stopped(world: World, f: Facility) -> None:
    _stop(f, day(4, 3), 25)
    world.positive(FI, f.facility_id, "2024-04", "4月25天停运(水量0、标志F)")


def fi_missing(world: World, f: Facility) -> None:
    _missing(f, day(8, 5), 22)
    world.positive(FI, f.facility_id, "2024-08", "8月22天无监测记录(视为水量空)")


def fi_exact(world: World, f: Facility) -> None:
    _stop(f, day(10, 1), 12)
    _missing(f, day(10, 20), 8)
    world.positive(FI, f.facility_id, "2024-10", "10月12天停运+8天无记录=恰好20天")


def fi_nineteen(world: World, f: Facility) -> None:
    _stop(f, day(5, 1), 19)
    world.negative(FI, f.facility_id, "5月仅19天停运")


def fi_suspended(world: World, f: Facility) -> None:
    f.status = "suspended"
    _missing(f, day(7, 1), 184)
    world.negative(FI, f.facility_id, "状态为停运(suspended)，7月起无数据，不属operating")


def fi_late_commissioning(world: World, f: Facility) -> None:
    f.commissioned = day(6, 12)
    _missing(f, day(1, 1), doy(day(6, 12)))
    world.negative(FI, f.facility_id, "2024-06-12投运，投运前无数据不计")


def fi_decommissioned(world: World, f: Facility) -> None:
    f.status = "decommissioned"
    _missing(f, day(1, 1), 366)
    world.negative(FI, f.facility_id, "已废弃设施，全年无数据")


#: The planted facility cases: (role, facility type, function).
CASES: tuple[tuple[str, str, Callable[[World, Facility], None]], ...] = (
    ("ee_cod", "rural_station", ee_cod),
    ("ee_mixed", "town_plant", ee_mixed),
    ("ee_late_penalty", "rural_station", ee_late_penalty),
    ("ee_two_days", "rural_station", ee_two_days),
    ("ee_penalised", "town_plant", ee_penalised),
    ("ee_recent", "rural_station", ee_recent),
    ("ee_split", "rural_station", ee_split),
    ("ee_flagged", "rural_station", ee_flagged),
    ("ee_unknown_standard", "industrial", ee_unknown_standard),
    ("ee_empty_standard", "rural_station", ee_empty_standard),
    ("ma_flat", "rural_station", ma_flat),
    ("ma_flat_cross", "town_plant", ma_flat_cross),
    ("ma_flat_four", "rural_station", ma_flat_four),
    ("ma_flat_broken", "rural_station", ma_flat_broken),
    ("ma_power", "town_plant", ma_power),
    ("ma_power_two", "town_plant", ma_power_two),
    ("ma_manual", "rural_station", ma_manual),
    ("ma_manual_six", "rural_station", ma_manual_six),
    ("fi_stopped", "rural_station", fi_stopped),
    ("fi_missing", "rural_station", fi_missing),
    ("fi_exact", "rural_station", fi_exact),
    ("fi_nineteen", "rural_station", fi_nineteen),
    ("fi_suspended", "rural_station", fi_suspended),
    ("fi_late_commissioning", "rural_station", fi_late_commissioning),
    ("fi_decommissioned", "rural_station", fi_decommissioned),
)
