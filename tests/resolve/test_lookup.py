"""entity_lookup without a stored resolution: credit code, else folded name."""

from __future__ import annotations

import duckdb

from jiancha.resolve import entity_lookup_table
from jiancha.resolve.credit_code import check_digit

CODE = "91130629MA0DCBXL6" + check_digit("91130629MA0DCBXL6")
TYPO = CODE[:12] + ("1" if CODE[12] != "1" else "2") + CODE[13:]
OTHER = "91130632MA0ABCDE1" + check_digit("91130632MA0ABCDE1")


def _lookup(path) -> dict[tuple[str, str | None], str]:
    with duckdb.connect(str(path), read_only=True) as con:
        table = entity_lookup_table(con)
    assert table.column_names == ["name", "credit_code", "entity_id"]
    return {(r["name"], r["credit_code"]): r["entity_id"] for r in table.to_pylist()}


def test_lookup_maps_variants_to_one_entity(make_lake) -> None:
    path = make_lake(
        {
            "business_registry": [
                {"credit_code": CODE, "name": "河北雄安绿源环保科技有限公司", "legal_rep": "张三"},
                {"credit_code": OTHER, "name": "雄县绿源环保科技有限公司", "legal_rep": "李四"},
            ],
            "admin_penalties": [
                {
                    "decision_no": "雄环罚〔2024〕1号",
                    "agency": "生态环境局",
                    "party_name": "绿源环保（雄安）",
                    "party_credit_code": TYPO,
                    "decision_date": "2024-03-01",
                },
                {
                    "decision_no": "雄环罚〔2024〕2号",
                    "agency": "生态环境局",
                    "party_name": "张 三",
                    "party_id_no": "130638199001011234",
                    "decision_date": "2024-03-02",
                },
            ],
            "criminal_cases": [
                {
                    "case_no": "A1",
                    "charge": "盗窃罪",
                    "occurred_at": "2024-01-01 10:00",
                    "fence_name": "（雄安）绿源环保科技有限公司",
                    "suspect_names": ["王五", "张三"],
                },
            ],
        }
    )
    lookup = _lookup(path)
    assert lookup == {
        ("河北雄安绿源环保科技有限公司", CODE): f"code:{CODE}",
        ("绿源环保（雄安）", TYPO): f"code:{CODE}",  # typo corrected to the code seen in the registry
        ("雄县绿源环保科技有限公司", OTHER): f"code:{OTHER}",  # same folded name, a different valid code
        # folded name 绿源环保科技 is seen with two codes, so a name-only mention stays its own entity
        ("（雄安）绿源环保科技有限公司", None): "name:绿源环保科技",
        ("张三", None): "name:张三",
        ("张 三", None): "name:张三",
        ("王五", None): "name:王五",
        ("李四", None): "name:李四",
    }


def test_name_only_mention_joins_its_single_code(make_lake) -> None:
    path = make_lake(
        {
            "disposal_permits": [
                {
                    "receiver_credit_code": CODE,
                    "receiver_name": "雄安清源污泥处置有限公司",
                    "permit_no": "P1",
                    "valid_from": "2024-01-01",
                    "valid_to": "2026-12-31",
                },
            ],
            "sludge_manifests": [
                {
                    "manifest_no": "M1",
                    "facility_id": "F1",
                    "ship_date": "2024-05-01",
                    "weight_t": 3.0,
                    "receiver_name": "清源污泥处置公司",
                    "carrier_name": "雄县顺达运输有限公司",
                },
            ],
        }
    )
    assert _lookup(path) == {
        ("雄安清源污泥处置有限公司", CODE): f"code:{CODE}",
        ("清源污泥处置公司", None): f"code:{CODE}",
        ("雄县顺达运输有限公司", None): "name:顺达运输",
    }


def test_empty_lake_gives_empty_table(tmp_path) -> None:
    path = tmp_path / "lake.duckdb"
    duckdb.connect(str(path)).close()
    assert _lookup(path) == {}
