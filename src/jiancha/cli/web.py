"""``jiancha serve`` and ``jiancha users``: run the web app, manage who may sign in."""

from __future__ import annotations

from typing import Annotated

import typer

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, listing
from jiancha.i18n import tr

users_app = typer.Typer(help="用户管理 (users who may sign in to the web app)", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="监听地址 (address to listen on)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 (port)")] = 8000,
    https_only: Annotated[
        bool, typer.Option("--https-only", help="会话 Cookie 仅经 HTTPS 发送 (behind TLS)")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="工作进程数 (worker processes)")] = 1,
    threads: Annotated[
        int, typer.Option(min=1, help="每个进程同时处理的请求数 (handlers per process at once)")
    ] = 4,
) -> None:
    """启动网页端 (serve the web app over the workspace's clue store).

    Example: jiancha --home ./jiancha-home serve --port 8000
    """
    import os

    import uvicorn

    from jiancha.web.config import THREADS_ENV, WebConfig

    ws = workspace(ctx)
    WebConfig.for_workspace(ws)  # creates the signing key once, before the workers share it
    os.environ["JIANCHA_HOME"] = str(ws.home)
    if https_only:
        os.environ["JIANCHA_HTTPS_ONLY"] = "1"
    os.environ[THREADS_ENV] = str(threads)
    console.print(
        tr(f"网页端：http://{host}:{port}/ （Ctrl+C 停止）", f"Web app: http://{host}:{port}/ (Ctrl+C stops)")
    )
    uvicorn.run(
        "jiancha.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="用户名 (sign-in name)")],
    role: Annotated[str, typer.Option(help="角色：leadership / prosecutor / data_officer / administrator")],
    office: Annotated[str, typer.Option(help="所属检察院（全称或简称，如 雄县院）")],
    password: Annotated[
        str,
        typer.Option(
            prompt="密码 (password)", hide_input=True, confirmation_prompt=True, help="密码；省略则提示输入"
        ),
    ],
) -> None:
    """登记一个可以登录网页端的用户 (add a user; the password is stored as an argon2 hash).

    Example: jiancha users add zhangsan --role prosecutor --office 雄县院
    """
    from jiancha.web.users import add_user, parse_role

    with clue_store(ctx) as store:
        add_user(store, name, parse_role(role), office, password)
    console.print(tr(f"已添加用户 {name}（{role}，{office}）。", f"Added user {name} ({role}, {office})."))


@users_app.command("unlock")
def users_unlock(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="用户名 (sign-in name)")],
    user: UserOption = None,
) -> None:
    """解除因连续密码错误而锁定的账户 (lift a sign-in lock before it runs out; audited).

    Example: jiancha users unlock zhangsan --user admin
    """
    with clue_store(ctx) as store:
        store.unlock_user(name, by=acting_user(user))
    console.print(tr(f"已解除用户 {name} 的登录锁定。", f"Lifted the sign-in lock on {name}."))


@users_app.command("password")
def users_password(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="用户名 (sign-in name)")],
    password: Annotated[
        str,
        typer.Option(
            prompt="新密码 (new password)",
            hide_input=True,
            confirmation_prompt=True,
            help="新密码；省略则提示输入（至少 12 个字符，不得是常见或泄露的密码）",
        ),
    ],
    user: UserOption = None,
) -> None:
    """重设用户的密码，并使其所有会话与令牌失效 (set a new password; the user's sessions and tokens end).

    Example: jiancha users password zhangsan --user admin
    """
    from jiancha.web.users import reset_password

    with clue_store(ctx) as store:
        reset_password(store, name, password, by=acting_user(user))
    console.print(
        tr(
            f"已重设用户 {name} 的密码；其原有登录会话与接口令牌均已失效。",
            f"Set a new password for {name}; their existing sessions and API tokens no longer work.",
        )
    )


USER_FIELDS = listing(
    "users list",
    Field("name", "用户名", "name"),
    Field("display_name", "姓名", "display name"),
    Field("role", "角色", "role"),
    Field("office", "所属检察院", "office"),
    Field("active", "启用", "active"),
    Field("locked_until", "锁定至", "locked until", sparse=True),
)


@users_app.command("list")
def users_list(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """列出用户（不含密码）(list users; never their password hashes).

    Example: jiancha users list --format json
    """
    with clue_store(ctx) as store:
        users = store.list_users()
    rows = ({f.name: getattr(u, f.name) for f in USER_FIELDS} for u in users)
    emit(rows, USER_FIELDS, format, title=tr("用户", "Users"))
