"""The API's OpenAPI document, made to say what the app really sends.

The store keeps times as naive Beijing time (``jiancha.clues.store.local_now``) and the API
sends them as such, ``2025-06-01T09:00:00``. pydantic documents a ``datetime`` as
``format: date-time``, which is RFC 3339 and requires an offset, so every response carrying
a time broke its own schema (schemathesis found it). The document now says what the value is:
a local date and time, its pattern, and the time zone it is in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LOCAL_DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$",
    "description": "北京时间（Asia/Shanghai），不带时区偏移 (Beijing time, without an offset)",
}


def local_datetimes(node: Any) -> Any:
    """Replace, in place and throughout, each ``format: date-time`` string schema by ``LOCAL_DATETIME``."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "date-time":
            node.pop("format")
            node.update(LOCAL_DATETIME)
        for value in node.values():
            local_datetimes(value)
    elif isinstance(node, list):
        for value in node:
            local_datetimes(value)
    return node


def documenting_local_times(generate: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """FastAPI's (cached) ``app.openapi`` with the times described as they are sent."""

    def openapi() -> dict[str, Any]:
        return local_datetimes(generate())

    return openapi
