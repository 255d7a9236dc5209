"""water.monitoring_data_anomaly golden test: flat runs, flow on implausible power, manual values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.monitoring_data_anomaly"
AS_OF = "2024-06-30"


def days(start: date, n: int) -> list[date]:
    return [start + timedelta(i) for i in range(n)]


def reading(facility_id: str, when: date, cod: float, flag: str = "N", flow: float = 80.0, **values) -> dict:
    return {
        "facility_id": facility_id,
        "date": when,
        "flow_m3": flow,
        "cod_mgl": cod,
        "nh3n_mgl": 2.0,
        "tp_mgl": 0.5,
        "tn_mgl": 8.0,
        "data_flag": flag,
        **values,
    }


def flat(facility_id: str, start: date, n: int) -> list[dict]:
    return [reading(facility_id, d, 33.0) for d in days(start, n)]


def varying(facility_id: str, start: date, n: int, flag: str = "N") -> list[dict]:
    return [reading(facility_id, d, 20.0 + i, flag) for i, d in enumerate(days(start, n))]


def power(facility_id: str, start: date, kwh: list[float]) -> list[dict]:
    return [
        {"facility_id": facility_id, "date": d, "kwh": k}
        for d, k in zip(days(start, len(kwh)), kwh, strict=True)
    ]


EFFLUENT = [
    *flat("M01", date(2024, 3, 1), 5),  # five identical days: clue
    *varying("M01", date(2024, 3, 6), 3),
    *flat("M02", date(2024, 3, 1), 4),  # four identical days
    reading("M02", date(2024, 3, 5), 34.0),
    *flat("M03", date(2024, 3, 1), 2),  # a missing TN breaks the run
    reading("M03", date(2024, 3, 3), 33.0, tn_mgl=None),
    *flat("M03", date(2024, 3, 4), 3),
    *flat("M04", date(2024, 3, 1), 2),  # a day flagged M breaks the run
    reading("M04", date(2024, 3, 3), 33.0, "M"),
    *flat("M04", date(2024, 3, 4), 2),
    *flat("M05", date(2024, 3, 29), 7),  # reaches its fifth day on 2 April: April only
    *flat("M06", date(2024, 3, 1), 2),  # a day with no row breaks the run
    *flat("M06", date(2024, 3, 4), 3),
    *varying("M07", date(2024, 4, 1), 23),
    *varying("M08", date(2024, 4, 1), 25),
    *varying("M09", date(2024, 4, 1), 22),
    reading("M09", date(2024, 4, 23), 5.0, flow=0.0),  # low power but no flow: not counted
    *varying("M10", date(2024, 5, 1), 7, "S"),  # seven manual days: clue
    *varying("M10", date(2024, 5, 8), 3),
    *varying("M11", date(2024, 5, 1), 6, "S"),
]
POWER = [
    *power("M07", date(2024, 4, 1), [100.0] * 20 + [4.9] * 3),  # three days below 5 % of the median 100
    *power("M08", date(2024, 4, 1), [100.0] * 20 + [5.0] * 3 + [4.0] * 2),  # 5.0 is the boundary
    *power("M09", date(2024, 4, 1), [100.0] * 20 + [1.0] * 3),
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("monitoring"))
    lake.add(
        "sewage_facilities", [facility(f"M{i:02d}", facility_type="rural_station") for i in range(1, 12)]
    )
    lake.add("effluent_daily", EFFLUENT)
    lake.add("power_daily", POWER)
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_anomalous_months(found: dict) -> None:
    assert set(found) == {("M01", "2024-03"), ("M05", "2024-04"), ("M07", "2024-04"), ("M10", "2024-05")}


def test_clue_quotes_each_sign(found: dict) -> None:
    figures = ("longest_flat_run_days", "low_power_days", "s_flag_days", "median_kwh")
    assert {key: tuple(f.details[k] for k in figures) for key, f in found.items()} == {
        ("M01", "2024-03"): (5, 0, 0, None),
        ("M05", "2024-04"): (7, 0, 0, None),
        ("M07", "2024-04"): (0, 3, 0, 100.0),
        ("M10", "2024-05"): (0, 0, 7, None),
    }
    assert found[("M07", "2024-04")].details["anomalies"] == "3日有出水量但用电量远低于日用电中位数"
    assert found[("M05", "2024-04")].related_ids == tuple(f"M05@{d}" for d in days(date(2024, 3, 29), 7))


def test_tampering_signs_are_a_criminal_matter_of_high_severity(found: dict) -> None:
    assert {key: f.severity for key, f in found.items()} == {
        ("M01", "2024-03"): "high",
        ("M05", "2024-04"): "high",
        ("M07", "2024-04"): "medium",
        ("M10", "2024-05"): "medium",
    }
    clue = found[("M01", "2024-03")]
    assert [(e.dataset, e.row) for e in clue.evidence] == [("sewage_facilities", 2)] + [
        ("effluent_daily", r) for r in range(2, 7)
    ]


def test_overrides_move_every_threshold(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"flat_run_days": 4, "power_ratio": 0.051, "s_flag_days": 6})
    assert {(f.subject_id, f.period) for f in found} == {
        ("M01", "2024-03"),
        ("M02", "2024-03"),
        ("M05", "2024-04"),
        ("M07", "2024-04"),
        ("M08", "2024-04"),
        ("M10", "2024-05"),
        ("M11", "2024-05"),
    }
    found = lake.run(MODEL, as_of=AS_OF, params={"mismatch_days": 4})
    assert {(f.subject_id, f.period) for f in found} == {
        ("M01", "2024-03"),
        ("M05", "2024-04"),
        ("M10", "2024-05"),
    }
