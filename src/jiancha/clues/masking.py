"""Masking of personal data in evidence rows, keyed on the contract's ``personal`` flag.

Evidence is stored as copied from the lake; masking happens when it is shown,
so a role that needs the full value can have it (and the read is audited).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jiancha.contracts import datasets

MASK = "*"


@cache
def personal_fields(dataset: str) -> frozenset[str]:
    """The fields of ``dataset`` the contract marks as personal data (none for unknown datasets)."""
    ds = datasets().get(dataset)
    return frozenset(f.name for f in ds.fields if f.personal) if ds else frozenset()


def mask_text(text: str) -> str:
    """Hide the middle of a value: ID numbers keep 6 + 4 characters, names their first character."""
    if len(text) >= 15:
        return text[:6] + MASK * (len(text) - 10) + text[-4:]
    if len(text) >= 7:
        return text[:3] + MASK * (len(text) - 5) + text[-2:]
    return text[:1] + MASK * max(len(text) - 1, 1)


def mask_value(value: Any) -> Any:
    """Mask a string, or each string in a list; other values (None, numbers) pass unchanged."""
    if isinstance(value, str) and value:
        return mask_text(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    return value


def has_personal(dataset: str, values: dict[str, Any]) -> bool:
    """True when the row holds a non-empty personal field."""
    return any(values.get(name) not in (None, "", []) for name in personal_fields(dataset))


def mask_values(dataset: str, values: dict[str, Any]) -> dict[str, Any]:
    """A copy of an evidence row with its personal fields masked."""
    personal = personal_fields(dataset)
    return {k: mask_value(v) if k in personal else v for k, v in values.items()}
