"""How a procuratorial document writes dates, periods, figures and names.

These are the filters of the fact templates (:mod:`jiancha.documents.facts`):
a clue's details arrive as ISO strings, floats and enum codes, and a letter for
signature writes 2024年3月1日至3月7日, 2024年第一季度, 242毫克/升, 6.8万元 and
农村污水处理站. Units and enum labels come from the dataset contract, so the
letter and the contract never disagree.

Every filter takes a missing value (``None`` or Jinja's undefined) and gives it
back as missing, so the template prints 「（数据未提供）」 in its place instead of
failing or printing "None". How a figure, a date or a period is written is
:mod:`jiancha.formatting`'s, shared with the pages; the filters read the lake's values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import wraps
from typing import Any

from jinja2 import ChainableUndefined

from jiancha import formatting
from jiancha.contracts import datasets

MISSING_TEXT = "（数据未提供）"
FIELD_REF = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
TEN_THOUSAND = 10_000
DATE_TEXT = re.compile(r"^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:[T ](\d{1,2}):(\d{2}))?")


class Missing(ChainableUndefined):
    """A value the clue does not have: prints as 「（数据未提供）」, is false in ``{% if %}``."""

    __slots__ = ()

    def __str__(self) -> str:
        return MISSING_TEXT

    def _never(self, other: Any) -> bool:
        """A comparison with a missing value holds for neither side, so ``{% if %}`` skips it."""
        return False

    def _still_missing(self, *args: Any) -> Missing:
        return self

    __lt__ = __le__ = __gt__ = __ge__ = _never
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _still_missing
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _still_missing
    __pow__ = __rpow__ = __neg__ = __pos__ = _still_missing


def is_missing(value: Any) -> bool:
    return value is None or value == "" or isinstance(value, Missing)


def tolerant(function: Callable[..., str]) -> Callable[..., Any]:
    """A filter that passes a missing first argument (or missing second figure) through as missing."""

    @wraps(function)
    def wrapper(value: Any, *args: Any, **kwargs: Any) -> Any:
        if is_missing(value) or any(isinstance(a, Missing) or a is None for a in args):
            return Missing()
        try:
            return function(value, *args, **kwargs)
        except (TypeError, ArithmeticError) as exc:  # a figure the data gives in another form
            raise ValueError(f"无法按“{function.__name__}”写出 {value!r}：{exc}") from exc

    return wrapper


def _as_datetime(value: Any) -> datetime:
    """A date or time from a value as the lake gives it (date, datetime, 2024-03-05, 2024/3/5 08:00)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    m = DATE_TEXT.match(str(value).strip())
    if m is None:
        raise ValueError(f"不是日期：{value}")
    return datetime(*(int(part) for part in m.groups() if part is not None))


def _as_date(value: Any) -> date:
    return _as_datetime(value).date()


@tolerant
def cn_date(value: Any) -> str:
    """2024-03-05 → 2024年3月5日."""
    return formatting.cn_date(_as_date(value))


@tolerant
def cn_datetime(value: Any) -> str:
    """2024-03-03T21:48:00 → 2024年3月3日21时48分 (the time left out at midnight)."""
    return formatting.cn_datetime(_as_datetime(value))


@tolerant
def date_range(start: Any, end: Any) -> str:
    """2024-03-01, 2024-03-07 → 2024年3月1日至3月7日 (the year again only when it changes)."""
    first, last = _as_date(start), _as_date(end)
    if first == last:
        return cn_date(first)
    tail = f"{last.month}月{last.day}日" if first.year == last.year else cn_date(last)
    return f"{cn_date(first)}至{tail}"


@tolerant
def cn_period(value: Any) -> str:
    """A clue's period: 2024-03 → 2024年3月, 2024-Q1 → 2024年第一季度, 2024 → 2024年."""
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return formatting.cn_quarter(m[1], m[2])
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return formatting.cn_month(m[1], m[2])
    if re.fullmatch(r"\d{4}", text):
        return f"{text}年"
    return cn_date(text)


def number(value: Any) -> str:
    """A figure without trailing zeros: 242.0 → 242, 0.5850 → 0.585, 21041.63 → 21041.63."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return formatting.number(value)


def unit_of(reference: str) -> str:
    """The unit to write: the contract's for ``dataset.field``, else the text given (毫克/升)."""
    m = FIELD_REF.match(reference)
    if m is None:
        return reference
    known = datasets().get(m[1])
    if known is None or m[2] not in known.field_names:
        raise ValueError(f"数据契约中没有字段 {reference}")
    return known.field(m[2]).unit or ""


@tolerant
def figure(value: Any, unit: str = "") -> str:
    """A figure with its unit: ``{{ max_cod_mgl | figure("effluent_daily.cod_mgl") }}`` → 242毫克/升."""
    return f"{number(value)}{unit_of(unit)}"


@tolerant
def money(value: Any) -> str:
    """An amount in yuan as documents write it: 9000 → 9000元, 68000 → 6.8万元."""
    amount = float(value)
    if abs(amount) >= TEN_THOUSAND:
        return f"{number(round(amount / TEN_THOUSAND, 4))}万元"
    return f"{number(amount)}元"


@tolerant
def multiple(value: Any, limit: Any = None) -> str:
    """A multiple: ``{{ 242 | multiple(50) }}`` → 4.84倍; ``{{ 4.84 | multiple }}`` → 4.84倍."""
    ratio = float(value) if limit is None else float(value) / float(limit)
    return f"{number(round(ratio, 2))}倍"


@tolerant
def percent(value: Any) -> str:
    """A share: 0.85 → 85%, 0.304 → 30.4%."""
    return f"{number(round(float(value) * 100, 1))}%"


@tolerant
def label(value: Any, reference: str) -> str:
    """An enum code as its contract label: rural_station → 农村污水处理站.

    Written ``{{ facility_type | label("sewage_facilities.facility_type") }}``.
    """
    m = FIELD_REF.match(reference)
    known = datasets().get(m[1]) if m else None
    if known is None or m is None or m[2] not in known.field_names:
        raise ValueError(f"数据契约中没有字段 {reference}")
    values = known.field(m[2]).values
    return values.get(str(value), str(value))


def names(value: Any, joiner: str = "、") -> Any:
    """Names as a series: [甲, 乙] → 甲、乙 (blanks and repeats dropped); a text stays as it is."""
    if is_missing(value):
        return Missing()
    if isinstance(value, str):
        return value.strip()
    items = list(dict.fromkeys(str(v).strip() for v in _iterable(value) if not is_missing(v)))
    return joiner.join(items) if items else Missing()


def _iterable(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list | tuple | set) else [value]


FILTERS: dict[str, Callable[..., Any]] = {
    "date": cn_date,
    "datetime": cn_datetime,
    "date_range": date_range,
    "period": cn_period,
    "figure": figure,
    "money": money,
    "multiple": multiple,
    "percent": percent,
    "label": label,
    "names": names,
    "number": tolerant(number),
}
