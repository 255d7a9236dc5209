"""Spelling records: what the linker compares.

A party named ten thousand times is compared once per distinct form: mentions
collapse to spellings (name, credit code, ID number as written), and spellings
that fold alike — same folded name, same corrected code, same ID — collapse to
one record. Comparing folded forms keeps Splink's random-pair estimates clean:
two records with the same folded name are then rare among non-matches, as the
model assumes.
"""

from __future__ import annotations

import unicodedata

import duckdb
import pyarrow as pa

from jiancha.resolve.credit_code import CodeBook
from jiancha.resolve.names import normalise_name

#: The records the linker compares (one per folded form).
RECORDS = "spelling_records"
#: Every spelling as written → its record (raw_name, raw_credit_code, raw_id_no, mentions, unique_id).
SPELLINGS = "spelling_map"


def _clean_id(raw: str | None) -> str | None:
    """An ID number as issued: half-width, upper-case X, no spaces."""
    if raw is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", raw).upper().split())
    return text or None


def build_records(work: duckdb.DuckDBPyConnection, mentions: str) -> int:
    """Create SPELLINGS and RECORDS on ``work`` from the mentions table named ``mentions``.

    RECORDS columns: unique_id, raw_name and raw_credit_code (the form most often
    written), mentions, name_norm, credit_code (valid or corrected, else NULL),
    id_no, prefix2, prefix4, suffix2 (blocking keys), name_grams. Returns the number of records.
    """
    spellings = work.execute(
        f"SELECT name, credit_code, id_no, count(*) AS n FROM {mentions} GROUP BY ALL ORDER BY ALL"
    ).to_arrow_table()
    names = spellings.column("name").to_pylist()
    codes = spellings.column("credit_code").to_pylist()
    distinct = set(codes)  # a code recurs with every spelling of its company's name
    book = CodeBook(distinct)
    corrected = {code: book.canonical(code) for code in distinct}
    work.register(
        "_spellings_in",
        pa.table(
            {
                "raw_name": names,
                "raw_credit_code": codes,
                "raw_id_no": spellings.column("id_no"),
                "mentions": spellings.column("n"),
                "name_norm": [normalise_name(name) for name in names],
                "credit_code": pa.array([corrected[code] for code in codes], pa.string()),
                "id_no": pa.array([_clean_id(i) for i in spellings.column("id_no").to_pylist()], pa.string()),
            }
        ),
    )
    work.execute(
        f"""CREATE OR REPLACE TABLE {SPELLINGS} AS
            SELECT *, dense_rank() OVER (ORDER BY name_norm, credit_code NULLS FIRST, id_no NULLS FIRST) - 1
                      AS unique_id
            FROM _spellings_in"""
    )
    work.unregister("_spellings_in")
    work.execute(
        f"""CREATE OR REPLACE TABLE {RECORDS} AS
            SELECT unique_id,
                   arg_max(raw_name, (mentions, raw_name)) AS raw_name,
                   arg_max(raw_credit_code, (mentions, raw_name)) AS raw_credit_code,
                   sum(mentions)::BIGINT AS mentions,
                   any_value(name_norm) AS name_norm, any_value(credit_code) AS credit_code,
                   any_value(id_no) AS id_no,
                   substr(any_value(name_norm), 1, 2) AS prefix2,
                   substr(any_value(name_norm), 1, 4) AS prefix4,
                   substr(any_value(name_norm), -2) AS suffix2,
                   list_transform(range(greatest(length(any_value(name_norm)) - 1, 1)),
                                  i -> substr(any_value(name_norm), i + 1, 2)) AS name_grams
            FROM {SPELLINGS} GROUP BY unique_id ORDER BY unique_id"""
    )
    return work.execute(f"SELECT count(*) FROM {RECORDS}").fetchone()[0]
