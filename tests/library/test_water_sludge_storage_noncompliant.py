"""water.sludge_storage_noncompliant golden test: fixed on day 90 vs 91, recheck window by the as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.sludge_storage_noncompliant"
AS_OF = "2024-12-31"


def inspection(
    facility_id: str,
    when: date,
    roof: bool | None = True,
    floor: bool | None = True,
    leachate: bool | None = True,
    stock: float | None = None,
) -> dict:
    return {
        "facility_id": facility_id,
        "inspection_date": when,
        "inspector_agency": "安新县生态环境分局",
        "has_roof": roof,
        "has_impermeable_floor": floor,
        "has_leachate_collection": leachate,
        "stock_t": stock,
    }


INSPECTIONS = [
    inspection("K1", date(2024, 3, 1), roof=False),  # fixed on day 90
    inspection("K1", date(2024, 5, 30)),
    inspection("K2", date(2024, 3, 1), floor=False, stock=12.5),  # fixed only on day 91: clue
    inspection("K2", date(2024, 5, 31)),
    inspection("K3", date(2024, 10, 3), leachate=False),  # 89 days before the as-of date: not yet
    inspection("K4", date(2024, 3, 1), roof=False),  # two findings in one month: one clue
    inspection("K4", date(2024, 3, 20), roof=False, floor=False),
    inspection("K5", date(2024, 3, 1), roof=None),  # an unrecorded item is not judged
    inspection("K6", date(2024, 10, 2), roof=False, floor=False, leachate=False),  # exactly 90 days before
    inspection("K7", date(2024, 3, 1), roof=False),  # re-inspected, but still no impermeable floor
    inspection("K7", date(2024, 4, 1), floor=False),
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("storage"))
    lake.add("sewage_facilities", [facility(f"K{i}", facility_type="rural_station") for i in range(1, 8)])
    lake.add("sludge_storage_inspections", INSPECTIONS)
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_unremedied_months(found: dict) -> None:
    assert set(found) == {
        ("K2", "2024-03"),
        ("K4", "2024-03"),
        ("K6", "2024-10"),
        ("K7", "2024-03"),
        ("K7", "2024-04"),
    }


def test_clue_lists_what_is_missing(found: dict) -> None:
    figures = ("deficiencies", "deficiency_count", "deficient_inspections", "max_stock_t")
    assert {key: tuple(f.details[k] for k in figures) for key, f in found.items()} == {
        ("K2", "2024-03"): ("无防渗地面", 1, 1, 12.5),
        ("K4", "2024-03"): ("无防雨设施、无防渗地面", 2, 2, None),
        ("K6", "2024-10"): ("无防雨设施、无防渗地面、无渗滤液收集", 3, 1, None),
        ("K7", "2024-03"): ("无防雨设施", 1, 1, None),
        ("K7", "2024-04"): ("无防渗地面", 1, 1, None),
    }
    assert {key: f.severity for key, f in found.items()} == {
        ("K2", "2024-03"): "medium",
        ("K4", "2024-03"): "high",
        ("K6", "2024-10"): "high",
        ("K7", "2024-03"): "medium",
        ("K7", "2024-04"): "medium",
    }
    assert [(e.dataset, e.row) for e in found[("K4", "2024-03")].evidence] == [
        ("sewage_facilities", 5),
        ("sludge_storage_inspections", 7),
        ("sludge_storage_inspections", 8),
    ]


def test_a_longer_recheck_window(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"recheck_days": 91})
    assert {(f.subject_id, f.period) for f in found} == {
        ("K4", "2024-03"),
        ("K7", "2024-03"),
        ("K7", "2024-04"),
    }
