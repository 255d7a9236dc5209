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
from collections.abc import Callable

import pyarrow as pa

from jiancha.resolve.credit_code import CodeBook
from jiancha.resolve.names import normalise_name
from jiancha.resolve.work import Work

#: The records the linker compares (one per folded form).
RECORDS = "spelling_records"
#: Every spelling as written → its record (raw_name, raw_credit_code, raw_id_no, mentions, unique_id).
SPELLINGS = "spelling_map"
#: A spelling as written, folded (what ``fold_spellings`` returns for each batch).
FOLDED = pa.schema(
    [
        ("raw_name", pa.string()),
        ("raw_credit_code", pa.string()),
        ("raw_id_no", pa.string()),
        ("mentions", pa.int64()),
        ("name_norm", pa.string()),
        ("credit_code", pa.string()),
        ("id_no", pa.string()),
    ]
)


def _clean_id(raw: str | None) -> str | None:
    """An ID number as issued: half-width, upper-case X, no spaces."""
    if raw is None:
        return None
    text = "".join(unicodedata.normalize("NFKC", raw).upper().split())
    return text or None


def fold_spellings(book: CodeBook) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    """The fold of a batch of spellings (name, credit_code, id_no, n): the folded name, the code
    valid or corrected against ``book``, the cleaned ID number. Pure Python over one batch, so a
    Spark executor runs it beside its rows as DuckDB's caller runs it over all of them."""

    def fold(batch: pa.RecordBatch) -> pa.RecordBatch:
        names = batch.column("name").to_pylist()
        codes = batch.column("credit_code").to_pylist()
        ids = batch.column("id_no").to_pylist()
        corrected = {code: book.canonical(code) for code in set(codes)}
        return pa.record_batch(
            [
                pa.array(names, pa.string()),
                pa.array(codes, pa.string()),
                pa.array(ids, pa.string()),
                pa.array(batch.column("n").to_pylist(), pa.int64()),
                pa.array([normalise_name(name) for name in names], pa.string()),
                pa.array([corrected[code] for code in codes], pa.string()),
                pa.array([_clean_id(i) for i in ids], pa.string()),
            ],
            schema=FOLDED,
        )

    return fold


def build_records(work: Work, mentions: str) -> int:
    """Create SPELLINGS and RECORDS on ``work`` from the mentions table named ``mentions``.

    RECORDS columns: unique_id, raw_name and raw_credit_code (the form most often
    written), mentions, name_norm, credit_code (valid or corrected, else NULL),
    id_no, prefix2, prefix4, suffix2 (blocking keys), name_grams. Returns the number of records.
    Only the distinct credit codes come to the caller (a code recurs with every spelling of its
    company's name): the code book that corrects typos needs them all.
    """
    work.create(
        "_spelling_counts", f"SELECT name, credit_code, id_no, count(*) AS n FROM {mentions} GROUP BY ALL"
    )
    codes = work.arrow("SELECT DISTINCT credit_code FROM _spelling_counts WHERE credit_code IS NOT NULL")
    book = CodeBook(codes.column(0).to_pylist())
    work.map_batches("_spelling_counts", "_spellings_in", fold_spellings(book), FOLDED)
    work.create(
        SPELLINGS,
        """SELECT *, CAST(dense_rank() OVER (ORDER BY name_norm, credit_code NULLS FIRST, id_no NULLS FIRST)
                              - 1 AS BIGINT) AS unique_id
           FROM _spellings_in""",
    )
    work.create(
        RECORDS,
        f"""SELECT unique_id,
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
            FROM {SPELLINGS} GROUP BY unique_id ORDER BY unique_id""",
    )
    return work.arrow(f"SELECT count(*) FROM {RECORDS}").column(0)[0].as_py()
