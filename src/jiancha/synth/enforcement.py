"""Administrative penalties and case transfers (两法衔接): routine penalties below every
criminal threshold, threshold penalties transferred in good order, the planted
penalties not transferred, and transfers the police left undecided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jiancha.synth import facts, places
from jiancha.synth.parties import Org, variant
from jiancha.synth.world import World, day, plus

PNT = "linkage.penalty_not_transferred"
TNF = "linkage.transfer_not_filed"
_PARAMS = ("化学需氧量", "氨氮", "总磷", "总氮")
_GOODS = ("电动自行车充电器", "插线板", "儿童玩具", "防水涂料", "食用植物油")

#: Planted penalties reaching a threshold: (facts case, decision date, transfer, why).
#: transfer: None, or (days after decision, "decision" | "exact" | "variant").
_REACHING_DATES = {
    "hw_kg": day(3, 20),
    "hw_cn": day(6, 12),
    "pipe": day(4, 3),
    "tamper": day(7, 15),
    "dilute": day(7, 20),
    "lead": day(5, 28),
    "cadmium": day(6, 2),
    "fake_sales": day(3, 8),
    "unsold": day(8, 9),
    "sand": day(6, 20),
    "beyond": day(9, 3),
    "farmland": day(2, 27),
    "barrels": day(4, 22),
    "hw_table": day(5, 9),
    "sand_price": day(7, 2),
    "farmland_other": day(10, 10),
}
_TRANSFERRED = (
    ("sand", day(4, 11), (25, "decision"), False, "达到追诉标准，移送记录载明该决定书文号"),
    ("pipe", day(8, 5), (60, "variant"), False, "达到追诉标准，60天后以名称变体移送同一当事人"),
    ("tamper", day(9, 18), (-150, "exact"), False, "达到追诉标准，决定前150天已移送同一当事人"),
    ("fake_sales", day(10, 25), (-200, "exact"), True, "达到追诉标准，唯一移送在决定前200天(窗口外)"),
    ("farmland", day(3, 5), (100, "exact"), True, "达到追诉标准，唯一移送在决定后100天(窗口外)"),
)
#: Planted transfers: (case, transfer date, accepted, decision, decision date, positive?, why)
_TRANSFERS = (
    ("pending", day(9, 20), day(9, 25), "pending", None, True, "受理后97天仍未决定立案"),
    ("unaccepted", day(11, 15), None, None, None, True, "移送46天未受理"),
    ("undecided", day(8, 1), day(8, 3), None, None, True, "受理后150天立案决定为空"),
    ("recent", day(11, 30), day(12, 5), "pending", None, False, "受理后26天，未满30天"),
    ("thirty", day(12, 1), None, None, None, False, "移送恰30天未受理(不超过30天)"),
    ("late_filed", day(6, 1), day(6, 3), "filed", day(8, 2), False, "受理60天后才立案，但已立案"),
    ("late_accepted", day(5, 1), day(6, 15), "filed", day(6, 25), False, "移送45天后才受理，已立案"),
    ("not_filed", day(7, 8), day(7, 10), "not_filed", day(7, 30), False, "决定不立案，属已决定"),
)


@dataclass
class Transfer:
    party: Org
    date: dt.date
    decision_no: str | None
    spelling: str
    agency: str
    accepted: dt.date | None
    decision: str | None
    decided: dt.date | None


class Enforcement:
    """Writes penalties and collects transfers; decisions are numbered per agency as written."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.serial = dict.fromkeys(facts.AGENCIES, 0)
        self.transfers: list[tuple[Transfer, tuple | None]] = []

    def penalty(self, party: Org, spelling: str, kind: str, when: dt.date, cause: str, text: str) -> str:
        self.serial[kind] += 1
        agency, pattern, basis = facts.AGENCIES[kind]
        decision_no = pattern.format(n=self.serial[kind])
        fine = float(self.world.rng.integers(1, 40) * 5000)
        self.world.table("admin_penalties").add(
            {"party_name": party.key},
            decision_no=decision_no,
            agency=agency,
            party_name=spelling,
            party_credit_code=party.credit_code if spelling == party.name else None,
            party_id_no=None,
            decision_date=when,
            case_cause=cause,
            facts=text,
            fine_yuan=fine,
            confiscation_yuan=float(self.world.rng.integers(0, 20) * 1000) or None,
            legal_basis=basis,
        )
        return decision_no

    def transfer(self, t: Transfer, case: tuple | None = None) -> None:
        self.transfers.append((t, case))

    def in_order(
        self, party: Org, when: dt.date, decision_no: str | None, spelling: str, agency: str
    ) -> None:
        """A transfer the police accepted within days and decided within weeks."""
        rng = self.world.rng
        accepted = min(plus(when, int(rng.integers(1, 6))), day(12, 31))
        decided = min(plus(accepted, int(rng.integers(3, 25))), day(12, 31))
        outcome = "filed" if rng.random() < 0.85 else "not_filed"
        self.transfer(Transfer(party, when, decision_no, spelling, agency, accepted, outcome, decided))

    def write_transfers(self) -> None:
        table = self.world.table("case_transfers")
        ordered = sorted(self.transfers, key=lambda pair: (pair[0].date, pair[0].party.key))
        for n, (t, case) in enumerate(ordered, start=1):
            transfer_no = f"XAYS2024{n:04d}"
            county = self.world.pick(list(places.COUNTY_SEATS))
            table.add(
                {"party_name": t.party.key},
                transfer_no=transfer_no,
                agency=t.agency,
                decision_no=t.decision_no,
                party_name=t.spelling,
                party_credit_code=t.party.credit_code if t.spelling == t.party.name else None,
                transfer_date=t.date,
                receiving_police=f"{county}公安局",
                accepted_date=t.accepted,
                filing_decision=t.decision,
                filing_date=t.decided,
            )
            if case is not None:
                positive, why = case
                if positive:
                    self.world.positive(TNF, transfer_no, "", why)
                else:
                    self.world.negative(TNF, transfer_no, why)


