"""``jiancha lake status|convert|vacuum``: the Parquet lake's housekeeping."""

from __future__ import annotations

from typing import Annotated

import typer

from jiancha.cli.app import app, console, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, note
from jiancha.i18n import tr

lake_app = typer.Typer(help="数据湖（Parquet 版本）的查看、转换与清理 (lake status, convert, vacuum)")
app.add_typer(lake_app, name="lake")

STATUS_FIELDS = (
    Field("name", "表", "table"),
    Field("kind", "类别", "kind"),
    Field("stored", "存放于", "stored in"),
    Field("version", "当前版本", "version"),
    Field("rows", "行数", "rows"),
    Field("files", "文件数", "files"),
    Field("size_bytes", "字节", "bytes"),
    Field("versions", "保留版本数", "versions kept"),
)


@lake_app.command("status")
def status(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """列出数据湖的格式、各表当前版本、行数、文件与孤立文件夹 (format, tables, versions, orphans).

    Example: jiancha lake status --format json
    """
    from dataclasses import asdict

    from jiancha.lake import open_lake
    from jiancha.lake.layout import lake_folder
    from jiancha.lake.status import lake_status

    ws = workspace(ctx)
    with open_lake(ws, read_only=True) as con:
        found = lake_status(con, lake_folder(ws.lake_path))
    emit(
        [asdict(t) for t in found.tables],
        STATUS_FIELDS,
        format,
        title=tr(f"数据湖（格式 {found.format}）", f"The lake (format {found.format})"),
    )
    if found.format == 1:
        note(
            tr(
                "数据集仍存放在 lake.duckdb 中（旧格式）：请运行 jiancha lake convert。",
                "Datasets are still held in lake.duckdb (the older format): run `jiancha lake convert`.",
            ),
            format,
        )
    for path in found.orphans:
        note(
            tr(
                f"孤立文件夹（未提交的写入留下，下次写入时删除）：{path}",
                f"Orphan folder (left by a write that never committed; the next writer removes it): {path}",
            ),
            format,
        )


@lake_app.command("convert")
def convert(ctx: typer.Context) -> None:
    """将旧格式数据湖（数据存于 lake.duckdb）原地转换为 Parquet 版本 (convert an older lake in place).

    Each table is converted in its own transaction; interrupted, run it again.
    Example: jiancha --home ./jiancha-home lake convert
    """
    from jiancha.ingest.progress import LoadProgress
    from jiancha.lake import open_lake
    from jiancha.lake.convert import convert_lake
    from jiancha.lake.layout import lake_folder

    ws = workspace(ctx)
    with open_lake(ws, read_only=False) as con, LoadProgress(True) as bars:
        done = convert_lake(con, lake_folder(ws.lake_path), lambda sql, what: bars.execute(con, sql, what))
    for table in done:
        console.print(
            tr(
                f"已转换 {table.table}：{table.rows:,} 行 → 版本 {table.version}",
                f"Converted {table.table}: {table.rows:,} rows → version {table.version}",
            )
        )
    if not done:
        console.print(tr("数据湖已是 Parquet 格式，无需转换。", "The lake is Parquet already; no change."))


@lake_app.command("vacuum")
def vacuum(
    ctx: typer.Context,
    days: Annotated[
        float, typer.Option("--days", min=0, help="删除早于此天数的非当前版本 (older than N days)")
    ] = 30,
) -> None:
    """删除孤立文件夹，以及早于 N 天、已非当前的版本；当前版本从不删除 (remove old versions).

    Example: jiancha lake vacuum --days 90
    """
    from jiancha.lake import open_lake
    from jiancha.lake.layout import lake_folder
    from jiancha.lake.versions import vacuum as vacuum_lake

    ws = workspace(ctx)
    with open_lake(ws, read_only=False) as con:
        removed = vacuum_lake(con, lake_folder(ws.lake_path), days)
    for path in removed:
        console.print(tr(f"已删除 {path}", f"Removed {path}"))
    console.print(tr(f"共删除 {len(removed)} 个版本文件夹。", f"{len(removed)} version folders removed."))
