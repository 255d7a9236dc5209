"""water.sludge_unaccounted golden test: 69 % vs 70 %, stock carried to quarter end, ship-date quarters."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.sludge_unaccounted"
AS_OF = "2024-06-30"


def produced(facility_id: str, month: str, tonnes: float, stock: float | None = None) -> dict:
    return {"facility_id": facility_id, "month": month, "produced_t": tonnes, "stock_end_t": stock}


def manifest(no: str, facility_id: str, shipped: date, tonnes: float) -> dict:
    return {
        "manifest_no": no,
        "facility_id": facility_id,
        "ship_date": shipped,
        "weight_t": tonnes,
        "receiver_name": "雄安绿源污泥处置有限公司",
    }


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("unaccounted"))
    lake.add("sewage_facilities", [facility(f"S{i}") for i in range(1, 6)])
    lake.add(
        "sludge_production",
        [
            # S1: 100 t produced, stock 0 → 10, 59 t shipped: 69 % accounted
            produced("S1", "2024-01", 30, 5),
            produced("S1", "2024-02", 30, 8),
            produced("S1", "2024-03", 40, 10),
            # S2: the same with 60 t shipped: exactly 70 %
            produced("S2", "2024-01", 30, 5),
            produced("S2", "2024-02", 30, 8),
            produced("S2", "2024-03", 40, 10),
            # S3: Q2 draws the stock down from 50 to 10 while shipping 100 of 100: 60 %
            produced("S3", "2024-03", 90, 50),
            produced("S3", "2024-04", 40, 45),
            produced("S3", "2024-06", 60, 10),
            # S4: June reports no stock, so the quarter-end stock is May's 30: 50 + 30 − 10 = 70 %
            produced("S4", "2024-03", 10, 10),
            produced("S4", "2024-04", 40, 20),
            produced("S4", "2024-05", 30, 30),
            produced("S4", "2024-06", 30, None),
            # S5: 69 t shipped on 31 March, 10 t on 1 April (which belongs to Q2)
            produced("S5", "2024-03", 100, 0),
        ],
    )
    lake.add(
        "sludge_manifests",
        [
            manifest("S1-1", "S1", date(2024, 2, 1), 59),
            manifest("S2-1", "S2", date(2024, 2, 1), 60),
            manifest("S3-1", "S3", date(2024, 3, 20), 40),
            manifest("S3-2", "S3", date(2024, 5, 20), 100),
            manifest("S4-1", "S4", date(2024, 5, 2), 50),
            manifest("S5-1", "S5", date(2024, 3, 31), 69),
            manifest("S5-2", "S5", date(2024, 4, 1), 10),
        ],
    )
    return lake


def test_raises_exactly_the_unaccounted_quarters(lake: GoldenLake) -> None:
    found = {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}
    assert set(found) == {("S1", "2024-Q1"), ("S3", "2024-Q2"), ("S5", "2024-Q1")}
    figures = (
        "produced_t",
        "shipped_t",
        "stock_start_t",
        "stock_end_t",
        "accounted_t",
        "unaccounted_t",
        "accounted_ratio",
    )
    assert {key: tuple(f.details[k] for k in figures) for key, f in found.items()} == {
        ("S1", "2024-Q1"): (100.0, 59.0, 0.0, 10.0, 69.0, 31.0, 0.69),
        ("S3", "2024-Q2"): (100.0, 100.0, 50.0, 10.0, 60.0, 40.0, 0.6),
        ("S5", "2024-Q1"): (100.0, 69.0, 0.0, 0.0, 69.0, 31.0, 0.69),
    }
    clue = found[("S3", "2024-Q2")]
    assert clue.related_ids == ("S3-2",)
    assert [(e.dataset, e.row) for e in clue.evidence] == [
        ("sewage_facilities", 4),
        ("sludge_production", 9),
        ("sludge_production", 10),
        ("sludge_manifests", 5),
    ]


def test_a_higher_ratio_takes_in_the_boundary_cases(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"accounted_ratio": 0.71})
    assert {(f.subject_id, f.period) for f in found} == {
        ("S1", "2024-Q1"),
        ("S2", "2024-Q1"),
        ("S3", "2024-Q2"),
        ("S4", "2024-Q2"),
        ("S5", "2024-Q1"),
    }


def test_months_and_manifests_after_the_as_of_date_are_ignored(lake: GoldenLake) -> None:
    found = {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of="2024-05-19")}
    assert set(found) == {("S1", "2024-Q1"), ("S3", "2024-Q2"), ("S5", "2024-Q1")}
    clue = found[("S3", "2024-Q2")]
    assert (clue.details["produced_t"], clue.details["shipped_t"], clue.details["stock_end_t"]) == (
        40.0,
        0.0,
        45.0,
    )
    assert clue.related_ids == ()
