"""water.sludge_receiver_unqualified golden test: code before name, valid on the ship date, method covered."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.models.testing import GoldenLake
from jiancha.resolve.credit_code import check_digit

MODEL = "water.sludge_receiver_unqualified"
AS_OF = "2024-12-31"


def credit_code(first: str) -> str:
    body = first.ljust(17, "0")
    return body + check_digit(body)


CODE_A, CODE_B, CODE_C, CODE_X = (credit_code(f"91130600MA0{s}") for s in ("AA", "BB", "CC", "XX"))

PERMITS = [
    {
        "receiver_credit_code": CODE_A,
        "receiver_name": "河北绿源污泥处置有限公司",
        "permit_no": "冀污泥处置〔2024〕1号",
        "methods": ["incineration", "landfill"],
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2024, 12, 31),
    },
    {
        "receiver_credit_code": CODE_B,
        "receiver_name": "清源环境科技有限公司",
        "permit_no": "冀污泥处置〔2023〕2号",
        "methods": ["compost"],
        "valid_from": date(2023, 1, 1),
        "valid_to": date(2024, 3, 31),
    },
    {
        "receiver_credit_code": CODE_C,
        "receiver_name": "禾丰生物肥料有限公司",
        "permit_no": "冀污泥处置〔2024〕3号",
        "methods": ["compost", "land_use"],
        "valid_from": date(2024, 1, 1),
        "valid_to": date(2025, 12, 31),
    },
]


def manifest(no: str, shipped: date, receiver: str, code: str | None, method: str | None) -> dict:
    return {
        "manifest_no": no,
        "facility_id": "W1",
        "ship_date": shipped,
        "weight_t": 20.0,
        "receiver_name": receiver,
        "receiver_credit_code": code,
        "disposal_method": method,
    }


MAY = date(2024, 5, 1)
MANIFESTS = [
    manifest("R01", MAY, "河北绿源污泥处置有限公司", CODE_A, "incineration"),  # qualified
    manifest("R02", MAY, "河北绿源污泥处置有限公司", CODE_A, "land_use"),  # method not covered
    manifest("R03", date(2024, 4, 1), "清源环境科技有限公司", CODE_B, "compost"),  # expired the day before
    manifest("R04", date(2024, 3, 31), "清源环境科技有限公司", CODE_B, "compost"),  # last valid day
    manifest("R05", MAY, "禾丰生物肥料有限公司", None, "compost"),  # no code: matched by name
    manifest("R06", MAY, "某某农业专业合作社", None, "land_use"),  # no permit at all
    manifest("R07", MAY, "绿源公司", CODE_A, "incineration"),  # the code decides, not the short name
    manifest("R08", MAY, "（雄安）绿源污泥处置有限公司", None, "landfill"),  # a name variant without code
    manifest("R09", MAY, "河北绿源污泥处置有限公司", None, None),  # no method: validity only
    manifest("R10", date(2025, 1, 2), "某某农业专业合作社", None, "land_use"),  # after the as-of date
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, facility) -> GoldenLake:
    lake = GoldenLake(tmp_path_factory.mktemp("receiver"))
    lake.add("sewage_facilities", [facility("W1", supervisor_agency="雄县住房和城乡建设局", county="雄县")])
    lake.add("disposal_permits", PERMITS)
    lake.add("sludge_manifests", MANIFESTS)
    return lake


@pytest.fixture(scope="module")
def found(lake: GoldenLake) -> dict:
    return {f.subject_id: f for f in lake.run(MODEL, as_of=AS_OF)}


def test_raises_exactly_the_unqualified_manifests(found: dict) -> None:
    assert {(k, f.period) for k, f in found.items()} == {("R02", None), ("R03", None), ("R06", None)}


def test_clue_names_the_reason_and_the_permits(found: dict) -> None:
    assert {k: (f.details["reason"], f.related_ids, f.severity) for k, f in found.items()} == {
        "R02": ("接收单位资质不含该处置方式", ("冀污泥处置〔2024〕1号",), "medium"),
        "R03": ("转移日接收单位资质不在有效期内", ("冀污泥处置〔2023〕2号",), "medium"),
        "R06": ("接收单位无污泥处置资质", (), "high"),
    }
    clue = found["R03"]
    assert clue.details["latest_valid_to"] == "2024-03-31"
    assert clue.target_agency == "雄县住房和城乡建设局"
    assert [(e.dataset, e.row) for e in clue.evidence] == [
        ("sludge_manifests", 4),
        ("sewage_facilities", 2),
        ("disposal_permits", 3),
    ]


def test_a_code_no_permit_carries_falls_back_to_the_name(tmp_path, facility) -> None:
    lake = GoldenLake(tmp_path)
    lake.add("sewage_facilities", [facility("W1")])
    lake.add("disposal_permits", PERMITS)
    lake.add(
        "sludge_manifests",
        [
            manifest("X1", MAY, "河北绿源污泥处置有限公司", CODE_X, "landfill"),  # same name, other code
            manifest("X2", MAY, "清源环境科技有限公司", CODE_X, "compost"),  # name match, permit expired
        ],
    )
    assert [f.subject_id for f in lake.run(MODEL, as_of=AS_OF)] == ["X2"]
