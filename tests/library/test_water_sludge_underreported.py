"""water.sludge_underreported golden test: yields by facility type, every flag's flow, the 40 % boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.sludge_underreported"
AS_OF = "2024-03-31"


def flows(facility_id: str, start: date, n: int, flow: float, flag: str = "N") -> list[dict]:
    return [
        {"facility_id": facility_id, "date": start + timedelta(i), "flow_m3": flow, "data_flag": flag}
        for i in range(n)
    ]


def produced(facility_id: str, month: str, tonnes: float) -> dict:
    return {"facility_id": facility_id, "month": month, "produced_t": tonnes}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("underreported"))
    lake.add(
        "sewage_facilities",
        [
            facility("U1"),  # 100,000 m³ → 60 t implied; 23.9 t reported
            facility("U2"),  # 24.0 t reported: exactly 40 %
            facility("U3", facility_type="rural_station"),  # 30 t implied; 11.9 t reported
            facility("U4", facility_type="industrial"),  # not assessed
            facility("U5"),  # half the flow flagged F still counts
            facility("U6"),  # nothing reported at all
            facility("U7", facility_type=None),  # unknown type: not assessed
        ],
    )
    effluent = []
    for facility_id in ("U1", "U2", "U3", "U4", "U6", "U7"):
        effluent += flows(facility_id, date(2024, 1, 1), 50, 2000.0)
    effluent += flows("U5", date(2024, 1, 1), 25, 2000.0) + flows("U5", date(2024, 1, 26), 25, 2000.0, "F")
    lake.add("effluent_daily", effluent)
    lake.add(
        "sludge_production",
        [
            produced("U1", "2024-01", 23.9),
            produced("U2", "2024-01", 20.0),
            produced("U2", "2024-03", 4.0),
            produced("U3", "2024-02", 11.9),
            produced("U5", "2024-01", 20.0),
        ],
    )
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_underreported_quarters(found: dict) -> None:
    assert set(found) == {("U1", "2024-Q1"), ("U3", "2024-Q1"), ("U5", "2024-Q1"), ("U6", "2024-Q1")}


def test_clue_quotes_volume_yield_and_ratio(found: dict) -> None:
    figures = ("treated_m3", "yield_t_per_10k_m3", "implied_t", "reported_t", "reported_ratio")
    assert {key: tuple(f.details[k] for k in figures) for key, f in found.items()} == {
        ("U1", "2024-Q1"): (100000.0, 6.0, 60.0, 23.9, 0.398),
        ("U3", "2024-Q1"): (100000.0, 3.0, 30.0, 11.9, 0.397),
        ("U5", "2024-Q1"): (100000.0, 6.0, 60.0, 20.0, 0.333),
        ("U6", "2024-Q1"): (100000.0, 6.0, 60.0, 0.0, 0.0),
    }
    assert {key: f.severity for key, f in found.items()} == {
        ("U1", "2024-Q1"): "medium",
        ("U3", "2024-Q1"): "medium",
        ("U5", "2024-Q1"): "medium",
        ("U6", "2024-Q1"): "high",
    }
    evidence = [(e.dataset, e.row) for e in found[("U3", "2024-Q1")].evidence]
    assert evidence[:3] == [("sewage_facilities", 4), ("sludge_production", 5), ("effluent_daily", 102)]
    assert len(evidence) == 52


def test_a_higher_yield_takes_in_the_boundary_case(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"yield_town_t_per_10k_m3": 7.0})
    assert {(f.subject_id, f.period) for f in found} == {
        ("U1", "2024-Q1"),
        ("U2", "2024-Q1"),
        ("U3", "2024-Q1"),
        ("U5", "2024-Q1"),
        ("U6", "2024-Q1"),
    }
    found = lake.run(MODEL, as_of=AS_OF, params={"underreport_ratio": 0.39, "yield_rural_t_per_10k_m3": 2.0})
    assert {(f.subject_id, f.period) for f in found} == {("U5", "2024-Q1"), ("U6", "2024-Q1")}
