"""``jiancha ingest DROP`` and ``jiancha datasets``: load a data drop, list what the lake holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from jiancha.cli.app import app, console, fail, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, listing, note
from jiancha.cli.params import parse_date
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.ingest import IngestReport

if TYPE_CHECKING:
    import duckdb

    from jiancha.coverage import LakeCoverage

#: Rejections printed in the terminal; the rest are in the --report file.
SHOWN_REJECTIONS = 50

_STATUS = {
    "loaded": ("已导入", "loaded"),
    "unchanged": ("未变化", "unchanged"),
    "rejected_file": ("整个文件被拒绝", "file rejected"),
    "skipped": ("已跳过", "skipped"),
}


def _status(code: str) -> str:
    return tr(*_STATUS[code])


def _add_columns(table: Table, headers: tuple[tuple[str, str, bool], ...]) -> None:
    """Columns as (中文, English, numeric); numeric columns are right-aligned."""
    for zh, en, numeric in headers:
        table.add_column(tr(zh, en), justify="right" if numeric else "left")


def _files_table(report: IngestReport) -> Table:
    table = Table(title=tr("导入结果", "Ingest results"))
    _add_columns(
        table,
        (
            ("文件", "file", False),
            ("数据集", "dataset", False),
            ("状态", "status", False),
            ("读取", "read", True),
            ("导入", "loaded", True),
            ("拒绝", "rejected", True),
            ("警告", "warnings", True),
            ("说明", "note", False),
        ),
    )
    for f in report.files:
        counts = (f.rows_read, f.rows_loaded, f.rows_rejected, f.warnings)
        shown = [f"{n:,}" if f.status == "loaded" else "" for n in counts]
        table.add_row(f.file, f.dataset or "", _status(f.status), *shown, f.message or "")
    return table


def _rejections_table(report: IngestReport) -> Table:
    from jiancha.ingest.report import report_columns, report_row

    shown = report.rejections[:SHOWN_REJECTIONS]
    table = Table(title=tr("被拒绝的行与警告", "Rejected rows and warnings"))
    for header in report_columns():
        table.add_column(header)
    for r in shown:
        table.add_row(*("" if cell is None else str(cell) for cell in report_row(r)))
    return table


@app.command()
def ingest(
    ctx: typer.Context,
    drop: Annotated[
        Path, typer.Argument(help="数据目录：每个数据集一个 csv/xlsx/parquet 文件 (drop folder)")
    ],
    report: Annotated[
        Path | None,
        typer.Option("--report", help="把被拒绝的行与警告写入 .csv 或 .xlsx 文件 (write rejections)"),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="与原有数据合并：本批重述的行（同键，或无键数据集的同期）以本批为准，其余保留 "
            "(merge into the data already held instead of replacing it)",
        ),
    ] = False,
) -> None:
    """导入一批块数据 (load a data drop into the workspace's lake).

    Example: jiancha --home ./jiancha-home ingest ./drop-2025-01 --merge --report rejections.xlsx
    """
    from jiancha.ingest import ingest_drop, write_report

    result = ingest_drop(workspace(ctx), drop, merge=merge)
    console.print(_files_table(result))
    if result.rejections:
        console.print(_rejections_table(result))
        hidden = len(result.rejections) - SHOWN_REJECTIONS
        if hidden > 0 and report is None:
            console.print(
                tr(
                    f"另有 {hidden:,} 条未显示；用 --report 文件 导出全部。",
                    f"{hidden:,} more not shown; use --report FILE to export them all.",
                )
            )
    if report is not None:
        try:
            write_report(result, report)
        except OSError as exc:
            raise fail(
                tr(
                    f"数据已导入，但拒绝报告 {report} 无法写入（{exc.strerror or exc}）；"
                    "全部拒绝记录在数据湖的 _rejections 表中，请换一个可写的位置或腾出空间。",
                    f"The data were loaded, but the report {report} could not be written "
                    f"({exc.strerror or exc}); every rejection is in the lake's _rejections table. "
                    "Choose a writable place or free some space.",
                )
            ) from exc
        console.print(tr(f"拒绝与警告已写入 {report}", f"Rejections written to {report}"))
    if result.unlisted:
        console.print(
            tr(
                f"另有 {result.unlisted:,} 条拒绝与警告未列出，完整记录在数据湖的 _rejections 表中。",
                f"{result.unlisted:,} more rejections are not listed; "
                "all are in the lake's _rejections table.",
            )
        )


DATASET_FIELDS = listing(
    "datasets",
    Field("dataset", "数据集", "dataset"),
    Field("title", "标题", "title"),
    Field("rows", "行数", "rows", numeric=True),
    Field("file", "文件", "file"),
    Field("sha256", "sha256", "sha256", show=lambda sha, _: sha[:12]),
    Field("loaded_at", "导入时间", "loaded at"),
    Field("loaded_by", "导入人", "by"),
    Field("rejected", "拒绝", "rejected", numeric=True),
    Field("warnings", "警告", "warnings", numeric=True),
    Field("covers_from", "覆盖起", "covers from", sparse=True),
    Field("covers_to", "覆盖止", "covers to", sparse=True),
)


def dataset_rows(con: duckdb.DuckDBPyConnection, coverage: LakeCoverage) -> list[dict[str, Any]]:
    """One row per loaded dataset: its current load's file, hash, time, user and counts, and
    for a continuous feed the period it covers."""
    from jiancha.contracts import dataset
    from jiancha.lake import CURRENT_LOADS, loaded_datasets

    lineage = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT dataset, file_name, sha256, finished_at, os_user, rows_rejected, warnings "
            f"FROM ({CURRENT_LOADS})"
        ).fetchall()
    }
    rows = []
    for name in loaded_datasets(con):
        file_name, sha, when, user, rejected, warnings = lineage.get(name, (None,) * 6)
        feed = coverage.feeds.get(name)
        rows.append(
            {
                "dataset": name,
                "title": dataset(name).title,
                "rows": con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0],
                "file": file_name,
                "sha256": sha,
                "loaded_at": when,
                "loaded_by": user,
                "rejected": rejected or 0,
                "warnings": warnings or 0,
                "covers_from": feed.span.first if feed else None,
                "covers_to": feed.span.last if feed else None,
            }
        )
    return rows


@app.command("datasets")
def list_datasets(
    ctx: typer.Context,
    format: FormatOption = OutputFormat.table,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="按此日期判断数据是否中断 YYYY-MM-DD；默认今天 (date gaps are judged at)"
        ),
    ] = None,
) -> None:
    """列出数据湖中的数据集、行数、来源与覆盖期，并指出已中断的数据 (datasets, lineage, coverage, gaps).

    Example: jiancha --home ./jiancha-home datasets --format csv > datasets.csv
    """
    from jiancha.coverage import coverage_gaps, read_coverage
    from jiancha.lake import open_lake

    ws = workspace(ctx)
    overrides = ws.config().get("coverage", {})
    reference = parse_date(as_of, "--as-of") or date.today()
    with open_lake(ws, read_only=True) as con:
        rows = dataset_rows(con, read_coverage(con, overrides))
        gaps = coverage_gaps(con, reference, overrides)
    emit(rows, DATASET_FIELDS, format, title=tr("数据湖中的数据集", "Datasets in the lake"))
    for gap in gaps:
        note(f"[yellow]{tr('数据中断', 'Feed stopped')}：[/]{gap.sentence()}", format)
    if not rows:
        note(
            tr(
                "数据湖中还没有数据集；请先运行 jiancha ingest DROP。", "No datasets yet; run jiancha ingest."
            ),
            format,
        )
