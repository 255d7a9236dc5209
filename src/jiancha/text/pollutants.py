"""Pollutants named in penalty facts, and the exceedance multiple written for each.

The criminal rules in 法释〔2023〕7号 art. 1 count a multiple only for listed heavy
metals: ≥ 3× for Pb, Hg, Cd, Cr, As, Tl, Sb and ≥ 10× for Ni, Cu, Zn, Ag, V, Mn, Co.
A multiple for COD, ammonia, suspended solids or aluminium never meets them, so each
multiple is tied to the pollutant it is written for: the nearest pollutant named
before it in the sentence (``总铅浓度1.8mg/L，超标2.6倍``), the pairs of a
``分别`` list (``化学需氧量、总铅分别超标1.2倍、3.5倍``), or, when no multiple is
written, a measured concentration C and a standard S as (C − S) / S.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiancha.formatting import number
from jiancha.text.numerals import Quantity, parse_number

#: Pollutant group of each metal: "3x" metals (法释〔2023〕7号 art. 1 item 3), "10x" metals (item 4).
METAL_GROUPS: dict[str, str] = {
    **dict.fromkeys(("Pb", "Hg", "Cd", "Cr", "As", "Tl", "Sb"), "3x"),
    **dict.fromkeys(("Ni", "Cu", "Zn", "Ag", "V", "Mn", "Co"), "10x"),
}
_METAL_NAMES = {
    "铅": "Pb", "汞": "Hg", "镉": "Cd", "铬": "Cr", "砷": "As", "铊": "Tl", "锑": "Sb",
    "镍": "Ni", "铜": "Cu", "锌": "Zn", "银": "Ag", "钒": "V", "锰": "Mn", "钴": "Co",
}  # fmt: skip
_OTHER = (
    r"化学需氧量|COD(?:[Cc]r|Mn)?|高锰酸盐指数|生化需氧量|BOD5?|氨氮|NH[3₃]-N|悬浮物|SS|总磷|总氮|铝"
    r"|石油类|动植物油|挥发酚|氟化物|硫化物|氰化物|色度|粪大肠菌群|pH|颗粒物|二氧化硫|氮氧化物|烟尘"
)
_POLLUTANT = re.compile(
    rf"(?P<other>{_OTHER})"
    r"|(?P<cn>(?<!高)锰(?!酸盐)|银(?!行)|[铅汞镉铬砷铊锑镍铜锌钒钴])"
    r"|(?<![A-Za-z])(?P<sym>Pb|Hg|Cd|Cr|As|Tl|Sb|Ni|Cu|Zn|Ag|Mn|Co)(?![a-z])"
)
_CONCENTRATION = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>mg/[Ll]|毫克/升|mg/m[3³]|毫克/立方米|[μu]g/[Ll]|微克/升)"
)
_STANDARD_BEFORE = re.compile(r"标准|限值|限量|排放浓度限")
_EXCEED_BEFORE = re.compile(r"超(?:标|过|出)")
_RATIO_BEFORE = re.compile(r"(?:为|是|达)[^，,]{0,20}(?:标准|限值)[^，,]{0,6}的$")
_PENALTY_WORDS = re.compile(r"罚款|罚金|处以|并处")
_CLAUSE_BREAK = re.compile(r"[，,]")
_TITLE = re.compile(r"《[^》]*》")


@dataclass(frozen=True)
class Mention:
    """A pollutant named at ``start``: ``group`` is ``3x``, ``10x`` or ``other``."""

    start: int
    end: int
    group: str
    name: str = ""


@dataclass(frozen=True)
class Exceedance:
    """An exceedance multiple read for a pollutant group, the clause it was read from and, when it
    was worked out from a concentration and a standard, the arithmetic."""

    group: str
    multiple: float
    span: str = ""
    arithmetic: str = ""


def pollutant_mentions(sentence: str) -> list[Mention]:
    """Every pollutant named in the sentence, in order."""
    mentions = []
    titles = [m.span() for m in _TITLE.finditer(sentence)]
    for match in _POLLUTANT.finditer(sentence):
        if any(a <= match.start() < b for a, b in titles):
            continue  # 《再生铜、铝、铅、锌工业污染物排放标准》 names a standard, not a pollutant
        if match["other"]:
            group = "other"
        else:
            symbol = match["sym"] or _METAL_NAMES[match["cn"]]
            group = METAL_GROUPS[symbol]
        mentions.append(Mention(match.start(), match.end(), group, match.group(0)))
    return mentions


def _clause_before(sentence: str, position: int) -> str:
    """The text from the start of the comma clause holding ``position`` up to it."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, position)]
    return sentence[(starts[-1] if starts else 0) : position]


