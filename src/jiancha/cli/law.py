"""``jiancha law list|show|add|verify``: the legal-basis catalogue and the workspace's own provisions.

Heavy modules (the clue store pulls in SQLAlchemy) are imported inside the
commands, so ``import jiancha.cli`` stays light.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console, fail, workspace
from jiancha.i18n import tr

if TYPE_CHECKING:
    from collections.abc import Iterable

    from jiancha.law import LawCatalogue, Provision

law_app = typer.Typer(
    help="法律依据目录 (legal-basis catalogue: list, show, add, verify)", no_args_is_help=True
)
app.add_typer(law_app, name="law")

SQLITE_PREFIX = "sqlite:///"


def workspace_law(ctx: typer.Context) -> LawCatalogue:
    """The built-in provisions plus this workspace's own; a workspace without a store has none of its own."""
    from jiancha.law import builtin_catalogue, catalogue_for

    url = workspace(ctx).store_url
    if url.startswith(SQLITE_PREFIX) and not Path(url.removeprefix(SQLITE_PREFIX)).exists():
        return builtin_catalogue()
    with clue_store(ctx) as store:
        return catalogue_for(store)


def status_label(provision: Provision) -> str:
    return tr("已核实", "verified") if provision.verified else tr("未核实", "unverified")


def print_provisions(provisions: Iterable[Provision]) -> None:
    """Each provision's citation, status and wording, as ``models show`` and ``law show`` print them."""
    for p in provisions:
        mark = "" if p.verified else f" [yellow]（{status_label(p)}）[/]"
        console.print(f"• [bold]{p.citation}[/]{mark}", highlight=False)
        console.print(f"  {p.wording}", markup=False, highlight=False)


@law_app.command("list")
def list_law(
    ctx: typer.Context,
    unverified: Annotated[
        bool, typer.Option("--unverified", help="只列未核实的条文 (only unverified provisions)")
    ] = False,
) -> None:
    """列出法律依据目录：内置条文与本工作区添加的条文 (list the provisions and their keys).

    Example: jiancha law list --unverified
    """
    law = workspace_law(ctx)
    table = Table(title=tr("法律依据目录", "Legal-basis catalogue"))
    headers = [tr("编号", "Key"), tr("条文", "Provision"), tr("要点", "Summary")]
    headers += [tr("状态", "Status"), tr("来源", "Origin")]
    for header in headers:
        table.add_column(header, overflow="fold")
    for p in law:
        if unverified and p.verified:
            continue
        origin = tr("内置", "built-in") if law.is_builtin(p.key) else tr("本工作区", "this workspace")
        table.add_row(p.key, p.citation, p.summary, status_label(p), origin)
    console.print(table)


@law_app.command("show")
def show_law(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="条文编号 (provision key)")]
) -> None:
    """显示一个条文：法律全称、版本、施行日期、条文原文、来源与核实状态 (show one provision).

    Example: jiancha law show admin_litigation_law.art25.p4
    """
    p = workspace_law(ctx).get(key)
    in_force = f"{p.in_force.year}年{p.in_force.month}月{p.in_force.day}日" if p.in_force else "—"
    console.print(f"[bold]{p.citation}[/]  {status_label(p)}", highlight=False)
    rows = [
        (tr("法律", "Law"), p.law),
        (tr("版本", "Version"), p.version or "—"),
        (tr("施行日期", "In force"), in_force),
        (tr("条文", "Text"), p.text or tr("（未录入原文）", "(wording not entered)")),
        (tr("要点", "Summary"), p.summary),
        (tr("来源", "Source"), p.source or "—"),
    ]
    for label, value in rows:
        console.print(f"{label}：{value}", markup=False, highlight=False)


@law_app.command("add")
def add_law(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="新条文编号，如 local.hebei_theft.amount (new key)")],
    law: Annotated[str, typer.Option("--law", help="法律全称，不加书名号 (the law's full title)")],
    summary: Annotated[str, typer.Option("--summary", help="一句话要点 (one-line summary)")],
    article: Annotated[str, typer.Option("--article", help="条，如 第五条 (article)")] = "",
    paragraph: Annotated[str, typer.Option("--paragraph", help="款，如 第二款 (paragraph)")] = "",
    item: Annotated[str, typer.Option("--item", help="项，如 第（三）项 (item)")] = "",
    text: Annotated[str, typer.Option("--text", help="条文原文或所引部分 (the statute's wording)")] = "",
    version: Annotated[str, typer.Option("--version", help="版本，如 2020年修正 (version)")] = "",
    in_force: Annotated[
        str | None, typer.Option("--in-force", help="施行日期 YYYY-MM-DD (date in force)")
    ] = None,
    source: Annotated[str, typer.Option("--source", help="条文出处 (where the text comes from)")] = "",
    user: UserOption = None,
) -> None:
    """把条文加入本工作区的目录；在核实之前为“未核实” (add a provision, unverified until reviewed).

    Example: jiancha law add local.hebei_theft.amount --law 河北省盗窃罪数额标准 --summary "数额较大为…"
    """
    try:
        starts = date.fromisoformat(in_force) if in_force else None
    except ValueError:
        raise fail(
            tr(
                f"施行日期 {in_force} 应写作 YYYY-MM-DD（如 2020-09-01）。",
                f"The date in force {in_force} should read YYYY-MM-DD (e.g. 2020-09-01).",
            )
        ) from None
    from jiancha.law import Provision

    provision = Provision(key, law, version, starts, article, paragraph, item, text, summary, source, False)
    with clue_store(ctx) as store:
        added = store.add_provision(provision, acting_user(user))
    console.print(
        tr(
            f"已加入 {added.citation}（{added.key}），状态：未核实；"
            "请检察官或院领导用 jiancha law verify 核实。",
            f"Added {added.citation} ({added.key}), unverified; a prosecutor or leadership user "
            "verifies it with jiancha law verify.",
        ),
        highlight=False,
    )


@law_app.command("verify")
def verify_law(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="条文编号 (provision key)")],
    user: UserOption = None,
) -> None:
    """核实本工作区添加的条文（检察官或院领导；记入审计日志） (mark a provision verified; audited).

    Example: jiancha law verify local.hebei_theft.amount --user zhangsan
    """
    with clue_store(ctx) as store:
        verified = store.verify_provision(key, acting_user(user))
    console.print(tr(f"{verified.citation} 已核实。", f"{verified.citation} is verified."), highlight=False)
