"""``jiancha documents suggestion`` and ``jiancha report``: documents for signature."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console, workspace
from jiancha.documents.content import KINDS
from jiancha.errors import JianchaError
from jiancha.i18n import tr

documents_app = typer.Typer(help="文书：检察建议书 (documents)", no_args_is_help=True)
app.add_typer(documents_app, name="documents")


@documents_app.command("suggestion")
def suggestion(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 .docx 文件 (output file)")],
    urgent: Annotated[
        bool, typer.Option("--urgent", help="紧急：答复期限十五日 (urgent: 15-day reply)")
    ] = False,
    kind: Annotated[
        str | None, typer.Option("--type", help=f"建议类型 (kind): {', '.join(KINDS)}；默认按模型业务条线")
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="只出草稿，不制发、不改变线索状态 (draft only)")
    ] = False,
    user: UserOption = None,
) -> None:
    """制发检察建议书：编号、记录、线索进入“已制发检察建议”并开始计算答复期限。

    Example: jiancha documents suggestion 3f2a9c0d1e4b5a6c --output 建议书.docx
    """
    from jiancha.documents.suggestion import draft_suggestion, issue_suggestion

    with clue_store(ctx) as store:
        if draft:
            path = draft_suggestion(store, clue_id, acting_user(user), output, urgent=urgent, kind=kind)
            console.print(tr(f"草稿已写入 {path}", f"Draft written to {path}"))
            return
        issued = issue_suggestion(store, clue_id, acting_user(user), output, urgent=urgent, kind=kind)
    console.print(
        tr(
            f"已制发 {issued.document_no}，答复期限 {issued.reply_due:%Y-%m-%d}；文书：{issued.path}",
            f"Issued {issued.document_no}, reply due {issued.reply_due:%Y-%m-%d}; document: {issued.path}",
        )
    )


@app.command("report")
def report(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="期间：2024、2024-Q3 或 2024-07 (period)")],
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", help="输出文件夹；默认工作区 artifacts/ (output folder)")
    ] = None,
) -> None:
    """写出期间工作报告（.docx 与 .xlsx）：各模型、各检察院的线索、立案、检察建议与整改。

    Example: jiancha report --period 2024-Q3
    """
    from jiancha.documents.period import parse_period
    from jiancha.documents.report import collect, write_report

    chosen = parse_period(period)
    ws = workspace(ctx)
    with clue_store(ctx) as store:
        figures = collect(store, chosen)
    if figures.total.clues == 0 and not figures.by_model:
        raise JianchaError(
            tr(
                f"{chosen.title}没有任何线索或办理记录，未生成报告。",
                f"Nothing was raised or worked in {chosen.label}; no report written.",
            )
        )
    docx_path, xlsx_path = write_report(figures, output_dir or ws.artifacts_dir)
    console.print(
        tr(f"报告已写入 {docx_path} 与 {xlsx_path}", f"Report written to {docx_path} and {xlsx_path}")
    )