def _multiple_value(sentence: str, quantity: Quantity) -> float | None:
    """The exceedance multiple a ``N倍`` figure states, or None if it is not one (a fine's multiple)."""
    before = _clause_before(sentence, quantity.start)
    if _PENALTY_WORDS.search(before):
        return None
    if _RATIO_BEFORE.search(before):
        return quantity.value - 1
    if _EXCEED_BEFORE.search(before):
        return quantity.value
    return None


def _respectively_pairs(sentence: str, mentions: list[Mention], multiples: list[tuple[int, float]]):
    """Pair ``A、B分别超标x倍、y倍`` in order; returns {multiple position: group}."""
    pairs: dict[int, str] = {}
    for match in re.finditer("分别", sentence):
        clause_start = match.start() - len(_clause_before(sentence, match.start()))
        named = [m for m in mentions if clause_start <= m.start < match.start()]
        if len(named) < 2:  # ``A 90mg/L、B 29mg/L，参照…计算，分别超标…``: the names come before
            named = _first_of_each(m for m in mentions if m.start < match.start())
            named = named[: len([p for p, _ in multiples if p > match.start()])]
        following = [p for p, _ in multiples if p > match.start()][: len(named)]
        if len(named) > 1 and len(following) == len(named):
            pairs.update({p: m.group for p, m in zip(following, named, strict=True)})
    return pairs


def _first_of_each(mentions) -> list[Mention]:
    """Pollutant mentions in order, a pollutant named again (in the standard's list) dropped."""
    seen: set[str] = set()
    order: list[Mention] = []
    for m in mentions:
        if m.name not in seen:
            seen.add(m.name)
            order.append(m)
    return order


def _group_at(mentions: list[Mention], position: int, clause_end: int) -> str:
    """The group of the nearest pollutant before ``position``, else the first after it in the clause."""
    before = [m for m in mentions if m.end <= position]
    if before:
        return before[-1].group
    after = [m for m in mentions if position < m.start < clause_end]
    return after[0].group if after else "other"


def _clause_end(sentence: str, position: int) -> int:
    found = _CLAUSE_BREAK.search(sentence, position)
    return found.start() if found else len(sentence)


def written_multiples(sentence: str, quantities: list[Quantity]) -> list[Exceedance]:
    """The exceedance multiples the sentence writes out, each tied to its pollutant group."""
    mentions = pollutant_mentions(sentence)
    multiples = [
        (q.start, value)
        for q in quantities
        if q.dimension == "multiple" and (value := _multiple_value(sentence, q)) is not None
    ]
    paired = _respectively_pairs(sentence, mentions, multiples)
    return [
        Exceedance(
            paired.get(pos) or _group_at(mentions, pos, _clause_end(sentence, pos)),
            value,
            _clause_at(sentence, pos),
        )
        for pos, value in multiples
    ]


def _clause_at(sentence: str, position: int) -> str:
    """The comma clause holding ``position``, as quoted in a reading."""
    start = position - len(_clause_before(sentence, position))
    return sentence[start : _clause_end(sentence, position)].strip()


def metal_concentrations(sentence: str) -> list[tuple[str, str]]:
    """(group, clause) of each listed heavy metal measured in a sentence that says it exceeds."""
    if not _EXCEED_BEFORE.search(sentence):
        return []
    mentions = pollutant_mentions(sentence)
    found = []
    for match in _CONCENTRATION.finditer(sentence):
        owners = [m for m in mentions if m.end <= match.start()]
        if owners and owners[-1].group in ("3x", "10x"):
            found.append((owners[-1].group, _clause_at(sentence, match.start())))
    return found


def _in_mg_per_unit(value: float, unit: str) -> float:
    return value / 1000 if unit[0] in "μu微" else value


def concentration_multiples(sentence: str) -> list[Exceedance]:
    """(C − S) / S for each pollutant given a measured C and a standard S but no written multiple."""
    mentions = pollutant_mentions(sentence)
    measured: dict[int, float] = {}
    standard: dict[int, float] = {}
    for match in _CONCENTRATION.finditer(sentence):
        owners = [i for i, m in enumerate(mentions) if m.end <= match.start()]
        value = parse_number(match["num"])
        if not owners or value is None:
            continue
        role = (
            standard if _STANDARD_BEFORE.search(_clause_before(sentence, match.start())[-12:]) else measured
        )
        role.setdefault(owners[-1], _in_mg_per_unit(value, match["unit"]))
    return [
        Exceedance(
            mentions[i].group,
            round((measured[i] - standard[i]) / standard[i], 6),
            sentence.strip(),
            f"按(C−S)/S计超标{number((measured[i] - standard[i]) / standard[i])}倍",
        )
        for i in measured
        if standard.get(i) and measured[i] > standard[i]
    ]
