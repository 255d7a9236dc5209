"""linkage.penalty_not_transferred on a golden lake: planted positives and the near misses beside them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "linkage.penalty_not_transferred"
DECIDED = date(2024, 3, 1)
AS_OF = "2024-12-31"


def penalty(no: int, party: str, facts: str, code: str | None = None, decided: date = DECIDED) -> dict:
    return {
        "decision_no": f"雄安环罚〔2024〕{no}号",
        "agency": "雄安新区生态环境局",
        "party_name": party,
        "party_credit_code": code,
        "decision_date": decided,
        "case_cause": "环境违法",
        "facts": facts,
        "fine_yuan": 100000.0,
    }


def transfer(no: str, party: str, days_after: int, decision_no: str | None = None) -> dict:
    return {
        "transfer_no": no,
        "agency": "雄安新区生态环境局",
        "decision_no": decision_no,
        "party_name": party,
        "transfer_date": DECIDED + timedelta(days=days_after),
        "receiving_police": "雄安新区公安局",
    }


PENALTIES = [
    penalty(1, "雄县一号化工有限公司", "当事人将废矿物油4.5吨倾倒于厂外沟渠。"),
    penalty(2, "雄县二号化工有限公司", "当事人将废矿物油2.9吨倾倒于厂外沟渠。"),
    penalty(3, "雄县三号化工有限公司", "当事人将危险废物10吨露天堆放于厂区，未采取防渗措施。"),
    penalty(4, "雄县四号电镀有限公司", "外排废水总铬超标3.5倍。"),
    penalty(5, "雄县五号电镀有限公司", "外排废水总铅超标2.9倍。"),
    penalty(6, "雄县六号食品有限公司", "外排废水化学需氧量超过排放标准3.2倍。"),
    penalty(7, "雄县七号电线有限公司", "当事人销售不合格电线，销售金额5万元。"),
    penalty(8, "雄县八号电线有限公司", "当事人销售不合格电线，销售金额4.9万元。"),
    penalty(9, "雄县九号化工有限公司", "当事人私设暗管将生产废水排入渗坑。"),
    penalty(10, "雄县十号化工有限公司", "当事人将废酸5吨倾倒于坑塘。"),  # transfer names it (bracket variant)
    penalty(11, "河北雄安绿源环保科技有限公司", "当事人将含铬污泥6吨填埋。"),  # variant name, 90 days after
    penalty(12, "雄县十二号化工有限公司", "当事人将废矿物油6吨倾倒。"),  # transfer 180 days before
    penalty(13, "雄县十三号化工有限公司", "当事人将废矿物油6吨倾倒。"),  # transfer 181 days before
    penalty(14, "雄县十四号化工有限公司", "当事人将废矿物油6吨倾倒。"),  # transfer 91 days after
    penalty(15, "雄县十五号化工有限公司", "当事人将废矿物油6吨倾倒。"),  # transfer after the as-of date
    penalty(16, "雄县十六号化工有限公司", "当事人将废矿物油6吨倾倒。", decided=date(2025, 2, 1)),
    penalty(17, "雄县十七号砂石有限公司", "当事人非法采砂1,200立方米，价值人民币15.6万元。"),
    penalty(19, "雄县十九号建材有限公司", "执法人员查获尚未销售的不合格防水卷材，货值金额15万元。"),
    penalty(20, "雄县二十号建材有限公司", "执法人员查获尚未销售的不合格防水卷材，货值金额14.9万元。"),
    penalty(21, "雄县二十一号砂石有限公司", "当事人未取得采矿许可证擅自采挖河砂，经评估价值人民币十万元。"),
    penalty(22, "雄县二十二号砂石有限公司", "当事人未取得采矿许可证擅自采挖河砂，经评估价值人民币9.9万元。"),
    penalty(23, "雄县二十三号物流有限公司", "当事人擅自占用永久基本农田5亩建设仓库。"),
    penalty(24, "雄县二十四号物流有限公司", "当事人擅自占用永久基本农田4.9亩建设仓库。"),
    penalty(25, "雄县二十五号物流有限公司", "当事人擅自占用一般耕地10亩堆放建材。"),
    penalty(26, "雄县二十六号物流有限公司", "当事人擅自占用一般耕地9.9亩堆放建材。"),
    penalty(27, "雄县二十七号电镀有限公司", "外排废水总锌超标10倍。"),
    penalty(28, "雄县二十八号电镀有限公司", "外排废水总镍超标9.9倍。"),
    penalty(
        18,
        "雄县十八号化工有限公司",
        "当事人使用自来水稀释水样，并将废矿物油3500公斤倾倒。",
        code="91130638MA0A000018",
    ),
]
TRANSFERS = [
    transfer("YS-10", "雄县十号化工有限公司", 300, decision_no="雄安环罚[2024]10号"),
    transfer("YS-11", "（雄安）绿源环保科技", 90),
    transfer("YS-12", "雄县十二号化工有限公司", -180),
    transfer("YS-13", "雄县十三号化工有限公司", -181),
    transfer("YS-14", "雄县十四号化工有限公司", 91),
    transfer("YS-15", "雄县十五号化工有限公司", 400),
    transfer("YS-99", "雄县无关化工有限公司", 10),
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    lake = GoldenLake(tmp_path_factory.mktemp("penalty"))
    lake.add("admin_penalties", PENALTIES)
    lake.add("case_transfers", TRANSFERS)
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_untransferred_penalties_over_a_threshold(found: dict) -> None:
    assert set(found) == {
        f"雄安环罚〔2024〕{n}号" for n in (1, 4, 7, 9, 13, 14, 15, 17, 18, 19, 21, 23, 25, 27)
    }


def test_clue_quotes_the_thresholds_and_addresses_the_agency(found: dict) -> None:
    clue = found["雄安环罚〔2024〕18号"]
    assert clue.details["criminal_thresholds"] == (
        "非法排放、倾倒、处置危险废物3.5吨；篡改、伪造自动监测数据或干扰自动监测设施"
    )
    assert clue.details["thresholds_count"] == 2
    assert clue.severity == "high"
    assert clue.target_agency == "雄安新区生态环境局"
    assert clue.period is None
    assert [(e.dataset, e.row) for e in clue.evidence] == [("admin_penalties", 29)]
    assert found["雄安环罚〔2024〕1号"].severity == "medium"
    assert found["雄安环罚〔2024〕17号"].details["mining_value_yuan"] == 156000.0


def test_a_lower_threshold_parameter_catches_the_near_miss(tmp_path) -> None:
    lake = GoldenLake(tmp_path)
    lake.add("admin_penalties", PENALTIES[1:2])
    lake.add("case_transfers", [])
    assert lake.run(MODEL, as_of=AS_OF) == []
    found = lake.run(MODEL, as_of=AS_OF, params={"hazardous_waste_t": 2.5})
    assert [f.subject_id for f in found] == ["雄安环罚〔2024〕2号"]
