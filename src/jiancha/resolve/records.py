"""Spelling records: what the linker compares.

A party named ten thousand times with one spelling is compared once: the
mentions collapse to distinct (name, credit code, ID number) spellings, each
with its folded name, its typo-corrected code and the blocking keys.
"""

from __future__ import annotations

import unicodedata

import duckdb
import pyarrow as pa

from jiancha.resolve.credit_code import CodeBook
from jiancha.resolve.names import normalise_name

#: The table the work connection holds the records in.
RECORDS = "spelling_records"


def _clean_id(raw: str | None) -> str | None:
    """An ID number as issued: half-width, upper-case X, no spaces."""
    if raw is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", raw).upper().split())
    return text or None


def build_records(work: duckdb.DuckDBPyConnection, mentions: str) -> int:
    """Create RECORDS on ``work`` from the mentions table named ``mentions``; return how many.

    Columns: unique_id, raw_name, raw_credit_code, raw_id_no, mentions, name_norm,
    credit_code (valid or corrected, else NULL), id_no, prefix2, first1, suffix2, name_grams.
    """
    spellings = work.execute(
        f"SELECT name, credit_code, id_no, count(*) AS n FROM {mentions} GROUP BY ALL ORDER BY ALL"
    ).to_arrow_table()
    names = spellings.column("name").to_pylist()
    codes = spellings.column("credit_code").to_pylist()
    ids = spellings.column("id_no").to_pylist()
    book = CodeBook(codes)
    corrected = {code: book.canonical(code) for code in set(codes)}
    table = pa.table(
        {
            "unique_id": pa.array(range(len(names)), pa.int64()),
            "raw_name": names,
            "raw_credit_code": codes,
            "raw_id_no": ids,
            "mentions": spellings.column("n"),
            "name_norm": [normalise_name(name) for name in names],
            "credit_code": pa.array([corrected[code] for code in codes], pa.string()),
            "id_no": pa.array([_clean_id(i) for i in ids], pa.string()),
        }
    )
    work.register("_records_in", table)
    work.execute(
        f"""CREATE OR REPLACE TABLE {RECORDS} AS
            SELECT *, substr(name_norm, 1, 2) AS prefix2, substr(name_norm, 1, 1) AS first1,
                   right(name_norm, 2) AS suffix2,
                   list_transform(range(greatest(length(name_norm) - 1, 1)),
                                  i -> substr(name_norm, i + 1, 2)) AS name_grams
            FROM _records_in"""
    )
    work.unregister("_records_in")
    return len(names)
