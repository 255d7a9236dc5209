"""``--format table|json|csv`` for every list command: one option, one renderer.

A list command describes its columns once, as :class:`Field`s, and hands plain rows
(dicts keyed by field name) to :func:`emit`. ``table`` is the Rich table people read
(localised titles and values, never cut in a pipe); ``json`` and ``csv`` are for
scripts: every field under its stable English name, values as stored (codes, ISO
dates, full hashes), nothing truncated. The field names are documented in
``docs/cli-output.md`` and a test keeps that page in step with :data:`LISTINGS`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from jiancha.i18n import tr

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


class OutputFormat(StrEnum):
    """How a list command writes its rows."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="输出格式：table（表格）、json 或 csv；json/csv 字段名固定、内容不截断 (output format)",
        case_sensitive=False,
    ),
]

Row = Mapping[str, Any]

#: A separator for list values in CSV cells, as in the clue export.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    """One column of a listing.

    ``name`` is the stable field name (JSON key, CSV header); ``zh``/``en`` the table's
    title. ``show(value, row)`` turns a value into the table's text (default: ``str``,
    thousands separators for numbers, yes/no). ``table=False`` keeps a field out of the table (long text,
    full hashes); ``sparse=True`` shows it only when some row has a value.
    """

    name: str
    zh: str
    en: str
    numeric: bool = False
    show: Callable[[Any, Row], str] | None = None
    table: bool = True
    sparse: bool = False

    def title(self) -> str:
        return tr(self.zh, self.en)

    def cell(self, row: Row) -> str:
        """The table's text for this field of ``row``: empty for None."""
        value = row.get(self.name)
        if value is None:
            return ""
        if self.show is not None:
            return self.show(value, row)
        if isinstance(value, bool):
            return tr("是", "yes") if value else tr("否", "no")
        if isinstance(value, int | float):
            return f"{value:,}"
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M}"
        if isinstance(value, list | tuple):
            return "、".join(map(str, value))
        return str(value)


#: Every list command's fields, by command, for the docs test and ``docs/cli-output.md``.
LISTINGS: dict[str, tuple[Field, ...]] = {}


def listing(command: str, *fields: Field) -> tuple[Field, ...]:
    """Register the fields of ``command`` (e.g. ``"clues list"``) and return them."""
    LISTINGS[command] = fields
    return fields


def emit(
    rows: Iterable[Row],
    fields: Sequence[Field],
    fmt: OutputFormat,
    *,
    title: str | None = None,
) -> None:
    """Write ``rows`` to standard output in ``fmt``."""
    if fmt is OutputFormat.json:
        _write_json(rows, fields)
    elif fmt is OutputFormat.csv:
        _write_csv(rows, fields)
    else:
        from jiancha.cli.app import console

        rows = list(rows)
        print_wide(console, _table(rows, fields, title))


def note(message: str, fmt: OutputFormat) -> None:
    """A sentence beside the rows (page counts, hints): on the terminal for a table, on
    standard error for json/csv, so a script reading the rows never has to skip it."""
    from jiancha.cli.app import console, err_console

    (console if fmt is OutputFormat.table else err_console).print(message)


def json_value(value: Any) -> Any:
    """A JSON-safe value: ISO text for dates and times, lists for tuples."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def csv_value(value: Any) -> str:
    """A CSV cell: empty for None, ``true``/``false``, lists joined with ``;``, mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return LIST_SEPARATOR.join(csv_value(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(json_value(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _write_json(rows: Iterable[Row], fields: Sequence[Field]) -> None:
    records = [{f.name: json_value(row.get(f.name)) for f in fields} for row in rows]
    sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")


def _write_csv(rows: Iterable[Row], fields: Sequence[Field]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([f.name for f in fields])
    for row in rows:
        writer.writerow([csv_value(row.get(f.name)) for f in fields])


def _table(rows: list[Row], fields: Sequence[Field], title: str | None) -> Table:
    from rich.table import Table

    shown = [f for f in fields if f.table and (not f.sparse or any(r.get(f.name) for r in rows))]
    table = Table(title=title, header_style="bold")
    for n, f in enumerate(shown):
        table.add_column(f.title(), justify="right" if f.numeric else "left", no_wrap=n == 0)
    for row in rows:
        table.add_row(*(f.cell(row) for f in shown))
    return table


def print_wide(console: Console, renderable: Any) -> None:
    """Print ``renderable``; off a terminal (a pipe, a file), as wide as it needs, so no
    cell is wrapped or cut at the 80 columns Rich assumes there."""
    if console.is_terminal:
        console.print(renderable)
        return
    from rich.console import Console
    from rich.measure import Measurement

    width = Measurement.get(console, console.options.update(max_width=100_000), renderable).maximum
    Console(file=console.file, width=max(width, console.width)).print(renderable)
