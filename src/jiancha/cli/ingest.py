"""``jiancha ingest DROP`` and ``jiancha datasets``: load a data drop, list what the lake holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jiancha.cli.app import app, console, workspace
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.ingest import IngestReport

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
) -> None:
    """导入一批块数据 (load a data drop into the workspace's lake).

    Example: jiancha --home ./jiancha-home ingest ./drop --report rejections.xlsx
    """
    from jiancha.ingest import ingest_drop, write_report

    result = ingest_drop(workspace(ctx), drop)
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
        write_report(result, report)
        console.print(tr(f"拒绝与警告已写入 {report}", f"Rejections written to {report}"))
    if result.unlisted:
        console.print(
            tr(
                f"另有 {result.unlisted:,} 条拒绝与警告未列出，完整记录在数据湖的 _rejections 表中。",
                f"{result.unlisted:,} more rejections are not listed; "
                "all are in the lake's _rejections table.",
            )
        )


@app.command("datasets")
def list_datasets(ctx: typer.Context) -> None:
    """列出数据湖中的数据集、行数与来源 (list loaded datasets with row counts and lineage).

    Example: jiancha --home ./jiancha-home datasets
    """
    from jiancha.contracts import dataset
    from jiancha.lake import CURRENT_LOADS, loaded_datasets, open_lake

    with open_lake(workspace(ctx), read_only=True) as con:
        names = loaded_datasets(con)
        lineage = {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT dataset, file_name, sha256, finished_at, os_user, rows_rejected, warnings "
                f"FROM ({CURRENT_LOADS})"
            ).fetchall()
        }
        counts = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    table = Table(title=tr("数据湖中的数据集", "Datasets in the lake"))
    _add_columns(
        table,
        (
            ("数据集", "dataset", False),
            ("标题", "title", False),
            ("行数", "rows", True),
            ("文件", "file", False),
            ("sha256", "sha256", False),
            ("导入时间", "loaded at", False),
            ("导入人", "by", False),
            ("拒绝", "rejected", True),
            ("警告", "warnings", True),
        ),
    )
    for name in names:
        file_name, sha, when, user, rejected, warnings = lineage.get(name, ("",) * 6)
        table.add_row(
            name,
            dataset(name).title,
            f"{counts[name]:,}",
            file_name,
            (sha or "")[:12],
            f"{when:%Y-%m-%d %H:%M}" if when else "",
            user or "",
            f"{rejected or 0:,}",
            f"{warnings or 0:,}",
        )
    console.print(table)
    if not names:
        console.print(
            tr("数据湖中还没有数据集；请先运行 jiancha ingest DROP。", "No datasets yet; run jiancha ingest.")
        )
