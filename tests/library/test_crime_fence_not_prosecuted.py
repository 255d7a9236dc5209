"""crime.fence_not_prosecuted on a golden lake: the window edges, name variants and dropped thefts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "crime.fence_not_prosecuted"
AS_OF = "2025-06-30"
DAY0 = datetime(2024, 3, 1, 22, 30)


def theft(no: str, fence: str | None, stage: str = "filed", article: int | None = 264, **extra) -> dict:
    return {
        "case_no": no,
        "charge": "盗窃罪",
        "charge_article": article,
        "occurred_at": DAY0,
        "lon": 116.05,
        "lat": 39.04,
        "county": "雄县",
        "loss_yuan": 8000.0,
        "goods_category": "电缆",
        "fence_name": fence,
        "suspect_names": ["刘某"],
        "stage": stage,
        **extra,
    }


def concealment(no: str, suspects: list[str], days: int, stage: str = "investigating") -> dict:
    return {
        "case_no": no,
        "charge": "掩饰、隐瞒犯罪所得罪",
        "charge_article": 312,
        "occurred_at": DAY0 + timedelta(days=days),
        "suspect_names": suspects,
        "stage": stage,
    }


CASES = [
    theft("T-VARIANT", "老王废品收购站"),
    concealment("D-VARIANT", ["张三", "（雄县）老王废品收购站"], 200),
    theft("T-366", "李四废品站"),
    concealment("D-366", ["李四废品站"], 366),
    theft("T-365", "赵五回收点"),
    concealment("D-365", ["赵五回收点"], 365),
    theft("T-BEFORE-30", "孙六收购站"),
    concealment("D-BEFORE-30", ["孙六收购站"], -30),
    theft("T-BEFORE-31", "周七收购站"),
    concealment("D-BEFORE-31", ["周七收购站"], -31),
    theft("T-AFTER-ASOF", "吴八废品站", occurred_at=datetime(2025, 3, 1, 9, 0)),
    concealment("D-AFTER-ASOF", ["吴八废品站"], 500),  # 2025-07-14: within 365 days, after the as-of date
    theft("T-DROPPED", "钱九废品站", stage="dropped"),
    theft("T-NO-FENCE", None),
    theft("T-312-DROPPED", "郑十废品站"),
    concealment("D-312-DROPPED", ["郑十废品站"], 60, stage="dropped"),
    theft("T-NO-ARTICLE", "冯一收购站", article=None, loss_yuan=50000.0),
    theft("T-SAME-FENCE", "冯一收购站"),
    {**theft("I-INJURY", "陈二收购站", article=234), "charge": "故意伤害罪"},
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    lake = GoldenLake(tmp_path_factory.mktemp("fence"))
    lake.add("criminal_cases", CASES)
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_thefts_whose_fence_was_not_prosecuted(found: dict) -> None:
    assert set(found) == {"T-366", "T-BEFORE-31", "T-AFTER-ASOF", "T-NO-ARTICLE", "T-SAME-FENCE"}


def test_clue_is_addressed_to_the_county_police_with_the_case_location(found: dict) -> None:
    clue = found["T-366"]
    assert (clue.target_agency, clue.location.county, clue.location.lon) == ("雄县公安局", "雄县", 116.05)
    assert clue.details["fence_name"] == "李四废品站"
    assert [(e.dataset, e.row) for e in clue.evidence] == [("criminal_cases", 4)]
    assert clue.severity == "medium"
    assert (found["T-NO-ARTICLE"].severity, found["T-SAME-FENCE"].severity) == ("high", "high")
    assert found["T-SAME-FENCE"].details["fence_theft_count"] == 2


def test_the_window_ends_at_the_as_of_date(tmp_path) -> None:
    lake = GoldenLake(tmp_path)
    lake.add("criminal_cases", [theft("T", "李四废品站"), concealment("D", ["李四废品站"], 100)])
    assert [f.subject_id for f in lake.run(MODEL, as_of=(DAY0 + timedelta(days=99)).date())] == ["T"]
    assert lake.run(MODEL, as_of=(DAY0 + timedelta(days=100)).date()) == []
