"""water.effluent_exceedance_unenforced golden test: limits by standard, flag N only, the 90-day window."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake
from jiancha.resolve.credit_code import check_digit

MODEL = "water.effluent_exceedance_unenforced"
AS_OF = "2024-09-30"


def credit_code(first: str) -> str:
    body = first.ljust(17, "0")
    return body + check_digit(body)


CODE_F3, CODE_F4, CODE_F10 = (credit_code(f"91130632MA0{c}") for c in "BCD")


def day(
    facility_id: str, when: date, cod: float | None = 30.0, flag: str = "N", **values: float | None
) -> dict:
    return {
        "facility_id": facility_id,
        "date": when,
        "flow_m3": 800.0,
        "cod_mgl": cod,
        "nh3n_mgl": 1.0,
        "tp_mgl": 0.2,
        "tn_mgl": 8.0,
        "data_flag": flag,
        **values,
    }


def march(facility_id: str, cod: float, days: tuple[int, ...] = (5, 6, 7)) -> list[dict]:
    return [day(facility_id, date(2024, 3, d), cod) for d in days]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("effluent"))
    lake.add(
        "sewage_facilities",
        [
            facility("F1"),  # 3 exceeding days, one by TN only: clue
            facility("F2"),  # 2 exceeding N days, a third flagged S: no clue
            facility("F3", operator_credit_code=CODE_F3),  # penalised on day 90: no clue
            facility("F4", operator_credit_code=CODE_F4),  # penalised on day 91: clue
            facility("F5"),  # exceeding in July: 90 days not yet passed by the as-of date
            facility("F6", discharge_standard="ＧＢ18918-2002　 一级ａ"),  # width and spaces folded: clue
            facility("F7", discharge_standard="GB3838-2002 III类"),  # standard not in the table: skipped
            facility(
                "F8", discharge_standard="DB13/2795-2018 核心控制区", operator_name="辛环保科技有限公司"
            ),
            facility("F9", discharge_standard=None),
            facility("F10", operator_credit_code=f" {CODE_F10} "),  # penalised under a short name, no code
        ],
    )
    lake.add(
        "effluent_daily",
        [
            day("F1", date(2024, 3, 5), 60.0),
            day("F1", date(2024, 3, 6), 51.0),
            day("F1", date(2024, 3, 7), 50.0),  # exactly at the limit: not exceeding
            day("F1", date(2024, 3, 31), 30.0, tn_mgl=15.5),
            day("F2", date(2024, 3, 5), 60.0),
            day("F2", date(2024, 3, 6), 60.0),
            day("F2", date(2024, 3, 7), 60.0, "S"),
            day("F2", date(2024, 3, 8), None, nh3n_mgl=5.0),  # at the NH3-N limit, COD missing
            *march("F3", 70.0),
            *march("F4", 70.0),
            *[day("F5", date(2024, 7, d), 70.0) for d in (10, 11, 12)],
            *march("F6", 70.0),
            *march("F7", 700.0),
            *[day("F8", date(2024, 4, d), 25.0) for d in (1, 2, 3)],  # core zone COD 20, penalised by name
            day("F8", date(2024, 5, 1), tp_mgl=0.21),
            *march("F9", 700.0),
            *march("F10", 70.0),
        ],
    )
    lake.add(
        "admin_penalties",
        [
            {
                "decision_no": "雄安环罚〔2024〕3号",
                "agency": "雄安新区生态环境局",
                "party_name": "F3水务公司",
                "party_credit_code": CODE_F3,
                "decision_date": date(2024, 6, 3),
            },
            {
                "decision_no": "雄安环罚〔2024〕4号",
                "agency": "雄安新区生态环境局",
                "party_name": "F4水务有限公司",
                "party_credit_code": CODE_F4,
                "decision_date": date(2024, 6, 4),
            },
            {
                "decision_no": "安建罚〔2024〕8号",
                "agency": "安新县住房和城乡建设局",
                "party_name": "（雄安）辛环保科技有限公司",
                "decision_date": date(2024, 4, 2),
            },
            {
                "decision_no": "雄安环罚〔2024〕10号",
                "agency": "雄安新区生态环境局",
                "party_name": "F10水务公司",
                "decision_date": date(2024, 5, 6),
            },
        ],
    )
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {(f.subject_id, f.period): f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_unenforced_months(found: dict) -> None:
    assert set(found) == {("F1", "2024-03"), ("F4", "2024-03"), ("F6", "2024-03")}


def test_clue_quotes_days_maxima_and_ratio(found: dict) -> None:
    clue = found[("F1", "2024-03")]
    assert clue.related_ids == ("F1@2024-03-05", "F1@2024-03-06", "F1@2024-03-31")
    assert {
        k: clue.details[k]
        for k in ("exceed_days", "first_exceed_date", "max_cod_mgl", "max_tn_mgl", "max_exceed_ratio")
    } == {
        "exceed_days": 3,
        "first_exceed_date": "2024-03-05",
        "max_cod_mgl": 60.0,
        "max_tn_mgl": 15.5,
        "max_exceed_ratio": 1.2,
    }
    assert clue.target_agency == "雄安新区生态环境局"
    assert clue.severity == "medium"
    assert [(e.dataset, e.row) for e in clue.evidence] == [
        ("sewage_facilities", 2),
        ("effluent_daily", 2),
        ("effluent_daily", 3),
        ("effluent_daily", 5),
    ]


def test_fewer_days_move_the_threshold(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of=AS_OF, params={"min_exceed_days": 2})
    assert {(f.subject_id, f.period) for f in found} == {
        ("F1", "2024-03"),
        ("F2", "2024-03"),
        ("F4", "2024-03"),
        ("F6", "2024-03"),
    }


def test_a_longer_window_takes_in_the_late_penalty(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of="2024-12-31", params={"penalty_window_days": 91})
    assert {(f.subject_id, f.period) for f in found} == {
        ("F1", "2024-03"),
        ("F5", "2024-07"),
        ("F6", "2024-03"),
    }


def test_window_not_yet_passed_holds_the_clue_back(lake: GoldenLake) -> None:
    found = lake.run(MODEL, as_of="2024-06-02")
    assert {(f.subject_id, f.period) for f in found} == set()
    found = lake.run(MODEL, as_of="2024-06-03")
    assert {(f.subject_id, f.period) for f in found} == {
        ("F1", "2024-03"),
        ("F4", "2024-03"),
        ("F6", "2024-03"),
    }


def test_facilities_without_a_known_standard_are_reported_as_skipped(lake: GoldenLake) -> None:
    lake.run(MODEL, as_of=AS_OF)
    assert [(s.subject_id, s.reason) for s in lake.last_record.skipped_subjects] == [
        ("F7", "执行标准“GB3838-2002 III类”不在排放标准参考表中"),
        ("F9", "执行标准为空"),
    ]
