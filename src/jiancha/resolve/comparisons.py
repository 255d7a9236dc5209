"""The Splink model for Chinese party names: record columns, comparisons, blocking rules, priors.

Records are distinct spellings (folded name, corrected credit code, ID
number). The comparison levels carry prior m/u probabilities so that a small
lake — too small for EM to estimate anything — still resolves sensibly; on a
lake large enough, training replaces them (``linker.train``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from duckdb.sqltypes import BIGINT, DOUBLE, VARCHAR
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

#: DuckDB's ``damerau_levenshtein`` and ``jaro_winkler_similarity`` work on UTF-8 bytes, so one
#: Chinese character added costs three edits, and two different characters sharing a lead byte
#: look alike; the name comparison calls these character-wise ones (rapidfuzz) instead.
CHAR_EDITS = "char_edits"
CHAR_JARO_WINKLER = "char_jaro_winkler"


#: The character-wise scorers the comparisons call: SQL name, rapidfuzz scorer, Arrow result type.
SCORERS: tuple[tuple[str, Any, pa.DataType], ...] = (
    (CHAR_EDITS, DamerauLevenshtein.distance, pa.int64()),
    (CHAR_JARO_WINKLER, JaroWinkler.similarity, pa.float64()),
)


def score_pairs(scorer: Any, result: pa.DataType, left: pa.Array, right: pa.Array) -> pa.Array:
    """``scorer`` over a vector of string pairs at a time; NULL where either side is NULL (DuckDB
    passes none, Spark evaluates a UDF before the CASE that would skip the null level)."""
    lefts, rights = left.to_pylist(), right.to_pylist()
    both = [i for i, (a, b) in enumerate(zip(lefts, rights, strict=True)) if a is not None and b is not None]
    if len(both) == len(lefts):
        return pa.array(cpdist(lefts, rights, scorer=scorer), result)
    scores = cpdist([lefts[i] for i in both], [rights[i] for i in both], scorer=scorer) if both else []
    out: list[Any] = [None] * len(lefts)
    for i, score in zip(both, scores, strict=True):
        out[i] = score.item()
    return pa.array(out, result)


def score_named(name: str, left: pa.Array, right: pa.Array) -> pa.Array:
    """The scorer SCORERS names ``name`` over the pairs: what a Spark executor calls (it receives
    the name, since the compiled rapidfuzz functions cannot be pickled)."""
    _, scorer, result = next(entry for entry in SCORERS if entry[0] == name)
    return score_pairs(scorer, result, left, right)


def _vectorised(scorer: Any, result: pa.DataType) -> Callable[[pa.Array, pa.Array], pa.Array]:
    """An Arrow UDF for DuckDB: ``score_pairs`` with the scorer bound."""

    def score(left: pa.Array, right: pa.Array) -> pa.Array:
        return score_pairs(scorer, result, left, right)

    return score


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Make the SQL functions the comparisons call available on ``con`` (once per connection)."""
    sql_types = {CHAR_EDITS: BIGINT, CHAR_JARO_WINKLER: DOUBLE}
    for name, scorer, result in SCORERS:
        function = _vectorised(scorer, result)
        con.create_function(
            name, function, [VARCHAR, VARCHAR], sql_types[name], type="arrow", side_effects=False
        )


#: Character-bigram Jaccard similarity of the folded names (the ``name_grams`` lists).
_BIGRAM_JACCARD = (
    "array_length(array_intersect(name_grams_l, name_grams_r)) "
    "/ greatest(array_length(list_distinct(list_concat(name_grams_l, name_grams_r))), 1)"
)


#: Partial agreement (one edit, containment, abbreviation, similarity) counts only between names
#: of four or more characters: 王伟 and 王玮, or 姜磊 and 姜磊俊, are different people.
_LONG_ENOUGH = "least(length(name_norm_l), length(name_norm_r)) >= 4"


def _abbreviates(short: str, long: str) -> str:
    """SQL: every character of one folded name appears, in order, in the other (鑫旺回收 in
    鑫旺再生资源回收). Folded names hold only letters and digits, so they are safe in a regex."""
    return (
        f"(length(name_norm_{short}) < length(name_norm_{long}) AND regexp_matches(name_norm_{long}, "
        f"array_to_string(string_split(name_norm_{short}, ''), '.*')))"
    )


