"""The SQL functions the name comparison calls, on a real DuckDB connection."""

from __future__ import annotations

import duckdb

from jiancha.resolve.comparisons import CHAR_EDITS, register_functions


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
