"""Display names for the codes pages show (severity, status, workflow choices)."""

from __future__ import annotations

from jiancha.clues.workflow import STATUS_TITLES, status_title
from jiancha.contracts import datasets
from jiancha.i18n import tr

SEVERITIES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def severity(code: str) -> str:
    zh, en = SEVERITIES.get(code, (code, code))
    return tr(zh, en)


def status(code: str) -> str:
    return status_title(code) if code in STATUS_TITLES else code


def field(dataset_name: str, name: str) -> str:
    """A column's Chinese title from the contract (English name when reading in English)."""
    ds = datasets().get(dataset_name)
    titled = next((f.title for f in ds.fields if f.name == name), None) if ds else None
    return tr(titled, name) if titled else name


def severity_choices() -> list[tuple[str, str]]:
    return [(code, severity(code)) for code in SEVERITIES]


def status_choices() -> list[tuple[str, str]]:
    return [(s.value, status(s.value)) for s in STATUS_TITLES]
