"""``jiancha clues …`` and ``jiancha export clues``: the clue store from a shell."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from jiancha.cli.app import UserOption, acting_user, app, clue_store, console, fail, workspace
from jiancha.cli.output import Field, FormatOption, OutputFormat, emit, listing, note
from jiancha.clues.workflow import ACTIONS, Status, status_title
from jiancha.display import (
    action_title,
    actor,
    dataset_title,
    severity,
    show_period,
    show_time,
    subject_type,
    values_text,
)
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.clues.views import ClueDetail, ClueView, Dashboard

clues_app = typer.Typer(help="线索：查看、分派、改派、流转与汇总 (clues)", no_args_is_help=True)
export_app = typer.Typer(help="导出 (exports)", no_args_is_help=True)
app.add_typer(clues_app, name="clues")
app.add_typer(export_app, name="export")

ReasonOption = Annotated[str, typer.Option("--reason", help="理由 (why; kept in the audit log)")]


class Severity(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


SEVERITY_TITLES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def severity_title(severity: str) -> str:
    zh, en = SEVERITY_TITLES.get(severity, (severity, severity))
    return tr(zh, en)


def _status_cell(status: str, row: dict) -> str:
    return status_title(status) + ("" if row["holds"] else tr("（已不成立）", " (gone)"))


def clue_fields(short_names: dict[str, str], titles: dict[str, str]) -> tuple[Field, ...]:
    """The clue list's fields; the table names models by their titles and offices by their short
    names (json/csv keep ``model_id`` and add ``model_title`` at the end)."""
    return (
        Field("clue_id", "编号", "id"),
        Field("model_id", "模型", "model", show=lambda v, _: titles.get(v, v)),
        Field("subject_type", "对象类型", "subject type", table=False),
        Field("subject_id", "对象", "subject"),
        Field("period", "期间", "period"),
        Field("severity", "严重", "severity", show=lambda v, _: severity_title(v)),
        Field("office", "承办机关", "office", show=lambda v, _: short_names.get(v, v)),
        Field("target_agency", "建议对象", "addressee", table=False),
        Field("legal_basis", "法律依据", "legal basis", table=False),
        Field("related_ids", "关联编号", "related", table=False),
        Field("status", "状态", "status", show=_status_cell),
        Field("holds", "仍成立", "holds", table=False),
        Field("needs_review", "待复核分派", "needs review", table=False),
        Field("urgent", "紧急", "urgent", table=False),
        Field("due_on", "期限", "due", sparse=True),
        Field("assigned_to", "承办人", "assignee", sparse=True),
        Field("first_seen", "首次发现", "first seen", table=False),
        Field("last_seen", "最近发现", "last seen", table=False),
        Field("model_title", "模型名称", "model title", table=False),
    )


CLUE_FIELDS = listing("clues list", *clue_fields({}, {}))


def clue_row(c: ClueView, titles: dict[str, str]) -> dict[str, Any]:
    """A clue as a listing row: every list field, the id under ``clue_id`` as in the export, and
    its model's title (the id when the catalogue lacks the model)."""
    row = {f.name: getattr(c, f.name, None) for f in CLUE_FIELDS}
    row["clue_id"] = c.id
    row["model_title"] = titles.get(c.model_id, c.model_id)
    return row


def _emit_clues(
    items: tuple[ClueView, ...], short_names: dict[str, str], titles: dict[str, str], format: OutputFormat
) -> None:
    emit((clue_row(c, titles) for c in items), clue_fields(short_names, titles), format)


