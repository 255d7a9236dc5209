"""``jiancha resolve`` and ``jiancha entities show|link|split``: entity resolution at the command line."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jiancha.cli.app import acting_user, app, console, workspace
from jiancha.cli.params import EngineName, EngineOption, LakeOption, SparkMasterOption, spark_only
from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.resolve.threshold import DEFAULT_THRESHOLD

if TYPE_CHECKING:
    import duckdb

    from jiancha.resolve.review import EntityView
    from jiancha.resolve.service import ResolveSummary
    from jiancha.resolve.store import Decision
    from jiancha.workspace import Workspace

entities_app = typer.Typer(help="主体（单位、个人）识别结果的查看与人工决定 (review resolved entities)")
app.add_typer(entities_app, name="entities")

By = Annotated[str | None, typer.Option("--by", help="决定人（默认当前系统用户）(who decides)")]
Reason = Annotated[str, typer.Option("--reason", help="理由，必填 (why; required)")]
Code = Annotated[
    str | None, typer.Option("--code", help="该写法的统一社会信用代码 (the spelling's credit code)")
]


@contextmanager
def _lake(ws: Workspace, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """The workspace lake (``jiancha.lake.open_lake``), closed when the command ends."""
    from jiancha.lake import open_lake

    con = open_lake(ws, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def _resolve_with_progress(con: duckdb.DuckDBPyConnection, **options: object) -> ResolveSummary:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from jiancha.resolve.service import STEPS, resolve_lake

    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(tr("主体识别", "Resolving entities"), total=len(STEPS))

        def on_step(step: str) -> None:
            progress.update(task, description=step, completed=STEPS.index(step))

        summary = resolve_lake(con, on_step=on_step, **options)
        progress.update(task, completed=len(STEPS))
    return summary


def _print_summary(summary: ResolveSummary) -> None:
    if summary.up_to_date:
        console.print(
            tr("实体表已是最新（数据与人工决定均未变更），无需重新识别。", "Entities are up to date.")
        )
        return
    table = Table(title=tr("主体识别结果", "Resolution"), show_header=False)
    rows = (
        (tr("名称出现次数", "Mentions"), summary.mentions),
        (tr("折叠后的名称形式", "Folded forms compared"), summary.records),
        (tr("识别出的主体", "Entities"), summary.entities),
        (tr("并入他者的形式", "Forms merged"), summary.merged_records),
        (
            tr("参数估计", "Parameters"),
            {
                "em": tr("EM 无监督估计", "estimated by EM"),
                "reused": tr("沿用上次估计", "reused from the last run"),
                "priors": tr("先验值（写法过少，未估计）", "priors (too few spellings to estimate)"),
            }.get(summary.parameters, ""),
        ),
    )
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)
    if summary.unmatched_decisions:
        console.print(
            tr(
                f"[yellow]有 {summary.unmatched_decisions} 条人工决定所指的名称已不在数据中，已跳过。[/]",
                f"[yellow]{summary.unmatched_decisions} decision(s) name spellings no longer in the data.[/]",
            )
        )


def _check_threshold(threshold: float) -> float:
    if not 0 < threshold < 1:
        raise JianchaError(
            tr(
                f"匹配阈值应在 0 与 1 之间（不含端点），收到 {threshold}。",
                f"The match threshold must lie strictly between 0 and 1; got {threshold}.",
            )
        )
    return threshold


@app.command("resolve")
def resolve_command(
    ctx: typer.Context,
    threshold: Annotated[
        float, typer.Option("--threshold", help="匹配概率阈值 (match probability threshold)")
    ] = DEFAULT_THRESHOLD,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="重新估计模型参数 (re-estimate the model)")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="数据未变也重新识别 (resolve even if current)")
    ] = False,
    by: By = None,
    engine: EngineOption = EngineName.duckdb,
    spark_master: SparkMasterOption = None,
    lake: LakeOption = None,
) -> None:
    """识别各部门数据中的同一单位或个人（Splink），写入湖仓实体表。"""
    options = {
        "threshold": _check_threshold(threshold),
        "retrain": retrain,
        "force": force,
        "user": _user(by),
    }
    ws = workspace(ctx)
    spark_only(engine, spark_master, lake)
    if engine is EngineName.duckdb:
        with _lake(ws, read_only=False) as con:
            summary = _resolve_with_progress(con, **options)
    else:
        summary = _resolve_on_spark(ws, spark_master, lake, options)
    _print_summary(summary)


def _resolve_on_spark(
    ws: Workspace, master: str | None, lake: str | None, options: dict[str, object]
) -> ResolveSummary:
    """Start (and check) the session before the lake is opened for writing, so an unreachable
    master or a missing Java stops the command with a sentence and nothing written."""
    from jiancha.lake.layout import lake_folder
    from jiancha.spark.resolve import lake_source
    from jiancha.spark.session import build_session, spark_master

    session = build_session(spark_master(master), app_name="jiancha-resolve")
    try:
        source = lake_source(session, lake or lake_folder(ws.lake_path))
        with _lake(ws, read_only=False) as con:
            return _resolve_with_progress(con, source=source, **options)
    finally:
        session.stop()


def _user(by: str | None) -> str:
    return acting_user(by or os.environ.get("JIANCHA_USER"))


def _show(entity: EntityView) -> None:
    code = entity.credit_code or tr("无", "none")
    console.print(
        f"[bold]{entity.canonical_name}[/]  {entity.entity_id}  {tr('信用代码', 'credit code')} {code}"
    )
    spellings = Table(tr("写法", "Spelling"), tr("信用代码", "Credit code"), tr("出现位置", "Where"), "p")
    for s in entity.spellings:
        places = "、".join(s.places[:5]) + (f" …(+{len(s.places) - 5})" if len(s.places) > 5 else "")
        prob = "" if s.match_probability is None else f"{s.match_probability:.3f}"
        spellings.add_row(s.name, s.credit_code or "", places, prob)
    console.print(spellings)
    if not entity.links:
        return
    why = Table(
        tr("写法甲", "Spelling A"), tr("写法乙", "Spelling B"), "p", tr("匹配依据（权重）", "Why (weight)")
    )
    for link in entity.links:
        reasons = "；".join(
            label if w is None else f"{label} {w:+.1f}" for label, w in link.reasons if w != 0.0
        )
        why.add_row(link.name_l, link.name_r, f"{link.match_probability:.3f}", reasons)
    console.print(why)


@entities_app.command("show")
def show_command(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="名称或写法 (a name)")]
) -> None:
    """列出某主体的所有写法、出现位置及匹配依据。"""
    from jiancha.resolve import store
    from jiancha.resolve.review import find_entities
    from jiancha.resolve.sources import fingerprint

    with _lake(workspace(ctx), read_only=True) as con:
        if not store.is_current(con, fingerprint(con)) and store.latest_run(con) is not None:
            console.print(
                tr(
                    "[yellow]数据在上次识别后已变更，以下为上次的识别结果；请运行 jiancha resolve 更新。[/]",
                    "[yellow]Data changed since the last resolution; run `jiancha resolve` to update.[/]",
                )
            )
        found = find_entities(con, name)
    if not found:
        raise JianchaError(
            tr(
                f"实体表中没有名称为“{name}”（或折叠后相同）的主体；请检查名称，或先运行 jiancha resolve。",
                f"No entity is spelled '{name}' (or folds alike); check the name or run `jiancha resolve`.",
            )
        )
    for entity in found:
        _show(entity)


def _decide(ctx: typer.Context, decision: Decision) -> None:
    """Keep the decision in the lake, audit it, and re-resolve so it takes effect at once."""
    from jiancha.resolve import store
    from jiancha.resolve.audit import audit_decision
    from jiancha.resolve.service import require_spelling

    if not decision.reason.strip():
        raise JianchaError(tr("人工决定必须写明理由（--reason）。", "A decision needs a reason (--reason)."))
    ws = workspace(ctx)
    with _lake(ws, read_only=False) as con:
        for name in filter(None, (decision.name, decision.other_name)):
            require_spelling(con, name)
        store.add_decision(con, decision)
        previous = store.latest_run(con)
        threshold = previous.threshold if previous else DEFAULT_THRESHOLD
        summary = _resolve_with_progress(con, threshold=threshold, user=decision.decided_by)
    audit_decision(ws.store_url, decision, ws.audit_seal())
    console.print(tr(f"已记录决定 {decision.decision_id}。", f"Recorded decision {decision.decision_id}."))
    _print_summary(summary)


def _decision(
    action: str, name: str, code: str | None, reason: str, by: str | None, **other: str | None
) -> Decision:
    from jiancha.resolve.store import Decision

    return Decision(
        decision_id=uuid.uuid4().hex[:12],
        action=action,
        name=name,
        credit_code=code,
        other_name=other.get("other_name"),
        other_credit_code=other.get("other_credit_code"),
        reason=reason,
        decided_by=_user(by),
        decided_at=datetime.now(),
    )


@entities_app.command("link")
def link_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="写法甲 (first spelling)")],
    other: Annotated[str, typer.Argument(help="写法乙 (second spelling)")],
    reason: Reason,
    code: Code = None,
    other_code: Annotated[str | None, typer.Option("--other-code", help="写法乙的信用代码")] = None,
    by: By = None,
) -> None:
    """人工认定两种写法为同一主体（此后每次识别均保留）。"""
    _decide(ctx, _decision("link", name, code, reason, by, other_name=other, other_credit_code=other_code))


@entities_app.command("split")
def split_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="要拆出的写法 (spelling to split off)")],
    reason: Reason,
    code: Code = None,
    by: By = None,
) -> None:
    """人工将某一写法从其主体中拆出（此后每次识别均保留）。"""
    _decide(ctx, _decision("split", name, code, reason, by))
