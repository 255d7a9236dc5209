"""crime.unlicensed_scrap_dealer on a golden lake: each reason alone, and the near misses beside it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiancha.models.testing import GoldenLake
from jiancha.resolve.credit_code import check_digit

MODEL = "crime.unlicensed_scrap_dealer"
AS_OF = "2024-12-31"
SITE_LON, SITE_LAT = 116.0, 39.0
METRES_PER_DEGREE_LAT = 6371000 * 3.141592653589793 / 180


def code(n: int) -> str:
    first17 = f"9113063{n:010d}"
    return first17 + check_digit(first17)


def north_of_site(metres: float, lon: float = SITE_LON) -> dict:
    return {"lon": lon, "lat": SITE_LAT + metres / METRES_PER_DEGREE_LAT}


def event(event_id: str, name: str, where: dict | None = None, seen: str = "2024-06-01", **extra) -> dict:
    return {
        "event_id": event_id,
        "reported_at": datetime.fromisoformat(f"{seen}T10:00:00"),
        "category": "废品收购点",
        "subject_name": name,
        **(where or {"lon": 115.90, "lat": 38.90}),
        **extra,
    }


#: Dealers with a registration in 存续 and a commerce filing: (name, code number).
LICENSED = {
    "河北雄安鑫达再生资源回收有限公司": 1,
    "金利再生资源有限公司": 4,
    "宏达回收有限公司": 5,
    "永兴回收有限公司": 6,
    "富源回收有限公司": 7,
    "恒通回收有限公司": 8,
    "近工地甲回收有限公司": 9,
    "近工地乙回收有限公司": 10,
    "旧工地回收有限公司": 11,
    "新工地回收有限公司": 12,
}
REGISTRY = [
    {"credit_code": code(n), "name": name, "status": "存续", "established_date": date(2020, 1, 1)}
    for name, n in LICENSED.items()
] + [
    {"credit_code": code(2), "name": "顺发物资回收有限公司", "status": "存续"},
    {"credit_code": code(3), "name": "利民废品回收有限公司", "status": "注销"},
]
COMMERCE = [
    {"credit_code": code(n), "name": name, "filing_date": date(2020, 2, 1)} for name, n in LICENSED.items()
] + [{"credit_code": code(3), "name": "利民废品回收有限公司", "filing_date": date(2020, 2, 1)}]
POLICE = [
    {"credit_code": code(5), "name": "宏达回收有限公司", "filing_date": date(2024, 12, 31)},
    {"credit_code": code(6), "name": "永兴回收有限公司", "filing_date": date(2025, 1, 1)},
]
EVENTS = [
    event("E01", "鑫达再生资源回收"),  # licensed under a variant of its name
    event("E02", "老王废品收购站"),  # unregistered: three sightings, one clue
    event("E03", "老王废品收购站", seen="2024-07-01"),
    event("E04", "雄县老王废品收购站", seen="2024-08-01"),
    event("E05", "顺发物资回收有限公司"),  # no commerce filing
    event("E06", "利民废品回收"),  # registration cancelled
    event("E07", "金利再生资源"),  # buys stolen cable, no police filing
    event("E08", "宏达回收"),  # same, police filing on the as-of date
    event("E09", "永兴回收"),  # same, police filing after the as-of date
    event("E10", "富源回收"),  # named in a dropped theft only
    event("E11", "恒通回收"),  # named as buyer of building materials, not scrap metal
    event("E12", "近工地甲回收", north_of_site(490)),
    event("E13", "近工地乙回收", north_of_site(510)),
    event("E14", "旧工地回收", north_of_site(100, lon=116.1)),  # the site ended before the sighting
    event("E15", "新工地回收", north_of_site(100, lon=116.2)),  # the site starts after the sighting
    event("E16", "路边摊", category="占道经营"),
    event("E17", "张记废品站", seen="2025-01-02"),  # after the as-of date
]
SITES = [
    {
        "site_id": "S-ACTIVE",
        "name": "容东安置房",
        "lon": SITE_LON,
        "lat": SITE_LAT,
        "start_date": date(2024, 1, 1),
    },
    {
        "site_id": "S-ENDED",
        "name": "旧项目",
        "lon": 116.1,
        "lat": SITE_LAT,
        "start_date": date(2022, 1, 1),
        "end_date": date(2024, 5, 31),
    },
    {"site_id": "S-LATER", "name": "新项目", "lon": 116.2, "lat": SITE_LAT, "start_date": date(2024, 6, 2)},
]


def theft(case_no: str, fence: str, goods: str = "电缆", stage: str = "investigating") -> dict:
    return {
        "case_no": case_no,
        "charge": "盗窃罪",
        "charge_article": 264,
        "occurred_at": datetime(2024, 5, 1, 23, 0),
        "goods_category": goods,
        "fence_name": fence,
        "stage": stage,
    }


THEFTS = [
    theft("C1", "金利再生资源有限公司"),
    theft("C2", "金利再生资源", goods="钢筋"),
    theft("C3", "宏达回收有限公司"),
    theft("C4", "永兴回收有限公司", goods="废旧金属"),
    theft("C5", "富源回收有限公司", stage="dropped"),
    theft("C6", "恒通回收有限公司", goods="建材"),
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    lake = GoldenLake(tmp_path_factory.mktemp("dealer"))
    lake.add("business_registry", REGISTRY)
    lake.add("scrap_dealer_filings", COMMERCE)
    lake.add("police_scrap_filings", POLICE)
    lake.add("grid_events", EVENTS)
    lake.add("construction_sites", SITES)
    lake.add("criminal_cases", THEFTS)
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_one_clue_per_offending_dealer_with_all_its_sightings(found: dict) -> None:
    assert {k: f.related_ids for k, f in found.items()} == {
        "E02": ("E02", "E03", "E04"),
        "E05": ("E05",),
        "E06": ("E06",),
        "E07": ("E07",),
        "E09": ("E09",),
        "E12": ("E12",),
    }


def test_each_clue_names_its_reasons_and_addressees(found: dict) -> None:
    assert {k: f.details["reasons"] for k, f in found.items()} == {
        "E02": "无存续的市场主体登记；未办理再生资源回收经营者备案",
        "E05": "未办理再生资源回收经营者备案",
        "E06": "无存续的市场主体登记",
        "E07": "收购盗窃所得生产性废旧金属且未办理公安备案",
        "E09": "收购盗窃所得生产性废旧金属且未办理公安备案",
        "E12": "在施工工地附近设点收购",
    }
    assert found["E02"].target_agency == "市场监督管理部门、商务主管部门"
    assert found["E07"].target_agency == "公安机关"
    assert found["E07"].details["scrap_theft_cases"] == ["C1", "C2"]
    assert (found["E12"].details["near_sites"], found["E12"].details["nearest_site_m"]) == (
        ["S-ACTIVE"],
        490.0,
    )
    assert (found["E02"].severity, found["E07"].severity, found["E12"].severity) == ("medium", "high", "high")
    assert [(e.dataset, e.row) for e in found["E07"].evidence] == [
        ("grid_events", 8),
        ("criminal_cases", 2),
        ("criminal_cases", 3),
    ]
