"""water.manifest_route_mismatch golden test: 0.9 vs 1.1 km, ship-to-receive-day window, plate spellings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiancha.models.testing import GoldenLake
from jiancha.resolve.credit_code import check_digit

MODEL = "water.manifest_route_mismatch"
AS_OF = "2024-12-31"
SITE = (116.0, 39.0)
KM_PER_DEGREE_LAT = 6371.0088 * 3.141592653589793 / 180


def credit_code(first: str) -> str:
    body = first.ljust(17, "0")
    return body + check_digit(body)


CODE_A, CODE_B = credit_code("91130600MA0AA"), credit_code("91130600MA0BB")

PERMITS = [
    {
        "receiver_credit_code": CODE_A,
        "receiver_name": "河北绿源污泥处置有限公司",
        "permit_no": "冀污泥处置〔2024〕1号",
        "methods": ["incineration"],
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2024, 12, 31),
        "lon": SITE[0],
        "lat": SITE[1],
    },
    {  # a second site of the same receiver, valid only from June
        "receiver_credit_code": CODE_A,
        "receiver_name": "河北绿源污泥处置有限公司",
        "permit_no": "冀污泥处置〔2024〕9号",
        "methods": ["incineration"],
        "valid_from": date(2024, 6, 1),
        "valid_to": date(2024, 12, 31),
        "lon": 115.9,
        "lat": 38.9,
    },
    {  # no coordinates: nothing to compare with
        "receiver_credit_code": CODE_B,
        "receiver_name": "清源环境科技有限公司",
        "permit_no": "冀污泥处置〔2024〕2号",
        "methods": ["compost"],
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2024, 12, 31),
    },
]


def manifest(no: str, plate: str, received: date | None = date(2024, 5, 2), code: str = CODE_A) -> dict:
    return {
        "manifest_no": no,
        "facility_id": "W1",
        "ship_date": date(2024, 5, 1),
        "weight_t": 20.0,
        "vehicle_plate": plate,
        "carrier_name": "雄县顺达运输有限公司",
        "receiver_name": "河北绿源污泥处置有限公司" if code == CODE_A else "清源环境科技有限公司",
        "receiver_credit_code": code,
        "receive_date": received,
    }


def point(plate: str, ts: datetime, km_north: float, site: tuple[float, float] = SITE) -> dict:
    return {"vehicle_plate": plate, "ts": ts, "lon": site[0], "lat": site[1] + km_north / KM_PER_DEGREE_LAT}


MANIFESTS = [
    manifest("G1", "冀F·12345"),  # nearest in-window point 1.1 km: clue
    manifest("G2", "冀F-23456", date(2024, 5, 1)),  # 0.9 km
    manifest("G3", "冀F34567"),  # 0.9 km at 23:59:59 on the receive date
    manifest("G4", "冀F45678"),  # 0.9 km only at 00:00 the day after: clue
    manifest("G5", "冀F56789"),  # no points in the window
    manifest("G6", "冀F67890", None),  # not received: left to manifest_unclosed
    manifest("G7", "冀F78901", date(2024, 5, 1)),  # 0.5 km one minute before the ship date: clue
    manifest("G8", "冀F89012", code=CODE_B),  # the permitted site has no coordinates
]
GPS = [
    point("冀f 12345", datetime(2024, 5, 1, 10), 1.1),
    point("冀F12345", datetime(2024, 5, 3, 8), 0.5),
    point("冀F23456", datetime(2024, 5, 1, 11), 0.9),
    point("冀F34567", datetime(2024, 5, 2, 23, 59, 59), 0.9),
    point("冀F34567", datetime(2024, 5, 1, 9), 3.0),
    point("冀F45678", datetime(2024, 5, 3, 0, 0, 0), 0.9),
    point("冀F45678", datetime(2024, 5, 1, 9), 1.1),
    point("冀F56789", datetime(2024, 4, 30, 9), 0.1),
    point("冀F67890", datetime(2024, 5, 1, 9), 5.0),
    point("冀F78901", datetime(2024, 4, 30, 23, 59), 0.5),
    point("冀F78901", datetime(2024, 5, 1, 0, 0), 1.1),
    point("冀F89012", datetime(2024, 5, 1, 9), 30.0),
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("route"))
    lake.add("sewage_facilities", [facility("W1", supervisor_agency="雄县住房和城乡建设局")])
    lake.add("disposal_permits", PERMITS)
    lake.add("sludge_manifests", MANIFESTS)
    lake.add("vehicle_gps", GPS)
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_manifests_that_never_reached_the_site(found: dict) -> None:
    assert {(k, f.period) for k, f in found.items()} == {("G1", None), ("G4", None), ("G7", None)}


def test_clue_quotes_the_points_and_the_nearest_approach(found: dict) -> None:
    figures = ("gps_points", "min_distance_km", "nearest_ts")
    assert {k: tuple(f.details[x] for x in figures) for k, f in found.items()} == {
        "G1": (1, 1.1, "2024-05-01T10:00:00"),
        "G4": (1, 1.1, "2024-05-01T09:00:00"),
        "G7": (1, 1.1, "2024-05-01T00:00:00"),
    }
    clue = found["G1"]
    assert clue.related_ids == ("冀污泥处置〔2024〕1号",)
    assert [(e.dataset, e.row) for e in clue.evidence] == [
        ("sludge_manifests", 2),
        ("sewage_facilities", 2),
        ("disposal_permits", 2),
        ("vehicle_gps", 2),
    ]
    assert clue.severity == "medium"


def test_a_wider_radius_clears_them(lake: GoldenLake) -> None:
    assert lake.run(MODEL, as_of=AS_OF, params={"route_radius_km": 1.2}) == []
    found = lake.run(MODEL, as_of=AS_OF, params={"route_radius_km": 0.8})
    assert {f.subject_id for f in found} == {"G1", "G2", "G3", "G4", "G7"}
