"""Planted manifests for the receiver, closure and route models.

They are extra loads added to routine facilities (an extra load only makes a
facility's books look better), each on a plate of its own so that its GPS track —
or the lack of one — is exactly what the case needs.
"""

from __future__ import annotations

import datetime as dt

from jiancha.synth.facilities import Facility
from jiancha.synth.parties import variant
from jiancha.synth.sludge import Receiver, Shipment
from jiancha.synth.world import World, day

RU = "water.sludge_receiver_unqualified"
MU = "water.manifest_unclosed"
MR = "water.manifest_route_mismatch"

#: (case, receiver, method, ship date, positive?, model, README line)
CASES: tuple[tuple[str, str, str, dt.date, bool, str, str], ...] = (
    ("ru_unpermitted", "unpermitted", "landfill", day(3, 14), True, RU, "接收单位无任何处置资质"),
    ("ru_expired", "expired", "compost", day(5, 10), True, RU, "接收单位资质已于3月31日过期"),
    ("ru_method", "materials", "incineration", day(6, 18), True, RU, "资质不含焚烧处置方式"),
    ("ru_unknown_name", "stranger", "compost", day(8, 7), True, RU, "无信用代码，名称不对应任何资质单位"),
    ("ru_name_variant", "compost", "compost", day(4, 16), False, RU, "无信用代码但名称变体可对应有效资质"),
    (
        "ru_code_variant",
        "incinerator",
        "incineration",
        day(9, 9),
        False,
        RU,
        "名称变体但信用代码对应有效资质",
    ),
    ("ru_valid_from", "new", "incineration", day(4, 1), False, RU, "转移日恰为资质生效日"),
    ("ru_valid_to", "expired", "compost", day(3, 31), False, RU, "转移日恰为资质到期日"),
    ("mu_open", "landfill", "landfill", day(11, 20), True, MU, "无接收日期，转移已逾15天"),
    ("mu_open_16", "landfill", "landfill", day(12, 15), True, MU, "无接收日期，距as-of 16天"),
    ("mu_short", "incinerator", "incineration", day(10, 8), True, MU, "接收量为转移量的85%"),
    (
        "mu_open_15",
        "incinerator",
        "incineration",
        day(12, 16),
        False,
        MU,
        "无接收日期，距as-of恰15天(不超过)",
    ),
    ("mu_exact_90", "landfill", "landfill", day(9, 24), False, MU, "接收量恰为转移量的90%"),
    ("mr_away", "incinerator", "incineration", day(5, 22), True, MR, "车辆轨迹远离处置场地"),
    ("mr_short_1600", "landfill", "landfill", day(6, 12), True, MR, "车辆最近只到距场地1.6公里处"),
    ("mr_late_arrival", "incinerator", "incineration", day(7, 17), True, MR, "接收日次日才到达场地(窗口外)"),
    ("mr_near_900", "landfill", "landfill", day(8, 21), False, MR, "车辆到达距场地0.9公里处(1公里内)"),
    ("mr_no_gps", "incinerator", "incineration", day(9, 11), False, MR, "该车辆无任何GPS点"),
    ("mr_second_site", "compost", "compost", day(10, 15), False, MR, "车辆到达该单位的第二处许可场地"),
    ("mr_plate_case", "landfill", "landfill", day(11, 6), False, MR, "GPS车牌小写且无分隔符，规范化后相同"),
    ("mr_night", "incinerator", "incineration", day(6, 25), False, MR, "接收日23:30到达场地(窗口内)"),
)
_GPS = {
    "mr_away": "away",
    "mr_short_1600": "short:1600",
    "mr_late_arrival": "late",
    "mr_near_900": "short:900",
    "mr_second_site": "trip",
    "mr_plate_case": "trip",
    "mr_night": "night",
    "mu_short": "trip",
    "mu_exact_90": "trip",
}


def planted_shipments(world: World, hosts: list[Facility], pool: dict[str, Receiver]) -> list[Shipment]:
    """The planted loads, hosted round-robin by routine facilities far from their receivers."""
    out = []
    for n, (case, who, method, ship, positive, model, why) in enumerate(CASES):
        receiver = pool[who]
        s = Shipment(hosts[n % len(hosts)], ship, 20.0 if case == "mu_exact_90" else 24.0, receiver, method)
        s.receiver_name, s.receiver_code = receiver.org.name, receiver.org.credit_code
        if case == "ru_name_variant":
            s.receiver_name, s.receiver_code = variant(receiver.org, "no_region"), None
        elif case == "ru_code_variant":
            s.receiver_name = variant(receiver.org, "suffix")
        elif case == "ru_unknown_name":
            s.receiver_code = None
        s.receive_date = None if case.startswith("mu_open") else ship + dt.timedelta(days=1)
        s.received_weight_t = {"mu_short": 20.4, "mu_exact_90": 18.0}.get(case, s.weight_t)
        if s.receive_date is None:
            s.received_weight_t = None
        s.gps = _GPS.get(case, "none")
        s.site = 1 if case == "mr_second_site" else 0
        s.plate = f"冀F{'ABCDEFGHJK'[n % 10]}{7100 + n}"
        if case == "mr_plate_case":
            s.plate, s.gps_plate = f"冀F-{s.plate[2:]}", s.plate.lower()
        s.cases.append((model, positive, why))
        out.append(s)
    return out
