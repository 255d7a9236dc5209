"""Display names for the codes pages show: severity, status, models, subjects, audit actions, fields.

Pages never show a code where a person expects words: a model by its title, a status by its
label, a detail column by its title and unit (:mod:`jiancha.display`).
"""

from __future__ import annotations

from typing import Any

from jiancha.clues.views import HistoryEntry
from jiancha.clues.workflow import STATUS_TITLES, status_title
from jiancha.display import (
    SEVERITIES,
    Label,
    action_title,
    actor,
    column_labels,
    dataset_label,
    dataset_title,
    readable,
    severity,
    subject_type,
)
from jiancha.i18n import tr
from jiancha.models.catalog import Catalog

#: Detail columns that name the subject, in the order a clue page looks for one.


def status(code: str) -> str:
    return status_title(code) if code in STATUS_TITLES else code


def field(dataset_name: str, name: str) -> str:
    """A column's title from the contract (English title when reading in English)."""
    return dataset_label(dataset_name, name).title


#: Names the templates read here though :mod:`jiancha.display` defines them.
__all__ = ["actor", "dataset_title", "severity", "subject_type"]


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


def detail_rows(catalog: Catalog, model_id: str, details: dict[str, Any]) -> list[tuple[str, str, str]]:
    """A clue's details as (title, value, column) rows, each value with its unit or label."""
    model = catalog.models.get(model_id)
    titled = column_labels(model.spec) if model else {}
    return [
        (label.title, label.show(raw), name)
        for name, raw in details.items()
        for label in (titled.get(name) or Label(readable(name)),)
    ]


def audit_action(entry: HistoryEntry) -> str:
    """What an audit entry records, in words."""
    return action_title(entry.action)
