"""Numbers with units in Chinese administrative prose.

Penalty decisions write quantities as ``4.5吨``, ``三点五吨``, ``1,200立方米``, ``6.8万元``,
``十五万元``, ``3500kg``, ``5.811万m3``, ``约3吨``, ``3吨余``, ``3至5吨`` or ``近3吨``. A regex
pulls out candidate number + unit spans and cn2an (mode ``smart``, which takes digits,
Chinese numerals and a trailing 万 alike) turns the number into a float. Only spans
followed by a unit we know are read, so dates (``2024年3月5日``), document numbers
(``〔2024〕37号``), phone numbers and concentrations (``150mg/L``) never become amounts.
Rates such as ``12吨/年`` and unit prices such as ``每吨800元`` or ``65元/m3`` are read but
marked, so that callers can leave them out of totals (and use prices to value a volume).

How sure a figure is (``bound``): 约、余、多、左右、以上、超过 make the stated figure a
lower bound (``at_least``, used as it stands); 近、不足、不到、以下 make it an upper bound
(``at_most``), and a range ``3至5吨`` is read at its lower end with ``upper`` kept, so a
caller can tell a figure that might or might not reach a threshold.
Texts are folded first (:func:`jiancha.text.normalize.fold`), which keeps positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from jiancha.text.normalize import fold

#: Units we read, mapped to (dimension, factor into the dimension's base unit).
#: Base units: tonnes, yuan, cubic metres, mu, and "times" for multiples.
UNITS: dict[str, tuple[str, float]] = {
    "吨": ("mass", 1.0),
    "t": ("mass", 1.0),
    "T": ("mass", 1.0),
    "公斤": ("mass", 0.001),
    "千克": ("mass", 0.001),
    "kg": ("mass", 0.001),
    "KG": ("mass", 0.001),
    "Kg": ("mass", 0.001),
    "㎏": ("mass", 0.001),
    "斤": ("mass", 0.0005),
    "元": ("money", 1.0),
    "立方米": ("volume", 1.0),
    "立方": ("volume", 1.0),
    "方": ("volume", 1.0),
    "m3": ("volume", 1.0),
    "m³": ("volume", 1.0),
    "㎥": ("volume", 1.0),
    "升": ("volume", 0.001),
    "L": ("volume", 0.001),
    "亩": ("area", 1.0),
    "平方米": ("area", 3 / 2000),
    "平米": ("area", 3 / 2000),
    "平方": ("area", 3 / 2000),
    "m2": ("area", 3 / 2000),
    "m²": ("area", 3 / 2000),
    "㎡": ("area", 3 / 2000),
    "公顷": ("area", 15.0),
    "倍": ("multiple", 1.0),
    "%": ("multiple", 0.01),  # ``超标250%`` is an exceedance of 2.5 times
}
#: Units written in Latin letters must not run on into a word (``5t`` but not ``5th``).
_LATIN = {"t", "T", "kg", "KG", "Kg", "m3", "m2", "L"}
#: ``方`` is a cubic metre only when it does not begin a word (``三方面``、``一方式``).
_NOT_VOLUME = set("面式法案向位针可便")

NUMBER = (
    r"(?:\d{1,3}(?:[,，]\d{3})+(?:\s?\.\s?\d+)?|\d+(?:\s?\.\s?\d+)?)[万亿]?"
    r"|[零〇一二两三四五六七八九十百千万亿点壹贰叁肆伍陆柒捌玖拾佰仟]+"
)
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![\dA-Za-z.\-])(?P<num>{NUMBER})\s*(?P<approx>余|多|许)?\s*(?P<wan>万)?\s*(?P<unit>{_UNIT})"
    r"(?P<after>\s*(?:余|多|左右|以上|以下))?(?P<rate>\s*[/／每])?"
)
_RANGE_BEFORE = re.compile(rf"(?P<lo>{NUMBER})\s*(?:{_UNIT})?\s*(?:至|到|~|～|-|—|－)\s*$")
_AT_MOST_BEFORE = re.compile(r"(?:近|将近|接近|不足|不到|未达|未超过)\s*$")
_AT_LEAST_BEFORE = re.compile(r"(?:约|大约|超过|逾|达)\s*$")
_PRICE_BEFORE = re.compile(r"(?:每|单价|均价|价格为?|售价为?|以)\S{0,3}$")


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, found at ``start``..``end`` in the text.

    ``value`` is in the dimension's base unit (tonnes, yuan, m³, mu, times).
    ``is_rate`` marks per-time or per-unit figures (``12吨/年``, ``每吨800元``).
    ``bound`` is ``exact``, ``at_least`` or ``at_most``; ``upper`` the top of a range.
    """

    value: float
    dimension: str
    unit: str
    start: int
    end: int
    is_rate: bool = False
    bound: str = "exact"
    upper: float | None = None


def parse_number(text: str) -> float | None:
    """The value of one number written in digits, Chinese numerals or a mix; None if unreadable."""
    cleaned = re.sub(r"[,，\s]", "", fold(text))
    try:
        return float(cn2an.cn2an(cleaned, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _bound(text: str, match: re.Match[str]) -> str:
    before = text[max(0, match.start() - 4) : match.start()]
    after = (match["after"] or "").strip()
    if _AT_MOST_BEFORE.search(before) or after == "以下":
        return "at_most"
    if match["approx"] or after in ("余", "多", "左右", "以上") or _AT_LEAST_BEFORE.search(before):
        return "at_least"
    return "exact"


def find_quantities(text: str) -> list[Quantity]:
    """Every number + known unit in ``text``, in order of appearance."""
    text = fold(text)
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        unit = match["unit"]
        follows = text[match.end("unit") : match.end("unit") + 1]
        if (unit in _LATIN and re.match(r"[A-Za-z]", follows)) or (unit == "方" and follows in _NOT_VOLUME):
            continue
        if text[max(0, match.start() - 1) : match.start()] == "第":
            continue
        value = parse_number(match["num"])
        if value is None:
            continue
        if match["wan"]:
            value *= 10_000
        dimension, factor = UNITS[unit]
        is_rate = bool(match["rate"]) or bool(
            _PRICE_BEFORE.search(text[max(0, match.start() - 6) : match.start()])
        )
        start, upper, bound = match.start(), None, _bound(text, match)
        ranged = _RANGE_BEFORE.search(text[max(0, match.start() - 16) : match.start()])
        low = parse_number(ranged["lo"]) if ranged else None
        if ranged and low is not None and low < value:
            start -= len(ranged.group(0))
            upper, value, bound = value * factor, low, "range"
            found = [q for q in found if q.end <= start]
        found.append(
            Quantity(
                round(value * factor, 6),
                dimension,
                unit,
                start,
                match.end("unit") if not match["after"] else match.end("after"),
                is_rate,
                bound,
                None if upper is None else round(upper, 6),
            )
        )
    return found
