"""Values leaving the engine (evidence, details, parameters) in a form JSON accepts.

The clue store keeps evidence and details as JSON and the web app shows them, so
dates become ISO text and non-finite numbers become None here, once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

_PLAIN = frozenset({str, int, bool})


def json_safe(value: Any) -> Any:
    """A value a JSON encoder accepts: dates as ISO text, NaN as None, decimals as floats."""
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
