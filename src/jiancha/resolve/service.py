"""``jiancha resolve``: read every party mention, link the spellings, write the entity tables.

The lake connection must be the writer. Splink works in a scratch space of its own — a
private in-memory DuckDB, or a Spark session (``jiancha.spark.resolve``) — so its tables never
reach the lake; only the finished tables come back and are written, in one transaction
(``store.replace_entities``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.resolve import store
from jiancha.resolve.decisions import graph_edits
from jiancha.resolve.linker import CLUSTERS, EDGES, PAIRS, link_records
from jiancha.resolve.records import RECORDS, SPELLINGS, build_records
from jiancha.resolve.sources import mentions_sql
from jiancha.resolve.threshold import DEFAULT_THRESHOLD
from jiancha.resolve.work import DuckDBSource, Source, Work

#: The steps a resolution reports, in order (for a progress bar).
STEPS = ("读取主体名称", "整理名称写法", "训练与比对 (Splink)", "聚类与人工决定", "写入湖仓")


@dataclass(frozen=True)
class ResolveSummary:
    """What a resolution did, for the command's report."""

    run_id: str | None
    up_to_date: bool
    mentions: int = 0
    records: int = 0
    entities: int = 0
    merged_records: int = 0
    parameters: str = ""  # "em" (estimated now), "reused" (the stored model) or "priors" (too few records)
    unmatched_decisions: int = 0


