"""How figures, dates and periods are written: one rule for letters, pages, exports and reports.

A figure in a 检察建议书, on the clue page and in the export is the same figure, so it is
written by the same rule: no float noise, no trailing zeros, three decimals below 10 and
two from 10 up (0.585, 4.844, 21041.63), and three significant digits below 0.001 so that a
trace concentration (汞 0.00012毫克/升) never reads as 0. Pages and exports group the thousands of figures
from 10,000 up (19,200), as a table does; letters never do. Dates in documents are
2024年3月5日, times 21时48分, quarters 2024年第一季度 — in letters and on pages alike.

The callers keep only what is theirs: the fact templates' filters
(:mod:`jiancha.documents.figures`) read the lake's strings and pass missing values
through; :mod:`jiancha.display` adds units, labels and "—". Nothing here imports more
than the standard library.
"""

from __future__ import annotations

import math
from datetime import date, datetime

QUARTER_NAMES = "一二三四"
GROUPED_FROM = 10_000  # figures from here up carry thousands separators where grouped


def number(value: float | int, grouped: bool = False) -> str:
    """A figure without float noise: 242.0 → 242, 0.5850 → 0.585, 21041.634 → 21041.63, 0.00012 → 0.00012.

    ``grouped`` (pages and exports) writes figures of 10,000 and more with separators: 19,200.
    """
    figure = float(value)
    separator = "," if grouped and abs(figure) >= GROUPED_FROM else ""
    if isinstance(value, int) or figure.is_integer():
        whole = int(value) if isinstance(value, int) else int(figure)
        return f"{whole:{separator}d}"
    places = 3 if abs(figure) < 10 else 2
    if 0 < abs(figure) < 0.001:
        places = 2 - math.floor(math.log10(abs(figure)))
    text = f"{figure:{separator}.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cn_date(day: date) -> str:
    """A date as official documents write it: 2024年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(moment: datetime) -> str:
    """A moment as documents write it: 2024年3月3日21时48分, 21时 on the hour, the date alone at midnight."""
    text = cn_date(moment)
    if moment.hour or moment.minute:
        text += f"{moment.hour}时{moment.minute:02d}分" if moment.minute else f"{moment.hour}时"
    return text


def cn_quarter(year: int | str, quarter: int | str) -> str:
    """A quarter as documents write it: 2024年第一季度."""
    return f"{year}年第{QUARTER_NAMES[int(quarter) - 1]}季度"


def cn_month(year: int | str, month: int | str) -> str:
    """A month as documents write it: 2024年3月."""
    return f"{year}年{int(month)}月"
