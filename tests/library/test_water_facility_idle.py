"""water.facility_idle golden test: missing days count, days before commissioning do not, kWh < 1 strictly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.facility_idle"
AS_OF = "2024-03-31"


def days(start: date, n: int) -> list[date]:
    return [start + timedelta(i) for i in range(n)]


def effluent(facility_id: str, when: date, flow: float | None = 80.0, flag: str = "N") -> dict:
    return {"facility_id": facility_id, "date": when, "flow_m3": flow, "cod_mgl": 20.0, "data_flag": flag}


def power(facility_id: str, when: date, kwh: float = 60.0) -> dict:
    return {"facility_id": facility_id, "date": when, "kwh": kwh}


def running(facility_id: str, start: date, n: int) -> tuple[list[dict], list[dict]]:
    return [effluent(facility_id, d) for d in days(start, n)], [power(facility_id, d) for d in days(start, n)]


def month_of_rows() -> tuple[list[dict], list[dict]]:
    eff, pw = [], []
    for facility_id, start, n in (
        ("I1", date(2024, 3, 1), 11),
        ("I2", date(2024, 3, 1), 12),
        ("I3", date(2024, 3, 10), 11),
    ):
        e, p = running(facility_id, start, n)
        eff += e
        pw += p
    # I2: 10 days without flow, 5 flagged F, 4 on 0.5 kWh: 19 idle days
    eff += [effluent("I2", d, flow=0.0) for d in days(date(2024, 3, 13), 10)]
    eff += [effluent("I2", d, flag="F") for d in days(date(2024, 3, 23), 5)]
    eff += [effluent("I2", d) for d in days(date(2024, 3, 28), 4)]
    pw += [power("I2", d) for d in days(date(2024, 3, 13), 15)] + [
        power("I2", d, 0.5) for d in days(date(2024, 3, 28), 4)
    ]
    # I5: 20 days on exactly 1 kWh: the boundary is not idle
    eff += [effluent("I5", d) for d in days(date(2024, 3, 1), 31)]
    pw += [power("I5", d, 1.0 if d.day <= 20 else 60.0) for d in days(date(2024, 3, 1), 31)]
    return eff, pw


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("idle"))
    lake.add(
        "sewage_facilities",
        [
            facility("I1", facility_type="rural_station"),  # 20 days with no rows at all: clue
            facility("I2", facility_type="rural_station"),
            facility("I3", facility_type="rural_station", commissioned_date=date(2024, 3, 10)),
            facility("I4", facility_type="rural_station", status="suspended"),  # not operating: not assessed
            facility("I5", facility_type="rural_station"),
            facility("I6", facility_type="rural_station", commissioned_date=date(2024, 4, 1)),
        ],
    )
    eff, pw = month_of_rows()
    lake.add("effluent_daily", eff)
    lake.add("power_daily", pw)
    return lake


def test_raises_exactly_the_idle_months(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF)
    assert {(f.subject_id, f.period) for f in found} == {("I1", "2024-03")}
    clue = found[0]
    assert {
        k: clue.details[k] for k in ("idle_days", "days_assessed", "no_flow_days", "first_idle_date")
    } == {
        "idle_days": 20,
        "days_assessed": 31,
        "no_flow_days": 20,
        "first_idle_date": "2024-03-12",
    }
    assert clue.related_ids[:2] == ("I1@2024-03-12", "I1@2024-03-13")
    assert len(clue.related_ids) == 20
    assert [(e.dataset, e.row) for e in clue.evidence] == [("sewage_facilities", 2)]
    assert clue.severity == "medium"


def test_overrides_move_both_thresholds(lake: GoldenLake) -> None:
    found = {
        (f.subject_id, f.period): f
        for f in lake.run(MODEL, as_of=AS_OF, params={"idle_kwh": 1.01, "min_idle_days": 19})
    }
    assert set(found) == {("I1", "2024-03"), ("I2", "2024-03"), ("I5", "2024-03")}
    figures = ("idle_days", "no_flow_days", "f_flag_days", "low_power_days")
    assert tuple(found[("I2", "2024-03")].details[k] for k in figures) == (19, 10, 5, 4)


def test_days_before_commissioning_do_not_count(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"min_idle_days": 11})
    idle = {f.subject_id: (f.details["idle_days"], f.details["days_assessed"]) for f in found}
    assert idle == {"I1": (20, 31), "I2": (19, 31), "I3": (11, 22)}


def test_the_as_of_month_counts_only_its_days_so_far(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of="2024-04-19", params={"min_idle_days": 19})
    assert {(f.subject_id, f.period) for f in found if f.period == "2024-04"} == {
        ("I1", "2024-04"),
        ("I2", "2024-04"),
        ("I3", "2024-04"),
        ("I5", "2024-04"),
        ("I6", "2024-04"),
    }
    found = lake.run(MODEL, as_of="2024-04-18", params={"min_idle_days": 19})
    assert {(f.subject_id, f.period) for f in found if f.period == "2024-04"} == set()