def require_spelling(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Refuse a decision about a spelling no dataset uses (a typo in the command, most likely)."""
    sql = mentions_sql(con)
    found = (
        sql is not None and con.execute(f"SELECT count(*) FROM ({sql}) WHERE name = ?", [name]).fetchone()[0]
    )
    if not found:
        raise JianchaError(
            tr(
                f"湖仓中没有写作“{name}”的单位或个人；请按数据原样输入名称（可用 entities show 查找）。",
                f"No party in the lake is spelled '{name}'; type it exactly as the data has it "
                "(find it with `jiancha entities show`).",
            )
        )


def _reusable(previous: store.Run | None, records: int) -> bool:
    """Whether the last run's trained model still fits: its u and prior were counted on a lake
    of that size, so a lake that halved or doubled since is trained afresh."""
    return previous is not None and previous.records > 0 and 0.5 <= records / previous.records <= 2


def _nothing(step: str) -> None:
    """Default progress callback: report nothing."""


def _assemble(work: Work) -> None:
    """Build entities, members and links on ``work`` from records, clusters, pairs and mentions."""
    work.create(
        "_rec",
        f"""SELECT r.*, k.cluster_id FROM {RECORDS} r JOIN {CLUSTERS} k USING (unique_id)""",
    )
    work.create(
        "_cluster",
        f"""WITH codes AS (SELECT cluster_id, credit_code, sum(mentions) AS n FROM _rec
                          WHERE credit_code IS NOT NULL GROUP BY ALL),
                folded AS (SELECT cluster_id, name_norm, sum(mentions) AS n FROM _rec GROUP BY ALL),
                raw AS (SELECT cluster_id, raw_name, sum(mentions) AS n FROM {SPELLINGS}
                        JOIN {CLUSTERS} USING (unique_id) GROUP BY ALL),
                size AS (SELECT cluster_id, count(*) AS records, sum(mentions)::BIGINT AS mentions,
                                min(unique_id) AS first_id FROM _rec GROUP BY ALL)
           SELECT s.*,
                  (SELECT arg_max(credit_code, (n, credit_code)) FROM codes c
                    WHERE c.cluster_id = s.cluster_id) AS credit_code,
                  (SELECT arg_max(name_norm, (n, name_norm)) FROM folded f WHERE f.cluster_id = s.cluster_id)
                      AS name_norm,
                  (SELECT arg_max(raw_name, (n, length(raw_name), raw_name)) FROM raw r
                    WHERE r.cluster_id = s.cluster_id) AS canonical_name
           FROM size s""",
    )
    work.create(
        "_ids",
        """SELECT cluster_id, CASE WHEN rn = 1 THEN base ELSE base || '#' || rn END AS entity_id FROM (
               SELECT cluster_id, base,
                      row_number() OVER (PARTITION BY base ORDER BY mentions DESC, first_id) AS rn
               FROM (SELECT *, CASE WHEN credit_code IS NOT NULL THEN 'code:' || credit_code
                                    ELSE 'name:' || name_norm END AS base FROM _cluster))""",
    )
    work.create(
        "_rec_prob",
        f"""SELECT unique_id, max(p) AS match_probability FROM (
               SELECT unique_id_l AS unique_id, match_probability AS p FROM {EDGES}
               UNION ALL SELECT unique_id_r, match_probability FROM {EDGES}) GROUP BY unique_id""",
    )
    work.create(
        "_out_members",
        f"""SELECT i.entity_id, m.dataset, m.field, m.file, m.row, m.name, r.name_norm, m.credit_code,
                  m.id_no, r.unique_id AS record_id, p.match_probability
           FROM mentions m
           JOIN {SPELLINGS} s ON s.raw_name = m.name AND s.raw_credit_code IS NOT DISTINCT FROM m.credit_code
                      AND s.raw_id_no IS NOT DISTINCT FROM m.id_no
           JOIN _rec r ON r.unique_id = s.unique_id
           JOIN _ids i USING (cluster_id)
           LEFT JOIN _rec_prob p ON p.unique_id = r.unique_id""",
    )
    work.create(
        "_out_entities",
        """SELECT i.entity_id, c.canonical_name, c.credit_code, c.records, c.mentions,
                  (SELECT list_sort(list(DISTINCT dataset)) FROM _out_members m
                    WHERE m.entity_id = i.entity_id) AS datasets
           FROM _cluster c JOIN _ids i USING (cluster_id)""",
    )
    work.create(
        "_out_links",
        f"""SELECT i.entity_id, e.unique_id_l, l.raw_name AS name_l, l.raw_credit_code AS credit_code_l,
                  e.unique_id_r, r.raw_name AS name_r, r.raw_credit_code AS credit_code_r,
                  e.match_probability, p.match_weight,
                  coalesce(p.name_norm_level, '人工关联 (linked by a reviewer)') AS name_level,
                  p.name_norm_weight AS name_weight, p.credit_code_level AS code_level,
                  p.credit_code_weight AS code_weight, p.id_no_level, p.id_no_weight
           FROM {EDGES} e
           JOIN _rec l ON l.unique_id = e.unique_id_l
           JOIN _rec r ON r.unique_id = e.unique_id_r
           JOIN _ids i ON i.cluster_id = l.cluster_id
           LEFT JOIN {PAIRS} p USING (unique_id_l, unique_id_r)""",
    )


def resolve_lake(
    con: duckdb.DuckDBPyConnection,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    retrain: bool = False,
    force: bool = False,
    user: str,
    on_step: Callable[[str], None] = _nothing,
    source: Source | None = None,
) -> ResolveSummary:
    """Resolve every party in the lake ``con`` (the writer) and store the entities.

    ``source`` is where the mentions are read and linked: the lake itself on a private DuckDB by
    default, or a Spark session's view of it (``jiancha.spark.resolve.SparkSource``); either way
    the decisions, the previous run and the finished tables go through ``con``.

    Skips the work when the stored resolution is current: same data, same
    threshold, no decision since. Otherwise re-resolves everything, reusing the
    stored model unless ``retrain`` or the number of records halved or doubled.
    """
    source = DuckDBSource(con) if source is None else source
    on_step(STEPS[0])
    digest = source.fingerprint()
    previous = store.latest_run(con)
    decided = store.decisions(con)
    if (
        not force
        and previous is not None
        and previous.fingerprint == digest
        and previous.threshold == threshold
        and all(d.decided_at <= previous.resolved_at for d in decided)
    ):
        return ResolveSummary(run_id=previous.run_id, up_to_date=True)
    with source.work() as work:
        on_step(STEPS[1])
        records = build_records(work, "mentions")
        edits = graph_edits(work, decided)
        on_step(STEPS[2])
        model = None if retrain or not _reusable(previous, records) else json.loads(previous.model_json)
        result = link_records(work, records, threshold, model, sorted(edits.links), sorted(edits.detached))
        on_step(STEPS[3])
        _assemble(work)
        entities = work.arrow("SELECT * FROM _out_entities ORDER BY entity_id")
        members = work.arrow("SELECT * FROM _out_members ORDER BY entity_id, dataset, field, row, file, name")
        links = work.arrow(
            "SELECT * FROM _out_links ORDER BY entity_id, match_probability DESC, unique_id_l, unique_id_r"
        )
    on_step(STEPS[4])
    run = store.Run(
        run_id=uuid.uuid4().hex[:12],
        resolved_at=datetime.now(),
        fingerprint=digest,
        threshold=threshold,
        records=records,
        entities=entities.num_rows,
        decided_by=user,
        model_json=json.dumps(result.model, ensure_ascii=False),
    )
    store.replace_entities(con, run, entities, members, links)
    return ResolveSummary(
        run_id=run.run_id,
        up_to_date=False,
        mentions=members.num_rows,
        records=records,
        entities=entities.num_rows,
        merged_records=records - entities.num_rows,
        parameters=result.parameters,
        unmatched_decisions=len(edits.unmatched),
    )
