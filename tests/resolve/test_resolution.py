"""``jiancha resolve`` end to end on a small lake: Splink entities, manual decisions, the lookup."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from jiancha.resolve import entity_lookup_table, store
from jiancha.resolve.credit_code import check_digit
from jiancha.resolve.service import resolve_lake

CODE = "91130629MA0DCBXL6" + check_digit("91130629MA0DCBXL6")
TYPO = CODE[:12] + ("1" if CODE[12] != "1" else "2") + CODE[13:]
SCRAP = "91130638MA0QQ1234" + check_digit("91130638MA0QQ1234")

ROWS = {
    "business_registry": [
        {"credit_code": CODE, "name": "河北雄安绿源环保科技有限公司", "legal_rep": "张三", "status": "存续"},
        {
            "credit_code": SCRAP,
            "name": "安新县鑫旺再生资源回收有限公司",
            "legal_rep": "王五",
            "status": "存续",
        },
    ],
    "admin_penalties": [
        {
            "decision_no": "雄环罚〔2024〕1号",
            "agency": "生态环境局",
            "party_name": "绿源环保（雄安）",
            "party_credit_code": TYPO,
            "decision_date": "2024-03-01",
        },
    ],
    "criminal_cases": [
        {
            "case_no": "A1",
            "charge": "盗窃罪",
            "charge_article": 264,
            "occurred_at": "2024-01-01 10:00",
            "fence_name": "鑫旺回收",
            "suspect_names": ["赵六"],
            "stage": "filed",
        },
        {
            "case_no": "A2",
            "charge": "掩饰、隐瞒犯罪所得罪",
            "charge_article": 312,
            "occurred_at": "2024-02-01 10:00",
            "suspect_names": ["鑫旺再生资源回收"],
            "stage": "filed",
        },
    ],
    "grid_events": [
        {
            "event_id": "G1",
            "reported_at": "2024-01-05 09:00",
            "category": "废品收购点",
            "subject_name": "（雄安）绿源环保科技",
        },
    ],
}


def _lookup(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str | None], str]:
    return {(r["name"], r["credit_code"]): r["entity_id"] for r in entity_lookup_table(con).to_pylist()}


@pytest.fixture
def lake(make_lake) -> Path:
    return make_lake(ROWS)


def _decide(con, action: str, name: str, other: str | None = None, when: str = "2030-01-01 00:00:00"):
    from datetime import datetime

    store.add_decision(
        con,
        store.Decision(
            decision_id=f"{action}-{name}",
            action=action,
            name=name,
            credit_code=None,
            other_name=other,
            other_credit_code=None,
            reason="核实营业执照",
            decided_by="检察官甲",
            decided_at=datetime.fromisoformat(when),
        ),
    )


def test_resolve_links_variants_and_writes_tables(lake: Path) -> None:
    with duckdb.connect(str(lake)) as con:
        summary = resolve_lake(con, user="tester")
        assert (summary.up_to_date, summary.mentions, summary.records, summary.entities) == (False, 9, 9, 5)
        assert con.execute(
            "SELECT entity_id, canonical_name, credit_code, records, mentions FROM _entities ORDER BY ALL"
        ).fetchall() == [
            (f"code:{CODE}", "河北雄安绿源环保科技有限公司", CODE, 3, 3),
            (f"code:{SCRAP}", "安新县鑫旺再生资源回收有限公司", SCRAP, 3, 3),
            ("name:张三", "张三", None, 1, 1),
            ("name:王五", "王五", None, 1, 1),
            ("name:赵六", "赵六", None, 1, 1),
        ]
        lookup = _lookup(con)
        assert lookup[("鑫旺回收", None)] == f"code:{SCRAP}"  # bigram/contains match, no code
        assert lookup[("鑫旺再生资源回收", None)] == f"code:{SCRAP}"
        assert lookup[("绿源环保（雄安）", TYPO)] == f"code:{CODE}"
        assert lookup[("（雄安）绿源环保科技", None)] == f"code:{CODE}"
        members = con.execute(
            "SELECT dataset, field, row FROM _entity_members WHERE entity_id = ? ORDER BY ALL",
            [f"code:{SCRAP}"],
        ).fetchall()
        assert members == [
            ("business_registry", "name", 3),
            ("criminal_cases", "fence_name", 2),
            ("criminal_cases", "suspect_names", 3),
        ]
        # a second run over unchanged data does nothing
        assert resolve_lake(con, user="tester").up_to_date


def test_lookup_falls_back_when_data_changed(lake: Path) -> None:
    with duckdb.connect(str(lake)) as con:
        resolve_lake(con, user="tester")
        con.execute("UPDATE grid_events SET subject_name = '鑫旺回收站' WHERE event_id = 'G1'")
        lookup = _lookup(con)
    # deterministic now: the short name no longer joins the company's code
    assert lookup[("鑫旺回收", None)] == "name:鑫旺回收"
    assert ("（雄安）绿源环保科技", None) not in lookup


def test_manual_split_and_link_survive_re_resolution(lake: Path) -> None:
    with duckdb.connect(str(lake)) as con:
        resolve_lake(con, user="tester")
        _decide(con, "split", "鑫旺回收", when="2030-01-01 00:00:00")
        _decide(con, "link", "赵六", "王五", when="2030-01-02 00:00:00")
        resolve_lake(con, user="tester")
        first = _lookup(con)
        # new data arrives and the model is retrained: the decisions still hold
        con.execute(
            "INSERT INTO grid_events (event_id, reported_at, category, subject_name, _file, _row) "
            "VALUES ('G2', '2024-03-01 08:00', '废品收购点', '鑫旺再生资源', 'grid.csv', 3)"
        )
        summary = resolve_lake(con, user="tester", retrain=True)
        assert not summary.up_to_date
        second = _lookup(con)
        why = con.execute(
            "SELECT name_l, name_r, match_probability, name_level FROM _entity_links "
            "WHERE entity_id = 'name:赵六'"
        ).fetchall()
    for lookup in (first, second):
        assert lookup[("鑫旺回收", None)] == "name:鑫旺回收"
        assert lookup[("鑫旺再生资源回收", None)] == f"code:{SCRAP}"
        assert lookup[("赵六", None)] == lookup[("王五", None)] == "name:赵六"
    assert second[("鑫旺再生资源", None)] == f"code:{SCRAP}"
    assert why == [("赵六", "王五", 1.0, "人工关联 (linked by a reviewer)")]


def test_different_valid_codes_never_merge_and_ambiguous_short_names_pick_one(make_lake) -> None:
    first = "91130632MA0LF0001" + check_digit("91130632MA0LF0001")
    second = "91130632MA0LF0002" + check_digit("91130632MA0LF0002")
    path = make_lake(
        {
            "business_registry": [
                {"credit_code": first, "name": "雄县麟飞环保科技有限公司"},
                {"credit_code": second, "name": "雄县麟飞中环保科技有限公司"},
            ],
            "grid_events": [
                {"event_id": "G1", "reported_at": "2024-01-05 09:00", "subject_name": "麟飞环保科技"},
                {"event_id": "G2", "reported_at": "2024-01-05 09:00", "subject_name": "麟飞中环保科技"},
                {"event_id": "G3", "reported_at": "2024-01-05 09:00", "subject_name": "麟飞科技"},
            ],
        }
    )
    with duckdb.connect(str(path)) as con:
        resolve_lake(con, user="tester")
        lookup = _lookup(con)
    assert lookup[("雄县麟飞环保科技有限公司", first)] == f"code:{first}"
    assert lookup[("雄县麟飞中环保科技有限公司", second)] == f"code:{second}"
    assert lookup[("麟飞环保科技", None)] == f"code:{first}"
    assert lookup[("麟飞中环保科技", None)] == f"code:{second}"
    # 麟飞科技 abbreviates both; it joins exactly one of them, never bridges the two
    assert lookup[("麟飞科技", None)] in {f"code:{first}", f"code:{second}"}
    assert len(set(lookup.values())) == 2


@pytest.mark.parametrize(
    ("before", "now", "reuse"),
    [(100, 100, True), (100, 199, True), (100, 201, False), (100, 49, False), (0, 10, False)],
)
def test_stored_model_is_reused_only_at_a_similar_size(before: int, now: int, reuse: bool) -> None:
    from datetime import datetime

    from jiancha.resolve.service import _reusable

    run = store.Run("r", datetime(2030, 1, 1), "fp", 0.5, before, 1, "t", "{}")
    assert _reusable(run, now) is reuse
    assert _reusable(None, now) is False


def test_ambiguous_abbreviation_joins_the_company_it_needs_fewest_characters_for(make_lake) -> None:
    near = "91130638MA0TY0001" + check_digit("91130638MA0TY0001")
    far = "91130638MA0TY0002" + check_digit("91130638MA0TY0002")
    path = make_lake(
        {
            "business_registry": [
                {"credit_code": far, "name": "保定天玉璐污泥处置有限公司"},
                {"credit_code": near, "name": "保定天玉污泥处置有限公司"},
            ],
            "grid_events": [
                {"event_id": "G1", "reported_at": "2024-01-05 09:00", "subject_name": "天玉处置"},
            ],
        }
    )
    with duckdb.connect(str(path)) as con:
        resolve_lake(con, user="tester")
        lookup = _lookup(con)
    # 天玉处置 abbreviates both in order; 天玉污泥处置 explains it with two characters fewer
    assert lookup[("天玉处置", None)] == f"code:{near}"
    assert lookup[("保定天玉璐污泥处置有限公司", far)] == f"code:{far}"


def test_lake_where_no_two_records_share_a_code_or_name_resolves_on_priors(make_lake) -> None:
    """Every company written one way: EM has no pairs to learn from, so it is skipped."""
    registry = []
    for i in range(1200):
        body = f"91130629MA0{i:06d}"
        registry.append({"credit_code": body + check_digit(body), "name": f"雄安第{i}号环保科技有限公司"})
    with duckdb.connect(str(make_lake({"business_registry": registry}))) as con:
        summary = resolve_lake(con, user="tester")
    assert (summary.records, summary.entities, summary.parameters) == (1200, 1200, "priors")


def test_companies_sharing_no_trade_name_prefix_still_join_their_spellings(make_lake) -> None:
    """No two companies share a prefix, so no pair of them tells u anything; the priors stand in."""
    registry, events = [], []
    for i in range(600):
        body = f"91130629MA0{i:06d}"
        trade = chr(0x4E00 + i) + chr(0x5E00 + i)
        registry.append({"credit_code": body + check_digit(body), "name": f"雄县{trade}环保科技有限公司"})
        events.append(
            {"event_id": f"G{i}", "reported_at": "2024-01-05 09:00", "subject_name": f"{trade}环保科技"}
        )
    with duckdb.connect(str(make_lake({"business_registry": registry, "grid_events": events}))) as con:
        summary = resolve_lake(con, user="tester")
    assert (summary.records, summary.entities) == (1200, 600)
