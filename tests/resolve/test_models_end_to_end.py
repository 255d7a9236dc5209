"""A model sees one buyer under different names once ``jiancha resolve`` has run."""

from __future__ import annotations

from datetime import datetime

from jiancha.lake import connect
from jiancha.models.testing import GoldenLake
from jiancha.resolve.credit_code import check_digit
from jiancha.resolve.service import resolve_lake

MODEL = "crime.fence_not_prosecuted"
CODE = "91130632MA0XW0001" + check_digit("91130632MA0XW0001")


def _case(no: str, article: int, charge: str, on: datetime, **fields) -> dict:
    return {
        "case_no": no,
        "charge": charge,
        "charge_article": article,
        "occurred_at": on,
        "stage": "filed",
        **fields,
    }


def _lake(folder) -> GoldenLake:
    lake = GoldenLake(folder)
    lake.add(
        "business_registry",
        [{"credit_code": CODE, "name": "安新县鑫旺再生资源回收有限公司", "status": "存续"}],
    )
    lake.add(
        "criminal_cases",
        [
            # the thief names the buyer by a shortened name ...
            _case(
                "T1", 264, "盗窃罪", datetime(2024, 3, 1, 22, 0), fence_name="鑫旺回收", goods_category="电缆"
            ),
            # ... the concealment case names it in full, with its county prefix
            _case(
                "D1",
                312,
                "掩饰、隐瞒犯罪所得罪",
                datetime(2024, 5, 1, 9, 0),
                suspect_names=["安新县鑫旺再生资源回收有限公司"],
            ),
            # a buyer nobody prosecuted: a clue either way
            _case(
                "T2",
                264,
                "盗窃罪",
                datetime(2024, 3, 2, 22, 0),
                fence_name="老李废品站",
                goods_category="钢筋",
            ),
        ],
    )
    return lake


def test_fence_variant_counts_as_prosecuted_after_resolution(tmp_path) -> None:
    lake = _lake(tmp_path)
    before = lake.run(MODEL, as_of="2025-06-30")
    # the deterministic lookup folds names but cannot see 鑫旺回收 as 鑫旺再生资源回收
    assert sorted(f.subject_id for f in before) == ["T1", "T2"]

    with connect(lake.path, read_only=False) as con:
        resolve_lake(con, user="tester")
        assert con.execute(
            "SELECT name, entity_id FROM _entity_members WHERE dataset = 'criminal_cases' ORDER BY name"
        ).fetchall() == [
            ("安新县鑫旺再生资源回收有限公司", f"code:{CODE}"),
            ("老李废品站", "name:老李废品站"),
            ("鑫旺回收", f"code:{CODE}"),
        ]
    after = lake.run(MODEL, as_of="2025-06-30")
    assert [f.subject_id for f in after] == ["T2"]
    assert after[0].details["fence_name"] == "老李废品站"
