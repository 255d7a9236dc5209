"""``jiancha run``: run supervision models over the lake and sync their clues into the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jiancha.cli.app import app, console, workspace
from jiancha.cli.models import ModelsDirOption, config_parameters
from jiancha.cli.params import EngineName, EngineOption, LakeOption, SparkMasterOption, parse_date, spark_only
from jiancha.i18n import tr
from jiancha.models.limits import DEFAULT_TIME_LIMIT

if TYPE_CHECKING:
    from jiancha.coverage import LakeCoverage
    from jiancha.findings import ModelRunRecord, RunRecord
    from jiancha.models.catalog import Catalog
    from jiancha.models.engine import Engine
    from jiancha.workspace import Workspace


@app.command("run")
def run_command(
    ctx: typer.Context,
    models: Annotated[
        str | None, typer.Option("--models", help="只运行这些模型，逗号分隔 (comma-separated model ids)")
    ] = None,
    models_dir: ModelsDirOption = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", help="覆盖参数：模型编号.参数名=值，可重复 (model_id.name=value, repeatable)"
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="认定日期 YYYY-MM-DD；默认取数据中最晚的日期 (as-of date)")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="每个模型查询的时限（秒） (seconds per query)", min=1)
    ] = DEFAULT_TIME_LIMIT,
    engine_name: EngineOption = EngineName.duckdb,
    spark_master: SparkMasterOption = None,
    lake: LakeOption = None,
) -> None:
    """运行监督模型，把线索同步到线索库 (run models; new, updated and no-longer-holding clues).

    Example: jiancha run --models water.facility_idle --param water.facility_idle.min_days=15;
    on a cluster: jiancha run --engine spark --spark-master spark://host:7077 --lake s3a://bucket/lake
    """
    from jiancha.clues.store import ClueStore
    from jiancha.law import catalogue_for
    from jiancha.models.catalog import Catalog
    from jiancha.models.parameters import parse_cli_params
    from jiancha.models.runner import RunSettings, run_models

    ws = workspace(ctx)
    catalog = Catalog.load(models_dir)
    ids = [m.strip() for m in models.split(",") if m.strip()] if models else None
    settings = RunSettings(
        as_of=parse_date(as_of, "--as-of"),
        parameters=parse_cli_params(param or []),
        config=config_parameters(ctx),
        time_limit=time_limit,
        feeds=ws.config().get("coverage", {}),
    )
    spark_only(engine_name, spark_master, lake)
    total = len(catalog.select(ids))
    with _engine(engine_name, ws, spark_master, lake) as engine:
        if settings.as_of is not None:
            read = {name for model in catalog.select(ids) for name in model.spec.datasets}
            warn_beyond_coverage(engine.coverage(settings.feeds), settings.as_of, read)
        with ClueStore(ws.store_url, seal=ws.audit_seal()) as store, _progress() as progress:
            task = progress.add_task(tr("运行模型", "Running models"), total=total)
            run = run_models(
                engine,
                catalog,
                store,
                ids,
                replace(settings, law=catalogue_for(store)),
                on_start=lambda model: progress.update(task, description=model.id),
                on_model=lambda model, record: progress.advance(task),
            )
    console.print(summary_table(run))
    for line in skipped_subject_lines(run, catalog):
        console.print(line, style="yellow", markup=False)
    errors = [r for r in run.models if r.status == "error"]
    for record in errors:
        console.print(f"[red]{record.model_id}[/]：{record.message}")
    if errors:
        raise typer.Exit(1)


@contextmanager
def _engine(name: EngineName, ws: Workspace, master: str | None, lake: str | None) -> Iterator[Engine]:
    """The engine a run uses, closed afterwards. For Spark the session is built, and Java and the
    master checked, before the clue store is opened: a run that cannot start writes nothing."""
    if name is EngineName.duckdb:
        from jiancha.models.engine import DuckDBEngine

        engine: Engine = DuckDBEngine(ws.lake_path)
        try:
            yield engine
        finally:
            engine.close()
        return
    from jiancha.lake.layout import lake_folder
    from jiancha.models.engine import SparkEngine
    from jiancha.spark.session import build_session, spark_master

    session = build_session(spark_master(master))
    try:
        engine = SparkEngine.from_lake(session, lake or lake_folder(ws.lake_path))
        try:
            yield engine
        finally:
            engine.close()
    finally:
        session.stop()


#: How many subjects a model skipped (Chinese measure word and noun, English noun), by subject type.
SUBJECT_COUNTS = {
    "facility": ("个设施", "facilities"),
    "manifest": ("张联单", "manifests"),
    "penalty": ("份处罚决定", "penalty decisions"),
    "transfer": ("件移送", "transfers"),
    "case": ("个案件", "cases"),
    "dealer": ("个收购点", "dealers"),
    "site": ("个工地", "sites"),
}
#: Skipped subjects named on the terminal per model; the run record keeps them all.
SKIPPED_SHOWN = 20


def warn_beyond_coverage(coverage: LakeCoverage, as_of: date, read: set[str]) -> None:
    """Name the feeds the chosen models ``read`` that end before ``as_of``: those models judge
    only up to where the feeds reach."""
    beyond = [feed for feed in coverage.beyond(as_of) if feed.dataset in read]
    if not beyond:
        return
    listed = "、".join(f"{f.title}（{tr('至', 'to')} {coverage.end(f)}）" for f in beyond)
    console.print(
        tr(
            f"注意：认定日期 {as_of} 晚于以下数据的覆盖期：{listed}。读取这些数据的模型只判断到数据所及之日，"
            "之后的期间不提出线索。",
            f"Note: the as-of date {as_of} lies beyond the data of {listed}. Models reading them judge "
            "only up to where the data reach; later periods raise no clue.",
        ),
        style="yellow",
        markup=False,
    )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def summary_table(run: RunRecord) -> Table:
    """Per model: findings, new, updated, no longer holding, time, and status or skip reason."""
    table = Table(title=tr(f"模型运行结果（认定日期 {run.as_of}）", f"Model run (as of {run.as_of})"))
    headers = [
        (tr("模型", "Model"), "left"),
        (tr("线索", "Findings"), "right"),
        (tr("新增", "New"), "right"),
        (tr("更新", "Updated"), "right"),
        (tr("不再成立", "No longer holds"), "right"),
        (tr("用时(秒)", "Seconds"), "right"),
        (tr("状态", "Status"), "left"),
    ]
    for header, justify in headers:
        table.add_column(header, justify=justify, overflow="fold")
    statuses = {"ok": tr("完成", "done"), "skipped": tr("跳过", "skipped"), "error": tr("出错", "error")}
    styles = {"ok": None, "skipped": "yellow", "error": "red"}
    for r in run.models:
        status = statuses[r.status] + (f"：{r.message}" if r.status == "skipped" else "")
        counts = (r.findings, r.counts.new, r.counts.updated, r.counts.no_longer_holds)
        table.add_row(r.model_id, *map(str, counts), f"{r.seconds:.2f}", status, style=styles[r.status])
    return table


def skipped_subject_lines(run: RunRecord, catalog: Catalog) -> list[str]:
    """One line per model that could not judge some subjects: how many, which, and why."""
    lines = []
    for record in run.models:
        if record.skipped_subjects:
            model = catalog.models.get(record.model_id)
            kind = model.spec.subject_type if model else ""
            lines.append(_skipped_line(record, *SUBJECT_COUNTS.get(kind, ("个对象", "subjects"))))
    return lines


def _skipped_line(record: ModelRunRecord, zh_noun: str, en_noun: str) -> str:
    skipped = record.skipped_subjects
    listed = "、".join(f"{s.subject_id}（{s.reason}）" for s in skipped[:SKIPPED_SHOWN])
    more = len(skipped) - SKIPPED_SHOWN
    if more > 0:
        listed += tr(f" 等（另有 {more} 个见运行记录）", f" and {more} more (see the run history)")
    return tr(
        f"{record.model_id} 跳过 {len(skipped)} {zh_noun}：{listed}",
        f"{record.model_id} skipped {len(skipped)} {en_noun}: {listed}",
    )
