"""How values read to a person: titles, units, value labels, dates and empty values.

One place for the web pages, the exports and the reports, so a clue's figure reads the same
everywhere: ``25.9 mg/L``, ``2024-03-07 14:05``, ``是``, ``—`` for nothing, an enum's label
instead of its code. Column titles come from the dataset contract and from each model's
``columns:`` block (:class:`jiancha.models.spec.Column`); nothing here is worded in code
except the few labels of the app's own codes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from jiancha.contracts import datasets
from jiancha.contracts.schema import Field
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.models.spec import Column, ModelSpec

NOTHING = "—"
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
_CJK = re.compile(r"[\u3000-\u9fff]")


@dataclass(frozen=True)
class Label:
    """A column as a reader sees it: its title, its unit and the labels of its coded values."""

    title: str
    unit: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)

    def show(self, value: Any) -> str:
        """``value`` as text, with this column's value label or unit."""
        return show(value, self.unit, self.values)


def field_label(f: Field) -> Label:
    """A contract field's label in the active language."""
    return Label(f.label(), f.unit_text(), f.values)


def dataset_label(dataset_name: str, name: str) -> Label:
    """The label of a dataset's column; an unknown column keeps a readable form of its name."""
    ds = datasets().get(dataset_name)
    known = next((f for f in ds.fields if f.name == name), None) if ds else None
    return field_label(known) if known else Label(readable(name))


def dataset_title(dataset_name: str) -> str:
    """A dataset's Chinese title (its name when it is not in the contract)."""
    ds = datasets().get(dataset_name)
    return ds.title if ds else readable(dataset_name)


def column_labels(spec: ModelSpec) -> dict[str, Label]:
    """Every detail column the model titles: its ``columns:`` block over its datasets' fields."""
    out: dict[str, Label] = {}
    for name in reversed(spec.datasets):
        out.update({f.name: field_label(f) for f in datasets()[name].fields})
    out.update({name: _column_label(column) for name, column in spec.columns.items()})
    return out


def _column_label(column: Column) -> Label:
    borrowed = Label("")
    if column.field:
        dataset_name, _, name = column.field.partition(".")
        borrowed = dataset_label(dataset_name, name)
    unit = column.unit if isinstance(column.unit, str) or column.unit is None else column.unit.text()
    title = tr(column.zh, column.en or column.zh) if column.zh else borrowed.title
    return Label(title, unit or borrowed.unit, column.values or borrowed.values)


def readable(name: str) -> str:
    """A last resort for a column nobody titled: its name with spaces for underscores."""
    return name.replace("_", " ")


def show(value: Any, unit: str | None = None, values: Mapping[str, str] | None = None) -> str:
    """A value as a person reads it: ``—`` for nothing, 是/否, local dates and times, labels, units."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, list | tuple):
        return "、".join(show(v, unit, values) for v in value) or NOTHING
    if isinstance(value, bool):
        return tr("是", "yes") if value else tr("否", "no")
    if values and str(value) in values:
        return values[str(value)]
    text = _plain(value)
    if unit and isinstance(value, int | float):
        return f"{text}{'' if _CJK.match(unit) or unit in ('%', '℃') else ' '}{unit}"
    return text


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return show_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, str):
        found = _ISO_DATETIME.match(value)
        return f"{found.group(1)} {found.group(2)}" if found else value
    return str(value)


def number(value: float) -> str:
    """A figure without float noise: ``19,200``, ``0.337``, ``4.84``."""
    if value.is_integer():
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    text = f"{value:,.4f}" if abs(value) >= 10_000 else f"{value:.4f}"
    return text.rstrip("0").rstrip(".")


def show_time(value: datetime | str | None) -> str:
    """A moment in local form, to the minute: ``2024-03-07 14:05``."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        found = _ISO_DATETIME.match(value)
        return f"{found.group(1)} {found.group(2)}" if found else value
    return value.strftime("%Y-%m-%d %H:%M")


def show_period(period: str | None) -> str:
    """A clue's period: ``2024-03`` as is, ``2024-Q2`` as 2024年第2季度 (2024 Q2), none as ``—``."""
    if not period:
        return NOTHING
    if len(period) == 7 and period[5] == "Q":
        return tr(f"{period[:4]}年第{period[6]}季度", f"{period[:4]} Q{period[6]}")
    return period
