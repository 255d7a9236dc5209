"""Masking of personal data in evidence rows, keyed on the contract's ``personal`` flag.

Evidence is stored as copied from the lake; masking happens when it is shown,
so a role that needs the full value can have it (and the read is audited). What
leaves the platform without a reader's role (rejection records, reports, exports,
logs, error pages) is masked always; :func:`mask_sql` does the same in the lake.
"""

from __future__ import annotations

import logging
import re
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


def mask_sql(expr: str) -> str:
    """The SQL (DuckDB) for :func:`mask_text` of the VARCHAR ``expr``: the lake masks as Python does.

    ``length``, ``left`` and ``right`` count characters, as Python's ``len`` and slices do; an
    empty string or NULL passes unchanged.
    """
    n = f"length({expr})"
    return (
        f"CASE WHEN {n} >= 15 THEN left({expr}, 6) || repeat('{MASK}', {n} - 10) || right({expr}, 4) "
        f"WHEN {n} >= 7 THEN left({expr}, 3) || repeat('{MASK}', {n} - 5) || right({expr}, 2) "
        f"WHEN {n} >= 1 THEN left({expr}, 1) || repeat('{MASK}', greatest({n} - 1, 1)) ELSE {expr} END"
    )


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


#: Personal numbers recognisable in free text: resident ID numbers (18 characters, or the old
#: 15 digits) and mainland mobile numbers. Names cannot be told from other words; they are
#: masked where a field says what they are.
PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])")


def scrub(text: str) -> str:
    """``text`` with every ID or mobile number in it masked: for messages, logs and error pages."""
    return PERSONAL_NUMBER.sub(lambda m: mask_text(m.group()), text)


class PersonalDataFilter(logging.Filter):
    """A handler filter that masks personal numbers in each record's message and traceback.

    A log line can carry what a user typed (a searched ID number in an access log's URL) or
    a value quoted by an exception; log files are read and kept far from the role checks.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # Arguments are scrubbed one by one, not merged into the message: formatters such as
        # uvicorn's access log read them by position.
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def mask_logs(*logger_names: str) -> None:
    """Put :class:`PersonalDataFilter` on every handler of the root logger and of ``logger_names``."""
    for name in ("", *logger_names):
        for handler in logging.getLogger(name or None).handlers:
            if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
                handler.addFilter(PersonalDataFilter())
