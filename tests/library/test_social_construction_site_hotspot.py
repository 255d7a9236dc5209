"""social.construction_site_hotspot on a golden lake: 4 vs 5 cases, the median rule, the partial quarter."""

from __future__ import annotations

from datetime import date, datetime
from itertools import count

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "social.construction_site_hotspot"
AS_OF = "2024-11-15"
LAT = 39.0
METRES_PER_DEGREE_LAT = 6371000 * 3.141592653589793 / 180
_case_numbers = count(1)


def site(site_id: str, lon: float, start: date | None = date(2024, 1, 1), **extra) -> dict:
    return {
        "site_id": site_id,
        "name": f"{site_id}项目",
        "contractor_name": f"{site_id}建设有限公司",
        "supervisor_agency": "雄安新区建设和交通管理局",
        "lon": lon,
        "lat": LAT,
        "start_date": start,
        **extra,
    }


SITE_LON = {"A": 116.0, "B": 116.1, "C": 116.2, "D": 116.3, "E": 116.4, "F": 116.5, "G": 116.6}
SITES = [
    site("A", SITE_LON["A"]),
    site("B", SITE_LON["B"]),
    site("C", SITE_LON["C"]),
    site("D", SITE_LON["D"]),
    site("E", SITE_LON["E"], radius_m=500.0),
    site("F", SITE_LON["F"], start=date(2024, 11, 20)),  # starts after the as-of date
    site("G", SITE_LON["G"], start=None, end_date=date(2024, 3, 31)),
]


def cases(near: str, n: int, when: str, metres: float = 100.0, article: int = 264, **extra) -> list[dict]:
    """``n`` cases ``metres`` north of site ``near`` on day ``when``."""
    return [
        {
            "case_no": f"X{next(_case_numbers):03d}",
            "charge": {264: "盗窃罪", 234: "故意伤害罪", 312: "掩饰、隐瞒犯罪所得罪"}[article],
            "charge_article": article,
            "occurred_at": datetime.fromisoformat(f"{when}T21:00:00"),
            "lon": SITE_LON[near],
            "lat": LAT + metres / METRES_PER_DEGREE_LAT,
            "county": "容城县",
            "stage": "filed",
            **extra,
        }
        for _ in range(n)
    ]


CASES = [
    # 2024-Q1: A has 4 (3 thefts + 1 injury, a concealment case not counted), B has 5 (one dropped).
    *cases("A", 3, "2024-02-01"),
    *cases("A", 1, "2024-02-02", article=234),
    *cases("A", 1, "2024-02-03", article=312),
    *cases("B", 4, "2024-03-01"),
    *cases("B", 1, "2024-03-02", stage="dropped"),
    # 2024-Q2: A has 5 but the median is 2, so 3 x 2 = 6 is not reached; G has ended.
    *cases("A", 5, "2024-05-01"),
    *cases("B", 2, "2024-05-01"),
    *cases("C", 2, "2024-05-01"),
    *cases("D", 2, "2024-05-01"),
    *cases("G", 5, "2024-05-01"),
    # 2024-Q3: A has 6 within 300 m (a seventh at 310 m is outside), median 2: 6 >= 6.
    *cases("A", 6, "2024-08-01"),
    *cases("A", 1, "2024-08-01", metres=310.0),
    *cases("B", 2, "2024-08-01"),
    *cases("C", 2, "2024-08-01"),
    *cases("D", 2, "2024-08-01"),
    # 2024-Q4 up to the as-of date: C has 5 (a sixth comes after it), E 5 at 400 m within its 500 m,
    # F is not yet started.
    *cases("C", 5, "2024-10-10"),
    *cases("C", 1, "2024-11-20"),
    *cases("E", 3, "2024-10-10", metres=400.0),
    *cases("E", 2, "2024-11-15", metres=400.0, article=234),
    *cases("F", 5, "2024-10-10"),
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    lake = GoldenLake(tmp_path_factory.mktemp("hotspot"))
    lake.add("construction_sites", SITES)
    lake.add("criminal_cases", CASES)
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_hotspot_site_quarters(found: dict) -> None:
    assert set(found) == {("B", "2024-Q1"), ("A", "2024-Q3"), ("C", "2024-Q4"), ("E", "2024-Q4")}


def test_clue_counts_cases_against_the_quarter_median(found: dict) -> None:
    clue = found[("A", "2024-Q3")]
    assert {k: clue.details[k] for k in ("case_count", "theft_count", "injury_count", "median_count")} == {
        "case_count": 6,
        "theft_count": 6,
        "injury_count": 0,
        "median_count": 2.0,
    }
    assert clue.details["active_sites"] == 5
    assert clue.related_ids == tuple(f"X{n:03d}" for n in range(27, 33))
    assert clue.target_agency == "雄安新区建设和交通管理局、A建设有限公司"
    assert (clue.location.lon, clue.location.lat) == (116.0, 39.0)
    assert clue.evidence[0].dataset == "construction_sites" and len(clue.evidence) == 7
    assert found[("E", "2024-Q4")].details["injury_count"] == 2
    assert (found[("E", "2024-Q4")].severity, clue.severity) == ("high", "medium")
    assert found[("C", "2024-Q4")].details["active_sites"] == 5


def test_a_higher_minimum_leaves_only_the_larger_cluster(tmp_path) -> None:
    lake = GoldenLake(tmp_path)
    lake.add("construction_sites", SITES)
    lake.add("criminal_cases", CASES)
    found = lake.run(MODEL, as_of=AS_OF, params={"min_cases": 6})
    assert {(f.subject_id, f.period) for f in found} == {("A", "2024-Q3")}
