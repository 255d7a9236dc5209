"""water.manifest_unclosed golden test: 15 vs 16 days, exactly 90 % received, receipts after as-of."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "water.manifest_unclosed"
AS_OF = "2024-06-30"


def manifest(no: str, shipped: date, received: date | None = None, received_t: float | None = None) -> dict:
    return {
        "manifest_no": no,
        "facility_id": "W1",
        "ship_date": shipped,
        "weight_t": 20.0,
        "receiver_name": "河北绿源污泥处置有限公司",
        "receive_date": received,
        "received_weight_t": received_t,
    }


MANIFESTS = [
    manifest("U1", date(2024, 6, 15)),  # 15 days: not yet
    manifest("U2", date(2024, 6, 14)),  # 16 days: clue
    manifest("U3", date(2024, 6, 1), date(2024, 6, 2), 18.0),  # exactly 90 %
    manifest("U4", date(2024, 6, 1), date(2024, 6, 2), 17.9),  # 89.5 %: clue
    manifest("U5", date(2024, 6, 1), date(2024, 7, 2), 20.0),  # received only after the as-of date: clue
    manifest("U6", date(2024, 7, 1)),  # shipped after the as-of date
    manifest("U7", date(2024, 3, 1), date(2024, 3, 5)),  # received, weight not recorded
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("unclosed"))
    lake.add("sewage_facilities", [facility("W1", supervisor_agency="雄县住房和城乡建设局")])
    lake.add("sludge_manifests", MANIFESTS)
    return lake


def test_raises_exactly_the_open_or_short_manifests(lake: GoldenLake) -> None:
    found = {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}
    assert {(k, f.period) for k, f in found.items()} == {("U2", None), ("U4", None), ("U5", None)}
    figures = ("reason", "days_unreceived", "received_ratio", "receive_date")
    assert {k: tuple(f.details[x] for x in figures) for k, f in found.items()} == {
        "U2": ("转移16日仍无接收确认", 16, None, None),
        "U4": ("接收量仅为转移量的89.5%", None, 0.895, "2024-06-02"),
        "U5": ("转移29日仍无接收确认", 29, None, None),
    }
    assert found["U2"].target_agency == "雄县住房和城乡建设局"
    assert [(e.dataset, e.row) for e in found["U4"].evidence] == [
        ("sludge_manifests", 5),
        ("sewage_facilities", 2),
    ]


def test_overrides_move_both_thresholds(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"unclosed_days": 14, "received_ratio": 0.91})
    assert {f.subject_id for f in found} == {"U1", "U2", "U3", "U4", "U5"}
