"""The SQL functions the name comparison calls, on a real DuckDB connection."""

from __future__ import annotations

import duckdb

from jiancha.resolve.comparisons import CHAR_EDITS, CHAR_JARO_WINKLER, register_functions


def test_char_edits_counts_chinese_characters_not_bytes() -> None:
    con = duckdb.connect()
    register_functions(con)
    rows = con.execute(
        f"""SELECT {CHAR_EDITS}(a, b), damerau_levenshtein(a, b) FROM (VALUES
                ('中雄建材贸易', '中雄礼建材贸易'),
                ('绿源环保', '绿源环境'),
                ('鑫旺回收', '旺鑫回收'),
                ('abc', 'abc'),
                (NULL, '王伟')) AS t(a, b)"""
    ).fetchall()
    assert [edits for edits, _ in rows] == [1, 1, 1, 0, None]
    assert rows[0][1] == 3  # why the built-in will not do: one inserted character, three bytes


def test_char_jaro_winkler_does_not_see_shared_utf8_lead_bytes() -> None:
    con = duckdb.connect()
    register_functions(con)
    rows = con.execute(
        f"""SELECT round({CHAR_JARO_WINKLER}(a, b), 4), round(jaro_winkler_similarity(a, b), 4) FROM (VALUES
                ('川联晨贸易', '川联建材贸易'),
                ('鑫旺环保', '鑫旺环保科技')) AS t(a, b)"""
    ).fetchall()
    # 川联晨贸易 is another company: below the 0.9 level character-wise, above it byte-wise
    assert rows == [(0.8578, 0.9178), (0.9333, 0.9333)]
