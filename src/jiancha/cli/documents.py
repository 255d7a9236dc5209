"""``jiancha documents suggestion`` and ``jiancha report``: documents for signature.

The documents engine (python-docx, the clue store, charts) is imported inside each command,
so that ``jiancha --help`` and the other commands do not pay for it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console, workspace
from jiancha.errors import JianchaError
from jiancha.i18n import tr

documents_app = typer.Typer(help="文书：检察建议书 (documents)", no_args_is_help=True)
app.add_typer(documents_app, name="documents")

KIND_HELP = (
    "建议类型 (kind): public_interest 公益诉讼、social_governance 社会治理、"
    "correcting_illegality 纠正违法；默认按模型业务条线"
)


@documents_app.command("suggestion")
def suggestion(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 .docx 文件 (output file)")],
    urgent: Annotated[
        bool,
        typer.Option(
            "--urgent",
            help="情况紧急：公益诉讼十五日回复，其他类型须用 --reply-by 定回复日期 (urgent)",
        ),
    ] = False,
    reply_by: Annotated[
        str | None,
        typer.Option(
            "--reply-by",
            help="紧急的社会治理等建议由检察官确定的回复期限，如 2024-10-20 (reply date, urgent only)",
        ),
    ] = None,
    kind: Annotated[str | None, typer.Option("--type", help=KIND_HELP)] = None,
    confirm_unverified: Annotated[
        bool,
        typer.Option(
            "--confirm-unverified",
            help="已核对未经核实的条文并确认引用（记入审计日志）；否则不写入 (cite unverified provisions)",
        ),
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="只出草稿，不制发、不改变线索状态 (draft only)")
    ] = False,
    user: UserOption = None,
) -> None:
    """制发检察建议书：编号、记录、线索进入“已制发检察建议”并开始计算答复期限。

    回复期限：两个月；情况紧急时，公益诉讼检察建议十五日，其他检察建议为检察官确定的日期。

    Example: jiancha documents suggestion 3f2a9c0d1e4b5a6c --output 建议书.docx
    Example: jiancha documents suggestion 3f2a9c0d --type social_governance --urgent
    --reply-by 2024-10-20 -o 建议书.docx
    """
    from jiancha.clues.workflow import parse_reply_date
    from jiancha.documents.suggestion import draft_suggestion, issue_suggestion

    terms = {
        "urgent": urgent,
        "kind": kind,
        "reply_by": parse_reply_date(reply_by, "--reply-by"),
        "confirm_unverified": confirm_unverified,
    }
    with clue_store(ctx) as store:
        if draft:
            drafted = draft_suggestion(store, clue_id, acting_user(user), output, **terms)
            console.print(tr(f"草稿已写入 {drafted.path}", f"Draft written to {drafted.path}"))
            _print_warnings(drafted.warnings)
            _print_unverified(drafted.unverified, drafted.confirmed, issued=False)
            return
        issued = issue_suggestion(store, clue_id, acting_user(user), output, **terms)
    _print_warnings(issued.warnings)
    _print_unverified(issued.unverified, issued.confirmed, issued=True)
    console.print(
        tr(
            f"已制发 {issued.document_no}，答复期限 {issued.reply_due:%Y-%m-%d}；文书：{issued.path}",
            f"Issued {issued.document_no}, reply due {issued.reply_due:%Y-%m-%d}; document: {issued.path}",
        )
    )


def _print_unverified(provisions: tuple, confirmed: bool, *, issued: bool) -> None:
    """The unverified provisions the letter would cite, and whether it cites them."""
    if not provisions:
        return
    if confirmed:
        head = tr(
            "以下条文尚未核实，经确认已写入文书" + ("（已记入审计日志）：" if issued else "："),
            "These provisions are unverified and, as confirmed, cited"
            + (" (recorded in the audit log):" if issued else ":"),
        )
    elif issued:
        head = tr(
            "以下条文尚未核实，未写入已制发的文书：",
            "These provisions are unverified and were left out of the issued document:",
        )
    else:
        head = tr(
            "以下条文尚未核实，未写入草稿；核对原文后如需引用，"
            "制发时请加 --confirm-unverified（将记入审计日志）：",
            "These provisions are unverified and left out of the draft; after checking their text, "
            "issue with --confirm-unverified to cite them (recorded in the audit log):",
        )
    console.print(head, markup=False)
    for p in provisions:
        console.print(f"  · {p.citation}：{p.summary}", markup=False)


def _print_warnings(warnings: tuple[str, ...]) -> None:
    """What the letter lacks, one line each, so the prosecutor completes it before signing."""
    if warnings:
        console.print(tr(f"请注意（{len(warnings)} 处）：", f"Please check ({len(warnings)}):"))
    for warning in warnings:
        console.print(f"  · {warning}", markup=False)


@documents_app.command("fontconfig")
def fontconfig() -> None:
    """打印字体替换配置：缺少方正小标宋、仿宋_GB2312 等公文字体时，LibreOffice 改用 Noto CJK 字体排版。

    Example: jiancha documents fontconfig > ~/.config/fontconfig/conf.d/60-jiancha-fonts.conf
    """
    text = resources.files("jiancha.documents").joinpath("data/fonts.conf").read_text("utf-8")
    typer.echo(text, nl=False)


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
