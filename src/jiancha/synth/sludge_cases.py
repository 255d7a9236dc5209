"""Planted sludge-accounting cases and the ledger check that states their truth.

The accounting rules (unaccounted, under-reported, transfer overdue) depend on many
numbers at once, so their truth is not hand-written: :func:`findings` evaluates the
three rules, exactly as the model catalogue's interpretation states them, on the
ledgers and shipments the generator wrote. The generator then insists that only the
planted facilities appear.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from jiancha.synth.facilities import Facility
from jiancha.synth.sludge import YIELD_T_PER_10K, Ledger, Shipment, month_index, monthly_flow
from jiancha.synth.world import World, day

SU = "water.sludge_unaccounted"
SR = "water.sludge_underreported"
TO = "water.sludge_transfer_overdue"
_MONTH_END = [day(m, 28) + dt.timedelta(days=4) for m in range(1, 13)]
MONTH_ENDS = [d - dt.timedelta(days=d.day) for d in _MONTH_END]

#: Ledger settings of the planted cases: reported-production factors per month, months
#: with no shipment, shipment windows (first, last day of month), and a README line.
LEDGER_CASES: dict[str, dict] = {
    "sr_town": {"factor": {3: 0.3, 4: 0.3, 5: 0.3}, "why": "二季度申报产泥量仅为水量推算值的30%"},
    "sr_rural": {"factor": {6: 0.25, 7: 0.25, 8: 0.25}, "why": "三季度申报产泥量仅为推算值的25%"},
    "sr_near": {"factor": {0: 0.42, 1: 0.42, 2: 0.42}, "why": "一季度申报为推算值的42%(阈值40%)，不构成"},
    "sr_industrial": {"factor": dict.fromkeys(range(12), 0.1), "why": "工业设施不评估低报"},
    "to_stock": {"skip": {6}, "why": "7月未转移，月末库存超过暂存容量"},
    "to_gap": {"skip": {4, 5, 6}, "why": "5—7月未转移，月末距上次转移≥45天"},
    "to_equal": {"why": "月末库存恰好等于暂存容量(不超过)"},
    "to_44": {"skip": {8}, "windows": {7: (3, 17)}, "why": "8月17日后至9月30日间隔44天(阈值45)"},
    "su_half": {"why": "二季度联单重量仅登记一半，库存未相应增加"},
    "su_low": {"why": "三季度联单重量仅为实际的30%"},
    "su_near": {"why": "二季度转移+库存变化为产生量的71%(阈值70%)"},
}
_SHRINK = {"su_half": (1, 0.5), "su_low": (2, 0.3)}


def planted_ledger(world: World, f: Facility, case: str) -> Ledger:
    """The facility's ledger with the case's production factors and shipping plan."""
    spec = LEDGER_CASES[case]
    flow = monthly_flow(f)
    factor = world.rng.uniform(0.85, 1.1, 12)
    for m, value in spec.get("factor", {}).items():
        factor[m] = value
    produced = np.round(flow * YIELD_T_PER_10K[f.ftype] / 10_000 * factor, 2)
    return Ledger(produced, np.zeros(12), set(spec.get("skip", ())), dict(spec.get("windows", {})))


def settle(f: Facility, book: Ledger, shipments: list[Shipment], case: str) -> None:
    """After shipping: set the storage capacity and apply the case's under-recording."""
    peak = float(book.stock_end.max())
    f.storage_t = float(math.ceil(peak * 2 + 3))
    if case == "to_stock":
        f.storage_t = round(float(book.stock_end[6]) * 0.9, 2)
    elif case == "to_equal":
        f.storage_t = peak
    quarter = {"su_half": 1, "su_low": 2, "su_near": 1}.get(case)
    if quarter is None:
        return
    own = [s for s in shipments if month_index(s.ship_date) // 3 == quarter]
    shipped = sum(s.weight_t for s in own)
    if case == "su_near":
        produced = float(book.produced[quarter * 3 : quarter * 3 + 3].sum())
        change = float(book.stock_end[quarter * 3 + 2] - (book.stock_end[quarter * 3 - 1] if quarter else 0))
        shrink = (0.71 * produced - change) / shipped
    else:
        shrink = _SHRINK[case][1]
    for s in own:
        s.weight_t = round(s.weight_t * shrink, 2)


def findings(f: Facility, book: Ledger, shipments: list[Shipment]) -> set[tuple[str, str]]:
    """(model_id, period) of every sludge-accounting clue this facility's data raises."""
    reported = monthly_flow(f) > 0
    out: set[tuple[str, str]] = set()
    out |= _quarterly(f, book, shipments, reported)
    out |= _overdue(f, book, shipments, reported)
    return out


def _quarterly(f: Facility, book: Ledger, shipments: list[Shipment], reported: np.ndarray) -> set:
    out: set[tuple[str, str]] = set()
    flow = monthly_flow(f)
    first = True
    prev_stock = 0.0
    for q in range(4):
        months = slice(q * 3, q * 3 + 3)
        if not reported[months].any():
            continue
        produced = float(book.produced[months][reported[months]].sum())
        shipped = sum(s.weight_t for s in shipments if month_index(s.ship_date) // 3 == q)
        stock = float(book.stock_end[q * 3 + 2])
        before = 0.0 if first else prev_stock
        if shipped + (stock - before) < 0.7 * produced:
            out.add((SU, f"2024-Q{q + 1}"))
        if (
            f.ftype != "industrial"
            and produced < 0.4 * flow[months].sum() * YIELD_T_PER_10K[f.ftype] / 10_000
        ):
            out.add((SR, f"2024-Q{q + 1}"))
        first, prev_stock = False, stock
    return out


def _overdue(f: Facility, book: Ledger, shipments: list[Shipment], reported: np.ndarray) -> set:
    out: set[tuple[str, str]] = set()
    dates = sorted(s.ship_date for s in shipments)
    for m, end in enumerate(MONTH_ENDS):
        if not reported[m] or book.produced[m] <= 0:
            continue
        last = max((d for d in dates if d <= end), default=day(1, 1))
        over = f.storage_t is not None and book.stock_end[m] > f.storage_t
        if over or (end - last).days >= 45:
            out.add((TO, f"2024-{m + 1:02d}"))
    return out
