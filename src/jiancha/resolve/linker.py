"""Splink over the spelling records: train (or reuse) the model, score pairs, cluster.

The model speaks of pairs within a trade-name block (same first two folded
characters): its prior and u are estimated there, so they do not drift as the
lake grows, and the blocking rules score a near-linear subset of those pairs.

Manual decisions enter here as graph edits before clustering: a link adds an
edge of probability 1, a split removes every scored edge of the detached
spelling. So they hold whatever the model later learns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from splink import Linker, block_on
from splink.blocking_analysis import count_comparisons_from_blocking_rules
from splink.clustering import cluster_pairwise_predictions_at_threshold
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from jiancha.resolve.comparisons import TRADE_NAME_BLOCK, settings
from jiancha.resolve.records import RECORDS
from jiancha.resolve.work import Work

#: Below this many spellings EM has too few pairs to learn from; the priors stand.
MIN_TRAINING_RECORDS = 1000
#: How many pairs' worth of weight the prior u carry against the counted ones.
PRIOR_PAIRS = 1000
#: EM learns nothing from fewer pairs than this (a lake where every company is written one way
#: has no two records sharing a code); such a session is skipped and the m priors stand.
MIN_EM_PAIRS = 100
#: Comparisons whose levels and weights explain a pair (output column names).
EXPLAINED = ("name_norm", "credit_code", "id_no")
#: The tables linking leaves on the work space: the edges clustering used, each record's
#: cluster (unique_id, cluster_id), and the scored pairs kept as edges (unique_id_l, unique_id_r,
#: match_probability, match_weight, <comparison>_level/_weight).
EDGES = "_edges"
CLUSTERS = "_clusters"
PAIRS = "_pairs"


@dataclass(frozen=True)
class LinkResult:
    """The model that scored the pairs (clusters and pairs are tables on the work space)."""

    model: dict[str, Any]
    parameters: str  # "em" (estimated now), "reused" (the given model's) or "priors" (too few records)


def _representatives(work: Work) -> str:
    """A table holding one record per credit code: companies known to be distinct.

    Records are spellings, several per entity, so random pairs of them match far
    more often than random pairs of companies; u estimated from them would count
    those matches (short names, abbreviations) as chance agreement and make strong
    evidence worth little. Pairs of different valid codes are true non-matches.
    """
    work.create(
        "_representatives",
        f"""SELECT * FROM {RECORDS} WHERE unique_id IN (
                SELECT arg_max(unique_id, (mentions, -unique_id)) FROM {RECORDS}
                WHERE credit_code IS NOT NULL GROUP BY credit_code)""",
    )
    return "_representatives"


def _trade_block_name_u(work: Work, reps: str, model: dict) -> None:
    """Set u of every name level in ``model`` by counting the levels over all pairs of distinct
    companies (``reps``) in the same trade-name block.

    The model speaks of pairs within the trade-name block, so its u are the chance of each
    level between different companies that share a prefix, not between random ones. Counted
    rather than sampled, so the rare strong levels (exact, one edit, contains, abbreviation)
    are known however large the lake. The priors count as PRIOR_PAIRS pairs more, so a lake
    whose companies seldom share a prefix keeps sensible u rather than none.
    """
    blocked = Linker(work.db_api.register(reps), settings([TRADE_NAME_BLOCK]), log_level=logging.ERROR)
    pred = blocked.inference.predict()
    counted_levels = work.arrow(f"SELECT gamma_name_norm, count(*) AS n FROM {pred.physical_name} GROUP BY 1")
    counts = dict(zip(*(counted_levels.column(i).to_pylist() for i in (0, 1)), strict=True))
    pred.drop_table_from_database_and_remove_from_cache()
    total = sum(counts.values())
    name = next(c for c in model["comparisons"] if c["output_column_name"] == "name_norm")
    plain = [level for level in name["comparison_levels"] if not level.get("is_null_level")]
    for i, level in enumerate(plain):
        counted = counts.get(len(plain) - 1 - i, 0)
        level["u_probability"] = (counted + PRIOR_PAIRS * level["u_probability"]) / (total + PRIOR_PAIRS)


def _trade_block_prior(records: SplinkDataFrame, model: dict[str, Any]) -> float:
    """The prior that a pair in the same trade-name block matches: pairs with the same code or
    folded name (taken as 80% of the matches) over the pairs the block holds; at most one half,
    and no less than the settings' prior (a small lake may show no such pair at all).

    A prior over all pairs shrinks as the lake grows — a million spellings make ten thousand
    times more pairs than ten thousand do, with barely more matches per company — until
    evidence such as an abbreviation no longer outweighs it. Within a trade-name block the
    share of matches stays put.
    """
    linker = Linker(records, model, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("credit_code"), block_on("name_norm")], recall=0.8
    )
    overall = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    in_block, possible = _pair_counts(records, TRADE_NAME_BLOCK)
    estimate = overall * possible / max(in_block, 1)
    return min(max(estimate, model["probability_two_random_records_match"]), 0.5)


def _pair_counts(records: SplinkDataFrame, rule: BlockingRuleCreator) -> tuple[int, int]:
    """How many pairs ``rule`` forms among ``records``, and how many pairs there are at all."""
    counted = count_comparisons_from_blocking_rules(
        records, blocking_rules=rule, link_type="dedupe_only", record_sample_proportion=1.0
    )[-1]
    return counted["cumulative_comparison_count"], counted["total_possible_comparison_count"]


def _train(work: Work, records: int) -> tuple[Linker, bool]:
    """Estimate the parameters without labels, all for pairs within a trade-name block: u of the
    name levels counted over distinct companies, the prior from deterministic rules, m by EM
    over pairs sharing a code (for the name) and a folded name (for the code). Below
    MIN_TRAINING_RECORDS only the prior is estimated and the m/u priors stand; an EM session
    with fewer than MIN_EM_PAIRS pairs is skipped. Returns the linker and whether EM ran."""
    model: dict[str, Any] = settings().create_settings_dict(work.dialect)
    if records >= MIN_TRAINING_RECORDS:
        _trade_block_name_u(work, _representatives(work), model)
    table = work.db_api.register(RECORDS)
    model["probability_two_random_records_match"] = _trade_block_prior(table, model)
    linker = Linker(table, model, log_level=logging.ERROR)
    if records < MIN_TRAINING_RECORDS:
        return linker, False
    trained = False
    for rule in (block_on("credit_code"), block_on("name_norm")):
        if _pair_counts(table, rule)[0] >= MIN_EM_PAIRS:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
            trained = True
    return linker, trained


def _levels(model: dict[str, Any]) -> list[tuple[str, str]]:
    """(comparison, level label) of every level, in order: what a model's parameters belong to."""
    return [
        (c["output_column_name"], level["label_for_charts"])
        for c in model["comparisons"]
        for level in c["comparison_levels"]
    ]


