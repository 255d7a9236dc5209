"""linkage.transfer_not_filed on a golden lake: judged at the as-of date, late-but-came is not a clue."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake

MODEL = "linkage.transfer_not_filed"
AS_OF = "2024-12-31"


def transfer(no: str, sent: str, accepted: str | None = None, decision: str | None = None, **extra) -> dict:
    return {
        "transfer_no": no,
        "agency": "雄安新区生态环境局",
        "party_name": "雄县某化工有限公司",
        "transfer_date": date.fromisoformat(sent),
        "receiving_police": "雄县公安局",
        "accepted_date": date.fromisoformat(accepted) if accepted else None,
        "filing_decision": decision,
        **extra,
    }


TRANSFERS = [
    transfer("NA-31", "2024-11-30"),  # 31 days without acceptance
    transfer("NA-30", "2024-12-01"),  # 30 days: not yet overdue
    transfer("ND-31", "2024-09-01", "2024-11-30", "pending", decision_no="雄安环罚〔2024〕5号"),
    transfer("ND-30", "2024-09-01", "2024-12-01"),  # accepted 30 days ago, no decision yet
    transfer("LATE-DECIDED", "2024-03-01", "2024-05-20", "filed", filing_date=date(2024, 9, 1)),
    transfer("LATE-ACCEPTED", "2024-03-01", "2024-06-01", "not_filed", filing_date=date(2024, 6, 2)),
    transfer("DECIDED-AFTER", "2024-03-01", "2024-03-05", "filed", filing_date=date(2025, 1, 10)),
    transfer("ACCEPTED-AFTER", "2024-10-01", "2025-01-05", receiving_police=None),
    transfer("SENT-AFTER", "2025-01-03"),
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict:
    lake = GoldenLake(tmp_path_factory.mktemp("transfer"))
    lake.add("case_transfers", TRANSFERS)
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_overdue_transfers(found: dict) -> None:
    assert set(found) == {"NA-31", "ND-31", "DECIDED-AFTER", "ACCEPTED-AFTER"}


def test_clue_says_which_step_is_overdue_and_for_how_long(found: dict) -> None:
    assert {k: (f.details["overdue_stage"], f.details["days_waiting"]) for k, f in found.items()} == {
        "NA-31": ("not_accepted", 31),
        "ND-31": ("not_decided", 31),
        "DECIDED-AFTER": ("not_decided", 301),
        "ACCEPTED-AFTER": ("not_accepted", 91),
    }
    assert found["ND-31"].related_ids == ("雄安环罚〔2024〕5号",)
    assert found["NA-31"].related_ids == ()
    assert found["NA-31"].target_agency == "雄县公安局"
    assert found["ACCEPTED-AFTER"].target_agency == "公安机关"
    assert (found["ACCEPTED-AFTER"].severity, found["NA-31"].severity) == ("high", "medium")
    assert [(e.dataset, e.row) for e in found["NA-31"].evidence] == [("case_transfers", 2)]
