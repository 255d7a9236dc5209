"""Splink over the spelling records: train (or reuse) the model, score pairs, cluster.

Manual decisions enter here as graph edits before clustering: a link adds an
edge of probability 1, a split removes every scored edge of the detached
spelling. So they hold whatever the model later learns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on
from splink.clustering import cluster_pairwise_predictions_at_threshold

from jiancha.resolve.comparisons import settings
from jiancha.resolve.records import RECORDS

#: Below this many spellings EM has too few pairs to learn from; the priors stand.
MIN_TRAINING_RECORDS = 1000
#: Comparisons whose levels and weights explain a pair (output column names).
EXPLAINED = ("name_norm", "credit_code", "id_no")
#: The table of edges clustering used, left on the work connection for the caller.
EDGES = "_edges"


@dataclass(frozen=True)
class LinkResult:
    """Clusters of spelling records and the pairs that made them."""

    clusters: pa.Table  # unique_id, cluster_id
    pairs: pa.Table  # unique_id_l, unique_id_r, match_probability, match_weight, <comparison>_level/_weight
    model: dict[str, Any]
    trained: bool


def _representatives(work: duckdb.DuckDBPyConnection) -> str:
    """A table holding one record per credit code: companies known to be distinct.

    Records are spellings, several per entity, so random pairs of them match far
    more often than random pairs of companies; u estimated from them would count
    those matches (short names, abbreviations) as chance agreement and make strong
    evidence worth little. Pairs of different valid codes are true non-matches.
    """
    work.execute(
        f"""CREATE OR REPLACE TABLE _representatives AS SELECT * FROM {RECORDS} WHERE unique_id IN (
                SELECT arg_max(unique_id, (mentions, -unique_id)) FROM {RECORDS}
                WHERE credit_code IS NOT NULL GROUP BY credit_code)"""
    )
    return "_representatives"


def _train(
    db_api: DuckDBAPI, work: duckdb.DuckDBPyConnection, records: int, seed: int
) -> tuple[Linker, bool]:
    """Estimate the parameters without labels: u from random pairs of distinct companies, the
    prior from deterministic rules, m by EM. Below MIN_TRAINING_RECORDS only the prior is
    estimated and the m/u priors stand. Returns the linker and whether EM ran."""
    model: Any = settings()
    if records >= MIN_TRAINING_RECORDS:
        reps = Linker(db_api.register(_representatives(work)), model, log_level=logging.WARNING)
        reps.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        model = reps.misc.save_model_to_json()
    linker = Linker(db_api.register(RECORDS), model, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("credit_code"), block_on("name_norm")], recall=0.8
    )
    if records < MIN_TRAINING_RECORDS:
        return linker, False
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("credit_code"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("prefix2"))
    return linker, True


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


def _explain(pred: pa.Table, model: dict[str, Any]) -> pa.Table:
    """Keep each pair's probability, weight and, per comparison, its level label and weight."""
    labels = _level_labels(model)
    columns: dict[str, Any] = {
        "unique_id_l": pred.column("unique_id_l"),
        "unique_id_r": pred.column("unique_id_r"),
        "match_probability": pred.column("match_probability"),
        "match_weight": pred.column("match_weight"),
    }
    names = set(pred.column_names)
    for comp in EXPLAINED:
        gammas = pred.column(f"gamma_{comp}").to_pylist()
        weights = pred.column(f"mw_{comp}").to_pylist()
        tf = f"mw_tf_adj_{comp}"
        adjust = pred.column(tf).to_pylist() if tf in names else [0.0] * len(weights)
        columns[f"{comp}_level"] = [labels[comp][g] for g in gammas]
        columns[f"{comp}_weight"] = [round(w + (a or 0.0), 2) for w, a in zip(weights, adjust, strict=True)]
    return pa.table(columns)


def link_records(
    work: duckdb.DuckDBPyConnection,
    records: int,
    threshold: float,
    model: dict[str, Any] | None = None,
    forced_links: Iterable[tuple[int, int]] = (),
    detached: Iterable[int] = (),
    seed: int = 1,
) -> LinkResult:
    """Score and cluster the RECORDS table on ``work``.

    ``model`` is a saved Splink model to reuse (no training); ``forced_links`` are
    record pairs a person linked; ``detached`` are records a person split off.
    The edges clustering used stay on ``work`` in the table EDGES.
    """
    db_api = DuckDBAPI(connection=work)
    if model is None:
        linker, trained = _train(db_api, work, records, seed)
    else:
        linker, trained = Linker(db_api.register(RECORDS), model, log_level=logging.WARNING), False
    model_json = linker.misc.save_model_to_json()
    pred = linker.inference.predict(threshold_match_probability=threshold)
    pairs = _explain(pred.as_pyarrow_table(), model_json)
    work.register("_pairs", pairs)
    work.register("_detached", pa.table({"unique_id": pa.array(list(detached), pa.int64())}))
    forced = list(forced_links)
    work.register(
        "_forced",
        pa.table(
            {
                "unique_id_l": pa.array([a for a, _ in forced], pa.int64()),
                "unique_id_r": pa.array([b for _, b in forced], pa.int64()),
            }
        ),
    )
    work.execute(
        f"""CREATE OR REPLACE TABLE {EDGES} AS
           SELECT unique_id_l, unique_id_r, match_probability FROM _pairs
           WHERE unique_id_l NOT IN (SELECT unique_id FROM _detached)
             AND unique_id_r NOT IN (SELECT unique_id FROM _detached)
           UNION ALL SELECT unique_id_l, unique_id_r, 1.0 FROM _forced"""
    )
    clusters = cluster_pairwise_predictions_at_threshold(
        RECORDS,
        EDGES,
        db_api,
        node_id_column_name="unique_id",
        edge_id_column_name_left="unique_id_l",
        edge_id_column_name_right="unique_id_r",
        threshold_match_probability=threshold,
    )
    table = work.execute(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name} ORDER BY unique_id"
    ).to_arrow_table()
    kept = work.execute(
        f"""SELECT p.* FROM _pairs p
           WHERE (unique_id_l, unique_id_r) IN (SELECT (unique_id_l, unique_id_r) FROM {EDGES})
           ORDER BY unique_id_l, unique_id_r"""
    ).to_arrow_table()
    for name in ("_pairs", "_detached", "_forced"):
        work.unregister(name)
    return LinkResult(clusters=table, pairs=kept, model=model_json, trained=trained)