#: The dialect every condition here is written in; Splink transpiles it for other backends.
BASE_DIALECT = "duckdb"


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    """One level; its condition is transpiled from BASE_DIALECT (``ELSE`` is no expression)."""
    level = {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}
    return level if sql == "ELSE" else {**level, "base_dialect_str": BASE_DIALECT}


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
        "label_for_charts": "缺失 (missing)",
        "is_null_level": True,
        "base_dialect_str": BASE_DIALECT,
    }


def name_comparison() -> cl.CustomComparison:
    """Folded name: exact, one edit, one inside the other (a short name), an abbreviation
    keeping the characters' order, Jaro-Winkler ≥ 0.9, bigram Jaccard ≥ 0.5, else."""
    return cl.CustomComparison(
        output_column_name="name_norm",
        comparison_description="名称 (folded name)",
        comparison_levels=[
            _null("name_norm"),
            _level(
                "name_norm_l = name_norm_r",
                "名称一致 (exact folded name)",
                0.6,
                0.000005,
            ),
            _level(
                f"{_LONG_ENOUGH} AND {CHAR_EDITS}(name_norm_l, name_norm_r) <= 1",
                "相差一字 (one edit apart)",
                0.08,
                0.00005,
            ),
            _level(
                f"{_LONG_ENOUGH} AND "
                "(contains(name_norm_l, name_norm_r) OR contains(name_norm_r, name_norm_l))",
                "简称包含 (one name contains the other)",
                0.15,
                0.00005,
            ),
            _level(
                "substr(name_norm_l, 1, 2) = substr(name_norm_r, 1, 2) "
                f"AND {_LONG_ENOUGH} AND "
                f"({_abbreviates('l', 'r')} "
                f"OR {_abbreviates('r', 'l')})",
                "按序简称 (abbreviation: characters in order)",
                0.08,
                0.00005,
            ),
            _level(
                f"{_LONG_ENOUGH} AND {CHAR_JARO_WINKLER}(name_norm_l, name_norm_r) >= 0.9",
                "高度相似 (Jaro-Winkler ≥ 0.9)",
                0.06,
                0.002,
            ),
            _level(
                f"{_LONG_ENOUGH} AND {_BIGRAM_JACCARD} >= 0.5", "字组相近 (bigram Jaccard ≥ 0.5)", 0.06, 0.01
            ),
            _level("ELSE", "名称不同 (different)", 0.05, 0.987),
        ],
    )


def code_comparison() -> cl.CustomComparison:
    """Credit code after typo correction: the same code, or two different valid codes."""
    return cl.CustomComparison(
        output_column_name="credit_code",
        comparison_description="统一社会信用代码 (credit code)",
        comparison_levels=[
            _null("credit_code"),
            _level("credit_code_l = credit_code_r", "代码一致 (same code)", 0.98, 0.000001),
            _level("ELSE", "代码不同 (different valid codes)", 0.02, 0.9999),
        ],
    )


def id_comparison() -> cl.CustomComparison:
    """A person's ID number, where both mentions carry one."""
    return cl.CustomComparison(
        output_column_name="id_no",
        comparison_description="身份证号 (ID number)",
        comparison_levels=[
            _null("id_no"),
            _level("id_no_l = id_no_r", "证件号一致 (same ID number)", 0.98, 0.000001),
            _level("ELSE", "证件号不同 (different ID numbers)", 0.02, 0.99999),
        ],
    )


#: Rules that find candidate pairs: any one suffices. A Chinese company name leads with its
#: trade name (字号) once region tags are folded away, so a short name keeps the first four
#: characters (鑫旺环保 of 鑫旺环保科技) or the first two and the last two (鑫旺回收 of
#: 鑫旺再生资源回收); codes and ID numbers find the rest. Keys this narrow keep the candidate
#: pairs close to linear in the lake's size, where a two-character prefix alone does not.
BLOCKING_RULES = (
    block_on("name_norm"),
    block_on("credit_code"),
    block_on("id_no"),
    block_on("prefix4"),
    block_on("prefix2", "suffix2"),
)
#: The trade-name block: pairs sharing the first two folded characters. Every name-based rule
#: above finds a subset of it, so the model's prior and u describe pairs *within* it — the
#: population where an abbreviation is rare among different companies, as it is in life.
TRADE_NAME_BLOCK = block_on("prefix2")


def settings(blocking_rules: Sequence[BlockingRuleCreator] = BLOCKING_RULES) -> SettingsCreator:
    """The dedupe model over spelling records (``records.build_records``), before training."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=0.001,
        blocking_rules_to_generate_predictions=list(blocking_rules),
        comparisons=[name_comparison(), code_comparison(), id_comparison()],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
