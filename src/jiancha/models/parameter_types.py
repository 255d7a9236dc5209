"""Parameter types: what value each declared type holds, checked with pydantic.

Kept apart from :mod:`jiancha.models.parameters` so that the spec (which checks each
default against its type) and the parameters (which resolve and render values for a
model) both depend on it, and on each other only one way: ``parameters`` → ``catalog``
→ ``spec`` → ``parameter_types``.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

#: Python types a parameter of each spec type holds once validated.
PARAMETER_PYTHON_TYPES: dict[str, type] = {
    "integer": int,
    "number": float,
    "string": str,
    "date": date,
    "boolean": bool,
}


@cache
def _adapter(kind: str) -> TypeAdapter:
    return TypeAdapter(PARAMETER_PYTHON_TYPES[kind])


def coerce(kind: str, value: Any) -> Any:
    """``value`` as the Python type of parameter type ``kind``; ValueError naming the type otherwise."""
    if kind == "date" and isinstance(value, datetime):
        raise ValueError(f"应为日期（YYYY-MM-DD），现为日期时间 {value}")
    if kind in ("integer", "number") and isinstance(value, bool):
        raise ValueError(f"应为{'整数' if kind == 'integer' else '数值'}，现为布尔值 {value}")
    try:
        typed = _adapter(kind).validate_python(value)
    except ValidationError as exc:
        raise ValueError(f"应为{_TYPE_NAMES[kind]}，现为 {value!r}（{exc.errors()[0]['msg']}）") from None
    if kind == "number" and not math.isfinite(typed):
        raise ValueError(f"应为有限的数值，现为 {value!r}")
    return typed


_TYPE_NAMES = {
    "integer": "整数",
    "number": "数值",
    "string": "文本",
    "date": "日期（YYYY-MM-DD）",
    "boolean": "布尔值",
}