def _fill(world: World, template: str) -> str:
    rng = world.rng
    s = float(rng.choice([50, 60, 100]))
    c = round(s * float(rng.uniform(1.2, 2.4)), 1)
    return template.format(
        date=f"2024年{int(rng.integers(1, 13))}月{int(rng.integers(1, 28))}日",
        place=world.pick([p.name for p in places.AREAS]),
        c=c,
        s=int(s),
        x=round((c - s) / s, 2),
        goods=world.pick(_GOODS),
        amount=f"{int(rng.integers(20, 400)) * 100:,}",
        gain=int(rng.integers(5, 90)) * 100,
        m3=int(rng.integers(20, 300)),
        value=round(float(rng.uniform(0.5, 8.0)), 1),
        mu=round(float(rng.uniform(0.5, 8)), 1),
    )


def _random_day(world: World, last_month: int = 12) -> dt.date:
    return day(int(world.rng.integers(1, last_month + 1)), int(world.rng.integers(1, 29)))


def build(world: World) -> None:
    """Every penalty and transfer of the drop."""
    e = Enforcement(world)
    regions = list(places.COUNTY_SEATS)
    industries = ("建筑工程", "商贸", "建材", "化工", "机械制造")
    parties = [world.org(world.pick(industries), world.pick(regions)) for _ in range(world.count(90, 10))]
    for _ in range(world.count(120, 10)):
        kind, cause, template = world.pick(facts.ROUTINE)
        party = world.pick(parties)
        e.penalty(party, party.name, kind, _random_day(world), cause, _fill(world, template))
    for _ in range(world.count(8, 2)):
        _case, kind, cause, text = world.pick(facts.REACHING)
        party = world.org("实业", world.pick(regions))
        when = _random_day(world, 10)
        no = e.penalty(party, party.name, kind, when, cause, text)
        e.in_order(party, plus(when, int(world.rng.integers(5, 40))), no, party.name, facts.AGENCIES[kind][0])
    _planted_penalties(world, e)
    _operator_penalties(world, e)
    for _case, when, accepted, decision, decided, positive, why in _TRANSFERS:
        party = world.org("商贸", world.pick(regions))
        agency = world.pick([a for a, _, _ in facts.AGENCIES.values()])
        e.transfer(
            Transfer(party, when, None, party.name, agency, accepted, decision, decided), (positive, why)
        )
    e.write_transfers()


def _planted_penalties(world: World, e: Enforcement) -> None:
    texts = {case: (kind, cause, text) for case, kind, cause, text in facts.REACHING + facts.BELOW}
    for case, when in _REACHING_DATES.items():
        kind, cause, text = texts[case]
        party = world.org("科技", world.pick(list(places.COUNTY_SEATS)))
        no = e.penalty(party, party.name, kind, when, cause, text)
        world.positive(PNT, no, "", f"达到追诉标准({case})，无任何移送")
    for case, kind, cause, text in facts.BELOW:
        party = world.org("科技", world.pick(list(places.COUNTY_SEATS)))
        no = e.penalty(party, party.name, kind, _random_day(world, 11), cause, text)
        world.negative(PNT, no, f"未达追诉标准({case})")
    for case, when, (shift, how), positive, why in _TRANSFERRED:
        kind, cause, text = texts[case]
        party = world.org("实业", world.pick(list(places.COUNTY_SEATS)))
        no = e.penalty(party, party.name, kind, when, cause, text)
        spelling = variant(party, "region_tag") if how == "variant" else party.name
        e.in_order(
            party, plus(when, shift), no if how == "decision" else None, spelling, facts.AGENCIES[kind][0]
        )
        if positive:
            world.positive(PNT, no, "", why)
        else:
            world.negative(PNT, no, why)


def _operator_penalties(world: World, e: Enforcement) -> None:
    for facility, when, how in world.operator_penalties:
        spelling = variant(facility.operator, "no_region") if how == "variant" else facility.operator.name
        text = facts.EFFLUENT.format(
            facility=facility.name, param=world.pick(_PARAMS), x=round(float(world.rng.uniform(0.3, 0.6)), 2)
        )
        e.penalty(facility.operator, spelling, "env", when, "水污染", text)
