"""Reporting periods as prosecutors write them: 2024, 2024-Q3, 2024-07."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from jiancha.errors import JianchaError
from jiancha.formatting import cn_month, cn_quarter

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A closed date range with the label it was asked for."""

    label: str
    start: date
    end: date

    @property
    def title(self) -> str:
        """The period in Chinese, for report titles: 2024年第三季度."""
        year, _, rest = self.label.partition("-")
        if not rest:
            return f"{year}年度"
        if rest.startswith("Q"):
            return cn_quarter(year, rest[1])
        return cn_month(year, rest)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """Parse YYYY, YYYY-Qn or YYYY-MM; a sentence naming the accepted forms otherwise."""
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise JianchaError(f"报告期间“{text}”无法识别；请写成 2024、2024-Q3 或 2024-07。")
    year = int(match["year"])
    if match["quarter"]:
        first_month = 3 * (int(match["quarter"]) - 1) + 1
        start, months = date(year, first_month, 1), 3
    elif match["month"]:
        start, months = date(year, int(match["month"]), 1), 1
    else:
        start, months = date(year, 1, 1), 12
    end_month = start.month - 1 + months
    next_start = date(year + end_month // 12, end_month % 12 + 1, 1)
    return Period(match.group(0), start, next_start - timedelta(days=1))
