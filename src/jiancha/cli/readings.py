"""``jiancha readings list|show|decide``: the needs-reading queue of penalty figures at the command line.

The penalty reader queues each figure it cannot settle (a container with no weight, a
volume with no density, a range across a threshold). A prosecutor reads the quoted span
and decides; the decision is audited and the next ``jiancha run`` applies it.
Heavy imports stay inside the commands.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console
from jiancha.i18n import tr

readings_app = typer.Typer(
    help="待人工认定的处罚事实数量 (figures in penalty facts left for a person to read)"
)
app.add_typer(readings_app, name="readings")


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def _row(item: object) -> dict:
    from jiancha.text.queue import FIELD_UNITS

    return {
        "id": item.id,
        "decision_no": item.decision_no,
        "field": item.field,
        "unit": FIELD_UNITS.get(item.field, ""),
        "span": item.span,
        "why": item.why,
        "candidate": item.candidate,
        "status": item.status,
        "value": item.value,
        "reason": item.reason,
        "decided_by": item.decided_by,
        "decided_at": item.decided_at.isoformat(timespec="seconds") if item.decided_at else None,
    }


@readings_app.command("list")
def list_command(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="open 或 decided；默认全部 (default: all)")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="最多列出条数 (at most this many)")] = 200,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="跳过最新的若干条 (skip this many newest)")
    ] = 0,
    format: Annotated[ListFormat, typer.Option("--format", help="table 或 json")] = ListFormat.table,
) -> None:
    """列出待人工认定的事项，新近的在前 (list the queue, newest first)."""
    from rich.table import Table

    with clue_store(ctx) as store:
        items = store.readings(status, limit, offset)
    if format is ListFormat.json:
        typer.echo(json.dumps([_row(i) for i in items], ensure_ascii=False, indent=2))
        return
    table = Table()
    table.add_column(tr("编号", "No."), no_wrap=True)
    table.add_column(tr("处罚决定书", "Decision"), no_wrap=True)
    table.add_column(tr("原文", "Span"), overflow="fold")
    table.add_column(tr("存疑原因", "Why"), overflow="fold")
    table.add_column(tr("状态", "Status"), no_wrap=True)
    for i in items:
        status_text = tr("待认定", "open") if i.status == "open" else tr("已认定", "decided")
        table.add_row(i.id, i.decision_no, i.span, i.why, status_text)
    console.print(table)
    if not items:
        console.print(tr("没有待人工认定的事项。", "Nothing to decide."))


@readings_app.command("show")
def show_command(
    ctx: typer.Context, reading_id: Annotated[str, typer.Argument(help="事项编号 (the id)")]
) -> None:
    """显示一个事项：原文、存疑原因与认定情况 (show one item)."""
    with clue_store(ctx) as store:
        item = store.reading(reading_id)
    row = _row(item)
    console.print(f"{tr('处罚决定书', 'Decision')}：{row['decision_no']}", markup=False)
    console.print(f"{tr('原文', 'Span')}：“{row['span']}”", markup=False)
    console.print(f"{tr('存疑原因', 'Why')}：{row['why']}", markup=False)
    if item.status == "decided":
        from jiancha.text.queue import figure_text

        figure = figure_text(item.value, item.field)
        console.print(
            f"{tr('认定', 'Decided')}：{figure}（{item.decided_by}，{row['decided_at']}：{item.reason}）",
            markup=False,
        )
    else:
        console.print(tr("状态：待认定", "Status: open"))


@readings_app.command("decide")
def decide_command(
    ctx: typer.Context,
    reading_id: Annotated[str, typer.Argument(help="事项编号 (the id)")],
    reason: Annotated[str, typer.Option("--reason", help="认定理由，必填 (why; required)")],
    value: Annotated[
        float | None,
        typer.Option("--value", help="认定的数量（吨、元、亩或倍）(the figure, in the field's unit)"),
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="认定无可计入的数量 (no figure to count)")] = False,
    change: Annotated[
        bool,
        typer.Option("--change", help="更改已作出的认定，--reason 写明更改理由 (replace a decision)"),
    ] = False,
    user: UserOption = None,
) -> None:
    """记录检察官的认定并写入审计日志；下次运行时生效 (decide; audited; the next run applies it).

    An item already decided is refused unless ``--change`` says the earlier decision is to
    be replaced; the change is audited with the value it replaces."""
    from jiancha.cli.app import fail

    if (value is None) == (not none):
        raise fail(
            tr(
                "请给出 --value 数量，或用 --none 认定无可计入的数量（二者选一）。",
                "Give either --value with the figure or --none for no figure to count.",
            )
        )
    with clue_store(ctx) as store:
        item = store.decide_reading(reading_id, value, reason, acting_user(user), change)
    console.print(
        tr(
            f"已认定 {item.decision_no}：下次运行 jiancha run 时生效。",
            f"Decided for {item.decision_no}; the next jiancha run applies it.",
        ),
        markup=False,
    )
