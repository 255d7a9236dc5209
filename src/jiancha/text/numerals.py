"""Numbers with units in Chinese administrative prose.

Penalty decisions write quantities as ``4.5吨``, ``三点五吨``, ``1,200立方米``,
``6.8万元`` or ``十五万元``. A regex pulls out candidate number + unit spans and
cn2an (mode ``smart``, which takes digits, Chinese numerals and a trailing 万
alike) turns the number into a float. Only spans followed by a unit we know are
read, so dates (``2024年3月5日``), document numbers (``〔2024〕37号``), phone
numbers and concentrations (``150mg/L``) never become amounts. Rates such as
``12吨/年`` and unit prices such as ``每吨800元`` are read but marked, so that
callers can leave them out of totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

#: Units we read, mapped to (dimension, factor into the dimension's base unit).
#: Base units: tonnes, yuan, cubic metres, mu, and "times" for multiples.
UNITS: dict[str, tuple[str, float]] = {
    "吨": ("mass", 1.0),
    "公斤": ("mass", 0.001),
    "千克": ("mass", 0.001),
    "元": ("money", 1.0),
    "立方米": ("volume", 1.0),
    "方": ("volume", 1.0),
    "亩": ("area", 1.0),
    "平方米": ("area", 3 / 2000),
    "公顷": ("area", 15.0),
    "倍": ("multiple", 1.0),
}

_ARABIC = r"\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟]+"
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\dA-Za-z.\-])(?P<num>(?:{_ARABIC})[万亿]?|{_CHINESE})"
    rf"\s*(?:余|多)?\s*(?P<unit>{_UNIT})(?P<rate>\s*[/／每])?"
)
_PRICE_BEFORE = re.compile(r"(?:每|单价|均价|价格为?)\S{0,3}$")


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, found at ``start``..``end`` in the text.

    ``value`` is in the dimension's base unit (tonnes, yuan, m³, mu, times).
    ``is_rate`` marks per-time or per-unit figures (``12吨/年``, ``每吨800元``).
    """

    value: float
    dimension: str
    unit: str
    start: int
    end: int
    is_rate: bool = False


def parse_number(text: str) -> float | None:
    """The value of one number written in digits, Chinese numerals or a mix; None if unreadable."""
    cleaned = text.replace(",", "").replace("，", "")
    try:
        return float(cn2an.cn2an(cleaned, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Every number + known unit in ``text``, in order of appearance."""
    found = []
    for match in _QUANTITY.finditer(text):
        value = parse_number(match["num"])
        if value is None:
            continue
        dimension, factor = UNITS[match["unit"]]
        is_rate = bool(match["rate"]) or bool(
            _PRICE_BEFORE.search(text[max(0, match.start() - 6) : match.start()])
        )
        found.append(
            Quantity(round(value * factor, 6), dimension, match["unit"], match.start(), match.end(), is_rate)
        )
    return found
