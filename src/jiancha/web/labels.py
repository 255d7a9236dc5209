"""Display names for the codes pages show: severity, status, models, subjects, audit actions, fields.

Pages never show a code where a person expects words: a model by its title, a status by its
label, a detail column by its title and unit (:mod:`jiancha.display`).
"""

from __future__ import annotations

from typing import Any

from jiancha.clues.store import SYSTEM_USER
from jiancha.clues.views import HistoryEntry
from jiancha.clues.workflow import ACTIONS, STATUS_TITLES, status_title
from jiancha.display import Label, column_labels, dataset_label, dataset_title, readable
from jiancha.documents.content import subject_title
from jiancha.i18n import tr
from jiancha.models.catalog import Catalog

SEVERITIES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
SUBJECTS_EN = {
    "facility": "sewage facility",
    "manifest": "sludge manifest",
    "penalty": "penalty decision",
    "transfer": "case transfer",
    "case": "criminal case",
    "dealer": "scrap dealer",
    "site": "construction site",
}
#: Audit entries that are not workflow actions (those take their action's title).
AUDIT_ACTIONS = {
    "clue.created": ("模型发现线索", "raised by a model run"),
    "clue.updated": ("模型重新运行，线索内容更新", "updated by a model run"),
    "clue.no_longer_holds": ("最近一次运行未再发现", "no longer found by the last run"),
    "clue.assigned": ("指派承办人", "assigned"),
    "clue.moved": ("移送其他检察院", "moved to another office"),
    "personal_data.read": ("查阅个人信息", "personal data read"),
}
#: Detail columns that name the subject, in the order a clue page looks for one.
SUBJECT_NAMES = ("facility_name", "site_name", "dealer_name", "party_name", "receiver_name")


def severity(code: str) -> str:
    zh, en = SEVERITIES.get(code, (code, code))
    return tr(zh, en)


def status(code: str) -> str:
    return status_title(code) if code in STATUS_TITLES else code


def field(dataset_name: str, name: str) -> str:
    """A column's title from the contract (English title when reading in English)."""
    return dataset_label(dataset_name, name).title


__all__ = ["dataset_title"]  # the evidence headings' dataset titles, for the templates


def value(dataset_name: str, name: str, raw: Any) -> str:
    """An evidence value as text: enum label, unit, local date or time, ``—`` for null."""
    return dataset_label(dataset_name, name).show(raw)


LOAD_STATUSES = {
    "loaded": ("已入库", "loaded"),
    "unchanged": ("文件未变化，未重复导入", "unchanged, not loaded again"),
    "rejected_file": ("整个文件被拒收", "whole file rejected"),
}


def load_status(code: str) -> str:
    """A load's outcome (``_loads.status``) in words."""
    zh, en = LOAD_STATUSES.get(code, (code, code))
    return tr(zh, en)


def severity_choices() -> list[tuple[str, str]]:
    return [(code, severity(code)) for code in SEVERITIES]


def status_choices() -> list[tuple[str, str]]:
    return [(s.value, status(s.value)) for s in STATUS_TITLES]


def model_title(catalog: Catalog, model_id: str) -> str:
    """A model's title in the reader's language (its id only when the catalogue lacks it)."""
    model = catalog.models.get(model_id)
    return model.spec.title.text() if model else model_id


def model_titles(catalog: Catalog) -> dict[str, str]:
    """Model id → title, for pages that name many models at once."""
    return {model_id: model.spec.title.text() for model_id, model in catalog.models.items()}


def model_choices(catalog: Catalog) -> list[tuple[str, str]]:
    """(id, title) of every model, by title: the clue list's model filter."""
    return sorted(model_titles(catalog).items(), key=lambda pair: pair[1])


def subject_type(code: str) -> str:
    return tr(subject_title(code), SUBJECTS_EN.get(code, readable(code)))


def subject_name(details: dict[str, Any]) -> str | None:
    """The subject's name among a clue's details (facility, site, dealer, party), if a model gave one."""
    return next((str(details[k]) for k in SUBJECT_NAMES if details.get(k)), None)


def detail_rows(catalog: Catalog, model_id: str, details: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A clue's details as (title, value, column) rows, each value with its unit or label."""
    model = catalog.models.get(model_id)
    titled = column_labels(model.spec) if model else {}
    return [
        (label.title, label.show(raw), name)
        for name, raw in details.items()
        for label in (titled.get(name) or Label(readable(name)),)
    ]


def actor(name: str) -> str:
    """Who acted: a user's name, or 系统 for what runs did on their own."""
    return tr("系统", "system") if name == SYSTEM_USER else name


def audit_action(entry: HistoryEntry) -> str:
    """What an audit entry records, in words."""
    kind, _, name = entry.action.partition(".")
    if kind == "workflow" and name in ACTIONS:
        return ACTIONS[name].title
    zh, en = AUDIT_ACTIONS.get(entry.action, ("其他操作", "other action"))
    return tr(zh, en)