@clues_app.command("list")
def list_clues(
    ctx: typer.Context,
    office: Annotated[str | None, typer.Option(help="承办机关（全称或简称）(office)")] = None,
    model: Annotated[str | None, typer.Option(help="模型编号 (model id)")] = None,
    status: Annotated[Status | None, typer.Option(help="状态 (status)")] = None,
    severity: Annotated[Severity | None, typer.Option(help="严重程度 (severity)")] = None,
    period: Annotated[str | None, typer.Option(help="期间 YYYY-MM / YYYY-Qn")] = None,
    search: Annotated[str | None, typer.Option(help="搜索编号、对象、建议对象 (text search)")] = None,
    assigned: Annotated[str | None, typer.Option(help="承办人 (assigned user)")] = None,
    needs_review: Annotated[
        bool, typer.Option("--needs-review", help="只看待人工复核分派的线索 (routing needs review)")
    ] = False,
    gone: Annotated[bool, typer.Option("--gone", help="只看条件已不成立的线索 (no longer holds)")] = False,
    page: Annotated[int, typer.Option(min=1, help="页码 (page)")] = 1,
    size: Annotated[int, typer.Option(min=1, max=500, help="每页条数 (page size)")] = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """列出线索 (list clues, newest first, filtered).

    Example: jiancha clues list --office 容东检察室 --status new --format json
    """
    from jiancha.clues.views import ClueFilter

    with clue_store(ctx) as store:
        chosen = store.router.office_named(office) if office else None
        result = store.list_clues(
            ClueFilter(
                chosen,
                model,
                status.value if status else None,
                severity.value if severity else None,
                period,
                search,
                assigned,
                holds=False if gone else None,
                needs_review=True if needs_review else None,
            ),
            page=page,
            size=size,
        )
        short_names = {o.name: o.short for o in store.router.offices}
    _emit_clues(result.items, short_names, _model_titles(), format)
    note(
        tr(
            f"第 {result.page}/{result.pages} 页，共 {result.total} 条线索",
            f"page {result.page}/{result.pages}, {result.total} clues",
        ),
        format,
    )


def _detail_panel(d: ClueDetail) -> Panel:
    from jiancha.models.title import builtin_title

    c = d.clue
    lines = [
        f"[bold]{escape(builtin_title(c.model_id) or c.model_id)}[/]"
        f" · {subject_type(c.subject_type)} {c.subject_id} · {show_period(c.period)}"
        f" · {tr('严重程度', 'severity')} {severity(c.severity)}",
        f"{tr('状态', 'Status')}：{status_title(c.status)}"
        + (f"  {tr('期限', 'due')} {c.due_on}" if c.due_on else "")
        + ("" if c.holds else tr("  （条件已不成立）", "  (condition no longer holds)")),
        f"{tr('承办机关', 'Office')}：{c.office}（{d.routing_note}）",
        f"{tr('建议对象', 'Addressee')}：{c.target_agency or '—'}",
        f"{tr('法律依据', 'Legal basis')}：{c.legal_basis}",
        f"{tr('关联编号', 'Related')}：{'; '.join(c.related_ids) or '—'}",
        f"{tr('承办人', 'Assignee')}：{c.assigned_to or '—'}",
        f"{tr('前序线索', 'Earlier clue')}：{d.previous_id or '—'}",
        f"{tr('可执行操作', 'Allowed actions')}：{'、'.join(d.allowed_actions) or '—'}",
    ]
    lines += [
        f"{tr('检察建议', 'Suggestion')}：{s.document_no}，{tr('答复期限', 'reply due')} {s.reply_due}"
        for s in d.suggestions
    ]
    return Panel("\n".join(lines), title=tr(f"线索 {c.id}", f"Clue {c.id}"))


def _read_clue(ctx: typer.Context, clue_id: str, user: str | None, unmask: bool) -> ClueDetail:
    """The clue to show. A masked read of a SQLite store at the newest migration goes through
    the stdlib ``sqlite3`` module: importing SQLAlchemy would be most of the command's time.
    An unmasked read is audited, and a store behind the newest migration must be upgraded;
    both open the store."""
    from jiancha.clues.database import open_sqlite, rows
    from jiancha.clues.detail import read_detail

    path = workspace(ctx).store_file
    connection = open_sqlite(path) if path is not None and not unmask else None
    if connection is None:
        with clue_store(ctx) as store:
            return store.get_clue(clue_id, acting_user(user), unmask=unmask)
    with closing(connection):
        return read_detail(rows(connection), clue_id, unmask=False)


@clues_app.command("show")
def show(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    unmask: Annotated[bool, typer.Option("--unmask", help="显示完整个人信息（记入审计）")] = False,
    user: UserOption = None,
) -> None:
    """查看一条线索：证据、流转记录 (show one clue with evidence and history).

    Example: jiancha clues show 3fa2c1d0e4b5a697
    """
    d = _read_clue(ctx, clue_id, user, unmask)
    console.print(_detail_panel(d))
    evidence = Table(title=tr("证据", "Evidence"), header_style="bold")
    for title in (tr("数据集", "dataset"), tr("文件", "file"), tr("行", "row"), tr("内容", "values")):
        evidence.add_column(title)
    for e in d.evidence:
        evidence.add_row(dataset_title(e.dataset), e.file, str(e.row), values_text(e.dataset, e.values))
    console.print(evidence)
    history = Table(title=tr("流转记录", "History"), header_style="bold")
    for title in (tr("时间", "at"), tr("操作人", "user"), tr("操作", "action"), tr("理由", "reason")):
        history.add_column(title)
    for h in d.history:
        history.add_row(show_time(h.at), actor(h.user), action_title(h.action), h.reason)
    console.print(history)


@clues_app.command("assign")
def assign(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    assignee: Annotated[str, typer.Argument(help="承办人用户名 (user name)")],
    reason: ReasonOption = "",
    user: UserOption = None,
) -> None:
    """把线索分派给承办人 (assign a clue to a user).

    Example: jiancha clues assign 3fa2c1d0e4b5a697 zhangsan
    """
    with clue_store(ctx) as store:
        clue = store.assign(clue_id, assignee, acting_user(user), reason)
    console.print(tr(f"线索 {clue.id} 已分派给 {assignee}", f"Clue {clue.id} assigned to {assignee}"))


@clues_app.command("move")
def move(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    office: Annotated[str, typer.Argument(help="改派到的检察机关（全称或简称）(office)")],
    reason: ReasonOption = "",
    user: UserOption = None,
) -> None:
    """人工改派线索到另一检察机关 (re-route a clue by hand).

    Example: jiancha clues move 3fa2c1d0e4b5a697 安新县院 --reason "设施实际位于安新县"
    """
    with clue_store(ctx) as store:
        clue = store.move(clue_id, office, acting_user(user), reason)
    console.print(tr(f"线索 {clue.id} 已改派至 {clue.office}", f"Clue {clue.id} moved to {clue.office}"))


@clues_app.command("act")
def act(
    ctx: typer.Context,
    clue_id: Annotated[str, typer.Argument(help="线索编号 (clue id)")],
    action: Annotated[str, typer.Argument(help="操作：" + " ".join(ACTIONS))],
    reason: ReasonOption = "",
    document_no: Annotated[str | None, typer.Option(help="检察建议文号 (for issue_suggestion)")] = None,
    urgent: Annotated[
        bool, typer.Option("--urgent", help="紧急：15 日内回复 (reply within 15 days)")
    ] = False,
    on: Annotated[str | None, typer.Option(help="发生日期 YYYY-MM-DD，默认今天 (date)")] = None,
    user: UserOption = None,
) -> None:
    """线索流转：执行一个工作流操作 (take a workflow action).

    Example: jiancha clues act 3fa2c1d0e4b5a697 issue_suggestion
    --document-no "雄检行公建〔2024〕3号" --reason 审查完毕
    """
    try:
        when = date.fromisoformat(on) if on else None
    except ValueError:
        raise fail(
            tr(f"日期 {on} 无效，应为 YYYY-MM-DD。", f"Date {on} is not valid; expected YYYY-MM-DD.")
        ) from None
    with clue_store(ctx) as store:
        clue = store.transition(
            clue_id, action, acting_user(user), reason, on=when, document_no=document_no, urgent=urgent
        )
    due = tr(f"，期限 {clue.due_on}", f", due {clue.due_on}") if clue.due_on else ""
    console.print(
        tr(
            f"线索 {clue.id} 现为“{status_title(clue.status)}”",
            f"Clue {clue.id} is now {status_title(clue.status)}",
        )
        + due
    )


def _counts(title: str, counts: dict[str, int], label=str) -> Table:
    table = Table(header_style="bold")
    table.add_column(title)
    table.add_column(tr("线索数", "clues"), justify="right")
    for key, n in counts.items():
        table.add_row(label(key), str(n))
    return table


def _summary_tables(d: Dashboard, titles: dict[str, str]) -> list[Table]:
    funnel = Table(title=tr("模型成效", "Model outcomes"), header_style="bold")
    for title in (
        tr("模型", "model"),
        tr("线索", "clues"),
        tr("立案", "cases"),
        tr("检察建议", "suggestions"),
        tr("整改", "rectified"),
    ):
        funnel.add_column(title, justify="left" if title == tr("模型", "model") else "right")
    for row in d.funnel:
        funnel.add_row(
            titles.get(row.model_id, row.model_id),
            str(row.clues),
            str(row.case_filed),
            str(row.suggestion_issued),
            str(row.rectified),
        )
    return [
        funnel,
        _counts(tr("承办机关", "Office"), d.by_office),
        _counts(tr("状态", "Status"), d.by_status, status_title),
        _counts(tr("严重程度", "Severity"), d.by_severity, severity_title),
        _counts(tr("发现月份", "Month raised"), d.by_month),
    ]


@clues_app.command("summary")
def summary(ctx: typer.Context) -> None:
    """线索汇总：按模型、机关、状态、严重程度 (summary of clues).

    Example: jiancha clues summary
    """
    with clue_store(ctx) as store:
        d = store.dashboard()
        short_names = {o.name: o.short for o in store.router.offices}
    titles = _model_titles()
    for table in _summary_tables(d, titles):
        console.print(table)
    if d.overdue:
        console.print(f"[bold red]{tr('已过期限', 'Past their deadline')}[/]")
        _emit_clues(d.overdue, short_names, titles, OutputFormat.table)
    console.print(
        tr(
            f"共 {d.total} 条线索；逾期未办 {len(d.overdue)} 条",
            f"{d.total} clues in all; {len(d.overdue)} past their deadline",
        )
    )


def _model_titles() -> dict[str, str]:
    """Model id → title in the active language: the export's and the listing's model_title, the tables'
    model column."""
    from jiancha.models.catalog import Catalog

    return {m.id: m.spec.title.text() for m in Catalog.load().models.values()}


@export_app.command("clues")
def export_clues(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件 (output file)")],
    format: Annotated[ExportFormat, typer.Option("--format", help="csv 或 xlsx")] = ExportFormat.csv,
) -> None:
    """导出全部线索（契约规定的列，另加模型名称）(every clue: the contract's columns, the model's title).

    Example: jiancha export clues --format xlsx --output 线索.xlsx
    """
    from rich.progress import track

    from jiancha.clues.export import COLUMNS, write

    if output.parent and not output.parent.exists():
        raise fail(
            tr(f"输出文件夹 {output.parent} 不存在。", f"The output folder {output.parent} does not exist.")
        )
    with clue_store(ctx) as store:
        total = store.list_clues(size=1).total
        clues = track(
            store.iter_clues(), total=total, description=tr("导出线索", "Exporting clues"), console=console
        )
        count = write(clues, output, format.value, _model_titles())
    console.print(
        tr(
            f"已导出 {count} 条线索（{len(COLUMNS)} 列）到 {output}",
            f"Exported {count} clues ({len(COLUMNS)} columns) to {output}",
        )
    )


@app.command("notify")
def notify_command(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="自此日期起的动态 YYYY-MM-DD (news since)")],
    office: Annotated[str | None, typer.Option(help="只看此检察院（全称或简称）(one office)")] = None,
    send: Annotated[
        bool, typer.Option("--send", help="按 jiancha.toml [notify] 发送邮件与 webhook (deliver)")
    ] = False,
) -> None:
    """线索动态摘要：各院各模型的新增、更新、已不成立线索与答复到期 (digest of clue news).

    Example: jiancha notify --since 2025-01-01 --send
    """
    from datetime import datetime

    from jiancha.cli.app import workspace
    from jiancha.cli.params import parse_date
    from jiancha.notify import deliver

    day = parse_date(since, "--since")
    titles = _model_titles()
    with clue_store(ctx) as store:
        chosen = store.router.office_named(office) if office else None
        digests = store.digests(datetime.combine(day, datetime.min.time()), chosen)
        named = store.router.office_named
        if send:
            sent = deliver(digests, workspace(ctx).config(), day, titles, named)
    for d in digests:
        for line in d.lines(titles.get(d.model_id)):
            console.print(line, markup=False)
    if not digests:
        console.print(tr(f"自 {day} 起没有线索动态。", f"No clue news since {day}."))
    for delivery in sent if send else []:
        console.print(
            tr(
                f"已发送 {delivery.digests} 份摘要：{delivery.channel} {delivery.target}",
                f"Sent {delivery.digests} digests by {delivery.channel} to {delivery.target}",
            )
        )
