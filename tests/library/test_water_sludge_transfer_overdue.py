"""water.sludge_transfer_overdue golden test: 44 vs 45 days at month ends, the as-of month, full stores."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.sludge_transfer_overdue"
AS_OF = "2024-06-15"


def produced(facility_id: str, month: str, tonnes: float, stock: float | None = None) -> dict:
    return {"facility_id": facility_id, "month": month, "produced_t": tonnes, "stock_end_t": stock}


def manifest(no: str, facility_id: str, shipped: date) -> dict:
    return {
        "manifest_no": no,
        "facility_id": facility_id,
        "ship_date": shipped,
        "weight_t": 5.0,
        "receiver_name": "雄安绿源污泥处置有限公司",
    }


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("overdue"))
    lake.add(
        "sewage_facilities",
        [
            facility("T1", sludge_storage_t=50.0),  # May ends with 51 t in a 50 t store
            facility("T2"),  # last shipment 16 Jan: 44 days on 29 Feb
            facility("T3"),  # last shipment 15 Jan: 45 days on 29 Feb
            facility("T4"),  # the same gap, but February produced nothing
            facility("T5"),  # ledger starts in February, never shipped: counted from the first day of data
            facility("T6"),  # last shipment 1 May: 45 days on the as-of date 15 June
        ],
    )
    lake.add(
        "sludge_production",
        [
            produced("T1", "2024-04", 10, 50),
            produced("T1", "2024-05", 10, 51),
            *[produced(f, m, 5) for f in ("T2", "T3") for m in ("2024-01", "2024-02", "2024-03")],
            produced("T4", "2024-01", 5),
            produced("T4", "2024-02", 0),
            produced("T4", "2024-03", 5),
            produced("T5", "2024-02", 5),
            produced("T6", "2024-05", 5),
            produced("T6", "2024-06", 5),
        ],
    )
    lake.add(
        "sludge_manifests",
        [
            manifest("T1-1", "T1", date(2024, 4, 20)),
            manifest("T1-2", "T1", date(2024, 5, 20)),
            manifest("T2-1", "T2", date(2024, 1, 16)),
            manifest("T2-2", "T2", date(2024, 3, 15)),
            manifest("T3-1", "T3", date(2024, 1, 15)),
            manifest("T3-2", "T3", date(2024, 3, 15)),
            manifest("T4-1", "T4", date(2024, 1, 15)),
            manifest("T4-2", "T4", date(2024, 3, 15)),
            manifest("T6-1", "T6", date(2024, 5, 1)),
        ],
    )
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_overdue_months(found: dict) -> None:
    assert set(found) == {("T1", "2024-05"), ("T3", "2024-02"), ("T5", "2024-02"), ("T6", "2024-06")}


def test_clue_says_why_and_since_when(found: dict) -> None:
    assert {key: f.details["reasons"] for key, f in found.items()} == {
        ("T1", "2024-05"): "月末库存51.0吨超过暂存容量50.0吨",
        ("T3", "2024-02"): "截至2024-02-29已45日未转移污泥",
        ("T5", "2024-02"): "截至2024-02-29已59日未转移污泥",
        ("T6", "2024-06"): "截至2024-06-15已45日未转移污泥",
    }
    clue = found[("T3", "2024-02")]
    assert (clue.details["last_ship_date"], clue.details["check_date"]) == ("2024-01-15", "2024-02-29")
    assert clue.related_ids == ("T3-1",)
    assert [(e.dataset, e.row) for e in clue.evidence] == [
        ("sewage_facilities", 4),
        ("sludge_production", 8),
        ("sludge_manifests", 6),
    ]
    assert found[("T5", "2024-02")].related_ids == ()
    assert found[("T6", "2024-06")].related_ids == ("T6-1",)


def test_a_shorter_gap_takes_in_44_days(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"gap_days": 44})
    assert {(f.subject_id, f.period) for f in found} == {
        ("T1", "2024-05"),
        ("T2", "2024-02"),
        ("T3", "2024-02"),
        ("T5", "2024-02"),
        ("T6", "2024-06"),
    }


def test_the_as_of_date_is_the_check_day_of_its_month(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of="2024-06-14")
    assert {(f.subject_id, f.period) for f in found} == {
        ("T1", "2024-05"),
        ("T3", "2024-02"),
        ("T5", "2024-02"),
    }