def with_parameters(model: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any] | None:
    """``model`` (settings in one engine's dialect) carrying the prior and m/u of ``trained`` (a
    model saved by any engine), or None when the two do not have the same comparison levels.

    A model is stored with its conditions in the dialect it ran in; reusing it copies only the
    numbers, so a model trained on DuckDB scores pairs on Spark, and the other way round."""
    if _levels(model) != _levels(trained):
        return None
    out = {**model, "probability_two_random_records_match": trained["probability_two_random_records_match"]}
    out["comparisons"] = [
        {
            **comparison,
            "comparison_levels": [
                {**level, **{k: theirs[k] for k in ("m_probability", "u_probability") if k in theirs}}
                for level, theirs in zip(
                    comparison["comparison_levels"], other["comparison_levels"], strict=True
                )
            ],
        }
        for comparison, other in zip(model["comparisons"], trained["comparisons"], strict=True)
    ]
    return out


def _level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """gamma value → level label, per comparison, read from the model JSON (null level = -1)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        plain = [lv for lv in levels if not lv.get("is_null_level")]
        labels = {len(plain) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(plain)}
        labels[-1] = next((lv["label_for_charts"] for lv in levels if lv.get("is_null_level")), "")
        out[comparison["output_column_name"]] = labels
    return out


def _explain(work: Work, predictions: str, model: dict[str, Any]) -> None:
    """Create _scored_pairs on ``work``: each scored pair's probability and weight and, per
    comparison, the label and match weight of the level it reached."""
    labels = _level_labels(model)
    work.put(
        "_labels",
        pa.table(
            {
                "comparison": pa.array([c for c, by_gamma in labels.items() for _ in by_gamma], pa.string()),
                "gamma": pa.array([g for by_gamma in labels.values() for g in by_gamma], pa.int64()),
                "label": pa.array(
                    [label for by_gamma in labels.values() for label in by_gamma.values()], pa.string()
                ),
            }
        ),
    )
    columns = ", ".join(f"l_{c}.label AS {c}_level, round(p.mw_{c}, 2) AS {c}_weight" for c in EXPLAINED)
    joins = " ".join(
        f"LEFT JOIN _labels l_{c} ON l_{c}.comparison = '{c}' AND l_{c}.gamma = p.gamma_{c}"
        for c in EXPLAINED
    )
    work.create(
        "_scored_pairs",
        f"""SELECT p.unique_id_l, p.unique_id_r, p.match_probability, p.match_weight, {columns}
            FROM {predictions} p {joins}""",
    )
    work.drop("_labels")


def _pairs_table(pairs: list[tuple[int, int]]) -> pa.Table:
    return pa.table(
        {
            "unique_id_l": pa.array([a for a, _ in pairs], pa.int64()),
            "unique_id_r": pa.array([b for _, b in pairs], pa.int64()),
        }
    )


def link_records(
    work: Work,
    records: int,
    threshold: float,
    model: dict[str, Any] | None = None,
    forced_links: Iterable[tuple[int, int]] = (),
    detached: Iterable[int] = (),
) -> LinkResult:
    """Score and cluster the RECORDS table on ``work``, leaving CLUSTERS, PAIRS and EDGES there.

    ``model`` is a saved Splink model whose parameters to reuse (no training); ``forced_links`` are
    record pairs a person linked; ``detached`` are records a person split off. Two
    different valid credit codes are two companies (GB 32100-2015: a typo breaks the check
    digit and was corrected before), so such a pair never becomes an edge, whatever the names;
    and a spelling without a code that matches companies with different codes (麟飞科技 for
    麟飞环保科技 and 麟飞中环保科技) keeps its edges to its most probable company only — of equally
    probable ones, the name it needs fewest characters added to (天玉处置 is 天玉污泥处置, not
    天玉璐污泥处置) — and
    two such spellings anchored to different companies are not joined.
    """
    reused = None if model is None else with_parameters(settings().create_settings_dict(work.dialect), model)
    if reused is None:
        linker, trained = _train(work, records)
    else:
        linker, trained = Linker(work.db_api.register(RECORDS), reused, log_level=logging.ERROR), False
    model_json = linker.misc.save_model_to_json()
    pred = linker.inference.predict(threshold_match_probability=threshold)
    _explain(work, pred.physical_name, model_json)
    work.put("_detached", pa.table({"unique_id": pa.array(list(detached), pa.int64())}))
    work.put("_forced", _pairs_table(list(forced_links)))
    work.create(
        EDGES,
        f"""WITH scored AS (
               SELECT p.unique_id_l, p.unique_id_r, p.match_probability,
                      l.credit_code AS code_l, r.credit_code AS code_r,
                      abs(length(l.name_norm) - length(r.name_norm)) AS gap
               FROM _scored_pairs p
               JOIN {RECORDS} l ON l.unique_id = p.unique_id_l
               JOIN {RECORDS} r ON r.unique_id = p.unique_id_r
               WHERE p.unique_id_l NOT IN (SELECT unique_id FROM _detached)
                 AND p.unique_id_r NOT IN (SELECT unique_id FROM _detached)
                 AND (l.credit_code IS NULL OR r.credit_code IS NULL OR l.credit_code = r.credit_code)),
           directed AS (
               SELECT unique_id_l AS a, code_l AS code_a, code_r AS code_b, match_probability, gap FROM scored
               UNION ALL SELECT unique_id_r, code_r, code_l, match_probability, gap FROM scored),
           anchor AS (
               SELECT a, arg_max(code_b, (match_probability, -gap, code_b)) AS code FROM directed
               WHERE code_a IS NULL AND code_b IS NOT NULL GROUP BY a)
           SELECT s.unique_id_l, s.unique_id_r, s.match_probability FROM scored s
           LEFT JOIN anchor al ON al.a = s.unique_id_l
           LEFT JOIN anchor ar ON ar.a = s.unique_id_r
           WHERE (s.code_r IS NULL OR al.code IS NULL OR al.code = s.code_r)
             AND (s.code_l IS NULL OR ar.code IS NULL OR ar.code = s.code_l)
             AND (al.code IS NULL OR ar.code IS NULL OR al.code = ar.code)
           UNION ALL SELECT unique_id_l, unique_id_r, 1.0 FROM _forced""",
    )
    work.drop("_detached")
    work.drop("_forced")
    clusters = cluster_pairwise_predictions_at_threshold(
        RECORDS,
        EDGES,
        work.db_api,
        node_id_column_name="unique_id",
        edge_id_column_name_left="unique_id_l",
        edge_id_column_name_right="unique_id_r",
        threshold_match_probability=threshold,
    )
    work.create(CLUSTERS, f"SELECT unique_id, cluster_id FROM {clusters.physical_name}")
    work.create(
        PAIRS,
        f"""SELECT p.* FROM _scored_pairs p
           WHERE EXISTS (SELECT 1 FROM {EDGES} e
                         WHERE e.unique_id_l = p.unique_id_l AND e.unique_id_r = p.unique_id_r)""",
    )
    parameters = "em" if trained else ("priors" if reused is None else "reused")
    return LinkResult(model=model_json, parameters=parameters)
