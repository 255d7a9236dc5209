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

from jiancha import formatting
from jiancha.contracts import datasets
from jiancha.contracts.schema import Field
from jiancha.i18n import tr

if TYPE_CHECKING:
    from jiancha.models.spec import Column, ModelSpec

NOTHING = "—"
#: The detail columns that name a clue's subject, in the order they are looked for: the clue page
#: and the letter name the subject from the same column.
SUBJECT_NAME_COLUMNS = ("facility_name", "site_name", "dealer_name", "party_name", "receiver_name", "name")
SEVERITIES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
#: Audit entries that are not workflow actions (those take their action's title).
AUDIT_ACTIONS = {
    "clue.created": ("模型发现线索", "raised by a model run"),
    "clue.updated": ("模型重新运行，线索内容更新", "updated by a model run"),
    "clue.no_longer_holds": ("最近一次运行未再发现", "no longer found by the last run"),
    "clue.assigned": ("指派承办人", "assigned"),
    "clue.moved": ("移送其他检察院", "moved to another office"),
    "personal_data.read": ("查阅个人信息", "personal data read"),
}
#: Subject types in English (their Chinese names are the documents' wording).
SUBJECTS_EN = {
    "facility": "sewage facility",
    "manifest": "sludge manifest",
    "penalty": "penalty decision",
    "transfer": "case transfer",
    "case": "criminal case",
    "dealer": "scrap dealer",
    "site": "construction site",
}
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


def subject_name(details: Mapping[str, Any]) -> str | None:
    """The subject's name among a clue's details (facility, site, dealer, party …), if a model gave one."""
    return next(
        (
            text
            for k in SUBJECT_NAME_COLUMNS
            if (v := details.get(k)) is not None and (text := str(v).strip())
        ),
        None,
    )


def subject_type(code: str) -> str:
    """A subject type as a reader names it (设施 / sewage facility)."""
    from jiancha.documents.content import subject_title

    return tr(subject_title(code), SUBJECTS_EN.get(code, readable(code)))


def severity(code: str) -> str:
    """A clue's severity in words (高 / high)."""
    zh, en = SEVERITIES.get(code, (code, code))
    return tr(zh, en)


def actor(name: str) -> str:
    """Who acted: a user's name, or 系统 for what runs did on their own."""
    from jiancha.clues.workflow import SYSTEM_USER

    return tr("系统", "system") if name == SYSTEM_USER else name


def action_title(action: str) -> str:
    """What an audit entry's action records, in words (a workflow action by its title)."""
    from jiancha.clues.workflow import ACTIONS

    kind, _, name = action.partition(".")
    if kind == "workflow" and name in ACTIONS:
        return ACTIONS[name].title
    zh, en = AUDIT_ACTIONS.get(action, ("其他操作", "other action"))
    return tr(zh, en)


def values_text(dataset_name: str, values: Mapping[str, Any]) -> str:
    """An evidence row's values as a line: each field by its title, with its unit or label."""
    return "；".join(
        f"{label.title}：{label.show(value)}"
        for name, value in values.items()
        for label in (dataset_label(dataset_name, name),)
    )


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
    if isinstance(value, int | float):
        return formatting.number(value, grouped=True)
    if isinstance(value, str):
        found = _ISO_DATETIME.match(value)
        return f"{found.group(1)} {found.group(2)}" if found else value
    return str(value)


def show_time(value: datetime | str | None) -> str:
    """A moment in local form, to the minute: ``2024-03-07 14:05``."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        found = _ISO_DATETIME.match(value)
        return f"{found.group(1)} {found.group(2)}" if found else value
    return value.strftime("%Y-%m-%d %H:%M")


def show_period(period: str | None) -> str:
    """A clue's period: ``2024-03`` as is, ``2024-Q2`` as 2024年第二季度 (as the letter writes it;
    2024 Q2 in English), none as ``—``."""
    if not period:
        return NOTHING
    if len(period) == 7 and period[5] == "Q":
        return tr(formatting.cn_quarter(period[:4], period[6]), f"{period[:4]} Q{period[6]}")
    return period
