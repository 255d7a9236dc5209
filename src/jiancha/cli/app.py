"""The root Typer app, its global options, and the edge where errors become messages.

Each command group lives in its own module of this package and registers itself
on :data:`app`; commands stay thin and call the library.
"""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from jiancha.errors import JianchaError
from jiancha.i18n import tr, use_language
from jiancha.workspace import Workspace

if TYPE_CHECKING:
    from jiancha.clues import ClueStore

console = Console()
err_console = Console(stderr=True)

app = typer.Typer(
    name="jiancha",
    help="检察 jiancha：数字检察法律监督平台 — 块数据接入、监督模型、线索流转与文书。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home", envvar="JIANCHA_HOME", help="工作区文件夹 (workspace folder)；默认 ./jiancha-home"
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", envvar="JIANCHA_LANG", help="界面语言 zh 或 en (interface language)"),
    ] = None,
) -> None:
    """检察 jiancha: digital procuratorial legal supervision."""
    ctx.obj = {"home": home, "lang": lang or "zh"}
    ctx.with_resource(use_language(lang or "zh"))


def workspace(ctx: typer.Context) -> Workspace:
    """The workspace chosen by --home / JIANCHA_HOME for this command."""
    return Workspace.resolve(ctx.obj.get("home") if ctx.obj else None)


UserOption = Annotated[
    str | None, typer.Option("--user", envvar="JIANCHA_USER", help="操作人 (who acts; default: login name)")
]


def acting_user(named: str | None) -> str:
    """Who acts, for the audit log: the name given (option or JIANCHA_USER), else the login name."""
    return named or getpass.getuser()


def clue_store(ctx: typer.Context) -> ClueStore:
    """The workspace's clue store (imported here, so commands that never touch it start faster)."""
    from jiancha.clues import ClueStore

    ws = workspace(ctx)
    return ClueStore(ws.store_url, seal=ws.audit_seal())


def fail(message: str) -> typer.Exit:
    """Print a sentence explaining the failure and return the exit to raise (code 1)."""
    err_console.print(f"[bold red]{tr('错误', 'Error')}：[/]{message}")
    return typer.Exit(1)


def run_cli(argv: list[str] | None = None) -> None:
    """Run the app, turning the project's errors into messages and exit code 1."""
    try:
        app(args=argv, standalone_mode=True)
    except JianchaError as exc:
        err_console.print(f"[bold red]{tr('错误', 'Error')}：[/]{exc}")
        sys.exit(1)
