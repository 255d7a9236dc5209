"""``jiancha audit verify`` and ``jiancha audit rotate-key``: the tamper-evident audit log from a shell."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from jiancha.cli.app import app, clue_store, console, fail, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, listing
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.clues.audit import VerifyReport

audit_app = typer.Typer(help="审计日志 (audit log)", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


def _status_title(status: str | None, _: object) -> str:
    """A workflow state in the user's words (the workflow module loads only when a list prints)."""
    from jiancha.clues.workflow import status_title

    return status_title(status) if status else ""


AUDIT_FIELDS = listing(
    "audit list",
    Field("seq", "序号", "seq", numeric=True, show=lambda v, _: str(v)),
    Field("at", "时间", "at", show=lambda v, _: v[:19].replace("T", " ")),
    Field("user", "操作人", "user"),
    Field("action", "操作", "action"),
    Field("clue_id", "线索编号", "clue"),
    Field("status_to", "转入状态", "to status", show=_status_title, sparse=True),
    Field("reason", "理由", "reason"),
    Field("data", "内容", "data", table=False),
)


@audit_app.command("list")
def audit_list(
    ctx: typer.Context,
    clue: Annotated[str | None, typer.Option("--clue", help="只看这条线索 (one clue's entries)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="只看此人的操作 (one user's entries)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="最多条数，最新在前 (newest first)")] = 100,
    format: FormatOption = OutputFormat.table,
) -> None:
    """列出审计日志，最新在前 (list the audit log, newest first).

    Example: jiancha audit list --clue 3fa2c1 --format csv > 审计.csv
    """
    with clue_store(ctx) as store:
        entries = store.audit_entries(limit, clue_id=clue, user=by)
    emit(map(asdict, entries), AUDIT_FIELDS, format, title=tr("审计日志", "Audit log"))


def _print_intact(report: VerifyReport) -> None:
    console.print(
        tr(
            f"审计日志完整：{report.entries} 条记录，哈希链无断裂，与 {report.anchors} 个签名链头相符。",
            f"Audit log intact: {report.entries} entries, chain unbroken, "
            f"consistent with {report.anchors} signed heads.",
        )
    )
    if report.unkeyed:
        span = "1" if report.unkeyed == 1 else f"1–{report.unkeyed}"
        console.print(
            tr(
                f"其中第 {span} 条记录写于启用审计密钥（修订 0010）之前，只以哈希校验："
                "能发现意外改动，不能发现有数据库写权限者的改写。",
                f"Entries {span} were written before audit keys (revision 0010) and are checked by "
                "their plain hash only: that shows accidental change, not a rewrite by someone "
                "who can write the database.",
            )
        )
    head = report.head
    console.print(
        tr(
            f"签名链头（请另行留存，以后核对）：第 {head.seq} 条 · 哈希 {head.hash} · 密钥 {head.key_id}"
            f" · 签名 {head.mac} · {head.at}",
            f"Signed head (keep a copy elsewhere to compare later): entry {head.seq} · hash {head.hash}"
            f" · key {head.key_id} · signature {head.mac} · {head.at}",
        )
    )


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """校验审计日志：密钥签名、哈希链与签名链头，指出第一条异常记录 (verify the audit log).

    Example: jiancha audit verify
    """
    with clue_store(ctx) as store, console.status(tr("正在校验审计日志哈希链…", "Checking the audit chain…")):
        report = store.verify_audit()
    if report.ok:
        _print_intact(report)
        return
    for problem in report.problems:
        console.print(f"[bold red]✗[/] {problem.message}")
    first = report.first_bad
    where = (
        tr(f"第一处异常在第 {first.seq} 条记录。", f"The first bad entry is number {first.seq}.")
        if first.seq
        else tr("问题在签名链头文件中。", "The problem is in the anchor file.")
    )
    raise fail(
        tr(
            f"审计日志被篡改：发现 {len(report.problems)} 处问题（共 {report.entries} 条记录）；{where}",
            f"The audit log was tampered with: {len(report.problems)} problems in {report.entries} "
            f"entries; {where}",
        )
    )


@audit_app.command("rotate-key")
def rotate_key(ctx: typer.Context) -> None:
    """换用新的审计密钥，旧密钥保留用于校验 (rotate the audit key; old keys stay for verification).

    New entries are signed with the new key at once in this process; running web workers
    pick it up when restarted. Example: jiancha audit rotate-key
    """
    from jiancha.clues.keys import rotate_key_file
    from jiancha.clues.seal import ENV_KEY, environment_keyring, key_file_path

    if environment_keyring() is not None:
        raise fail(
            tr(
                f"审计密钥来自环境变量 {ENV_KEY}，无法在此轮换：请在其末尾追加一项新的“密钥编号:十六进制密钥”"
                "（以逗号分隔，保留旧项），再重启各进程。",
                f"The audit key comes from {ENV_KEY}, which this command cannot change: append a new "
                "KEY_ID:HEX_SECRET entry to it (comma-separated, keeping the old ones) and restart.",
            )
        )
    ws = workspace(ctx)
    path = key_file_path(ws.home, ws.config())
    ws.audit_seal()  # make the first key if there is none yet, so there is something to rotate
    keyring = rotate_key_file(path)
    console.print(
        tr(
            f"已启用新审计密钥 {keyring.current_id}（{path}，共 {len(keyring.keys)} 个密钥，"
            "旧密钥保留用于校验）。",
            f"New audit key {keyring.current_id} in use ({path}; {len(keyring.keys)} keys, the old ones "
            "kept for verification).",
        )
    )
