"""Tonnes of hazardous waste in penalty facts, however the decision writes them.

Rules, in the order the reader applies them (general rules, not rules for texts):

- **Class.** A figure counts as hazardous waste when the nearest waste named before it
  in its sentence is hazardous — by name (废矿物油, 废铅蓄电池 …) or by a code of the
  国家危险废物名录 (``HW08``, ``900-249-08``) — and not when that nearest waste is an
  ordinary one (生活垃圾, 建筑垃圾, 一般工业固体废物, 污泥, 废水 …). With no waste named
  before it, the sentence decides: it speaks of hazardous waste or it does not.
- **Act.** Disposed when the figure's clause (else its sentence) says discharged, dumped,
  disposed of or handled without a licence; stored when it says stored or piled. A
  sentence that states figures but no act (a row of a table, an item of a list) takes the
  act of the sentence before it.
- **Containers.** ``148桶（5桶半1吨）`` is 148 × 1/5.5 t; ``99桶，每桶160公斤`` is 99 × 0.16 t;
  ``35个（约0.3吨）`` states its total. A count of 桶/吨桶/袋/罐/车 … with no weight anywhere
  is a doubt: it goes to a person.
- **Volume.** m³ or 升 with a density in the text (``密度1.2吨/立方米``, ``比重1.2``) is
  volume × density; without one, a doubt unless even 2 t/m³ leaves it below the threshold.
- **Sums.** A figure written with 共计/合计/累计/总计 is the total; otherwise the listed items
  of the class are added. A figure restated with 上述/前述/以上/该批 is counted once, and an
  item 其中 … is part of a total already counted when it has the same act.
- **Bounds.** 约/余/多/左右/以上 figures are lower bounds and count as written; a figure
  marked 近/不足/以下 at or above the threshold, and a range across it, is a doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jiancha.formatting import number
from jiancha.text.acts import HAZARDOUS_WASTE, is_disposal, is_storage
from jiancha.text.numerals import NUMBER, Quantity, find_quantities, parse_number
from jiancha.text.reading import Doubt, Reading

DISPOSED = "hazardous_waste_disposed_t"
_ORDINARY_WASTE = re.compile(
    r"生活垃圾|建筑垃圾|装修垃圾|一般工业固体废物|一般固体废物|一般固废|工业固废|渣土|餐厨垃圾|厨余|秸秆|粪污|粪便"
    r"|(?<!电镀)(?<!含铬)(?<!含重金属)污泥|(?<!蚀刻)废水|尾矿|煤矸石|粉煤灰|炉渣|废塑料|废纸|砂石|土方"
    r"|成品油|产品|原料|原材料|燃料|(?<!废)柴油|(?<!废)汽油|(?<!废)润滑油|货物|商品|土壤|淤泥"
)
#: Waste named generically; hazardous when the facts identify it as such (``经鉴定属于危险废物``).
_GENERIC_WASTE = re.compile(r"固体废物|废弃物|废物|废液|废渣|桶装物|不明液体")
IDENTIFIED = re.compile(r"(?:属于|属|为|系|鉴定为|认定为|判定为|确定为)[^，。；]{0,8}(?:危险废物|HW\s?\d{2})")
#: Containers and pieces: a count of these has a weight only when the text gives one.
CONTAINER = r"吨桶|吨袋|编织袋|蛇皮袋|麻袋|槽车|车次|桶|袋|罐|车|箱|包|只|瓶|件|堆|垛|托"
_COUNT = re.compile(
    rf"(?P<n>{NUMBER}|若干|一批|部分)\s*(?:余|多)?\s*(?:个|只)?\s*(?P<c>{CONTAINER})(?!装|子|盖|底|身)"
)
_MASS_UNIT = r"吨|t|T|公斤|千克|kg|KG|Kg|斤"
_RATIO = re.compile(
    rf"^\s*[（(]\s*(?:按|约|每)?\s*(?P<k>{NUMBER})\s*(?:个|只)?\s*(?P<c>{CONTAINER})\s*(?P<half>半)?\s*"
    rf"(?:约|为|合|折|计)?\s*(?P<m>{NUMBER})\s*(?P<u>{_MASS_UNIT})\s*[）)]"
)
_PER_UNIT = re.compile(
    rf"(?:每|单)(?:个|只)?(?P<c>{CONTAINER})\s*(?:约|重|重约|约重|净重|装|装约)?\s*(?P<w>{NUMBER})\s*(?P<u>{_MASS_UNIT})"
)
_DENSITY = re.compile(
    r"(?:密度|比重)\s*(?:为|约|约为|按)?\s*(?P<d>\d+(?:\.\d+)?)\s*"
    r"(?P<u>吨/立方米|t/m3|t/m³|g/cm3|g/cm³|g/mL|kg/L|千克/升|千克/立方米|kg/m3|kg/m³)?"
)
#: A stated total (共计…, 共5万元): it wins over the listed items it sums.
TOTAL = re.compile(r"共计|合计|累计|总计|总量|共(?=\d|约)")
#: A figure restated (上述4.5吨): counted once, where it was first stated.
RESTATED = re.compile(r"上述|前述|以上|该批|该部分")
_NOT_A_DEED = re.compile(r"产生量|年产生|年产|申报|管理计划|转移联单|台账|设计|能力|核定|许可")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?\n]?")
#: The party has no licence to handle hazardous waste: then collecting, buying or processing it is disposal.
UNLICENSED = re.compile(
    r"(?:无|未取得|未办理|没有|未持有|不具备|不具有)[^，。；]{0,8}(?:危险废物|危废)?[^，。；]{0,4}(?:经营)?(?:许可证|资质|许可)"
)
_ROW = re.compile(r"\s*(?:\d+|[一二三四五六七八九十]+)[、.．)）]|\s*序号")
_HANDLING = re.compile(r"收集|收购|回收|利用|加工|提炼|炼油|经营|拆解")
_MASS_FACTOR = {
    "吨": 1.0,
    "t": 1.0,
    "T": 1.0,
    "公斤": 0.001,
    "千克": 0.001,
    "kg": 0.001,
    "KG": 0.001,
    "Kg": 0.001,
    "斤": 0.0005,
}
_DENSITY_FACTOR = {"kg/m3": 0.001, "kg/m³": 0.001, "千克/立方米": 0.001}
_MOST_DENSE = 2.0  # t/m³: no liquid or sludge waste is denser, so below this stays below


@dataclass
class WasteReading:
    """Tonnes disposed and stored, with the readings behind the disposed figure and the doubts."""

    disposed: float | None = None
    stored: float | None = None
    readings: list[Reading] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class _Figure:
    value: float
    is_total: bool
    reading: Reading
    doubt: Doubt | None = None


def _span(original: str, sentence_start: int, sentence: str, start: int, end: int) -> str:
    """The clause of the original text around ``start``..``end`` (positions within the sentence)."""
    left = max(sentence.rfind(c, 0, start) for c in "，,") + 1
    ends = [i for c in "，," if (i := sentence.find(c, end)) >= 0]
    right = min(ends, default=len(sentence))
    return original[sentence_start + left : sentence_start + right].strip().rstrip("。；;")


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    left = max(sentence.rfind(c, 0, start) for c in "，,、") + 1
    ends = [i for c in "，," if (i := sentence.find(c, end)) >= 0]
    return sentence[left:start], sentence[end : min(ends, default=len(sentence))]


def is_hazardous_at(sentence: str, position: int, identified: bool = False) -> bool:
    """Whether the waste a figure at ``position`` speaks of is hazardous (nearest named waste);
    with ``identified`` (the facts find the waste hazardous) a generic 固体废物/废液 counts too."""
    before = sentence[:position]
    hazardous = [m.end() for m in HAZARDOUS_WASTE.finditer(before)]
    if identified:
        hazardous += [m.end() for m in _GENERIC_WASTE.finditer(before)]
    ordinary = [m.end() for m in _ORDINARY_WASTE.finditer(before)]
    if hazardous or ordinary:
        return max(hazardous, default=-1) > max(ordinary, default=-1)
    return bool(HAZARDOUS_WASTE.search(sentence)) or (identified and bool(_GENERIC_WASTE.search(sentence)))


def _act(sentence: str, start: int, end: int, carried: str | None, unlicensed: bool) -> str | None:
    before, after = _clause(sentence, start, end)
    clause = before + sentence[start:end] + after
    if is_disposal(clause) or (unlicensed and _HANDLING.search(clause)):
        return "disposed"
    if is_storage(clause):
        return "stored"
    if is_disposal(sentence) or (unlicensed and _HANDLING.search(sentence) and not is_storage(sentence)):
        return "disposed"
    if is_storage(sentence):
        return "stored"
    return carried


def _sentence_act(sentence: str, unlicensed: bool) -> str | None:
    if is_disposal(sentence) or (unlicensed and _HANDLING.search(sentence)):
        return "disposed"
    return "stored" if is_storage(sentence) else None


def _containers(
    sentence: str, masses: list[Quantity]
) -> tuple[list[tuple[int, int, float | None, str]], set[int]]:
    """Container counts: (start, end, tonnes or None, arithmetic); and the mass positions they consume."""
    found: list[tuple[int, int, float | None, str]] = []
    consumed: set[int] = set()
    for count in _COUNT.finditer(sentence):
        n = parse_number(count["n"]) if count["n"] not in ("若干", "一批", "部分") else None
        rest = sentence[count.end() :]
        ratio = _RATIO.match(rest)
        if ratio and n is not None and ratio["c"] == count["c"]:
            k = (parse_number(ratio["k"]) or 0) + (0.5 if ratio["half"] else 0)
            m = (parse_number(ratio["m"]) or 0) * _MASS_FACTOR[ratio["u"]]
            if k > 0:
                tonnes = n * m / k
                consumed.update(q.start for q in masses if count.end() <= q.start < count.end() + ratio.end())
                found.append((count.start(), count.end() + ratio.end(), tonnes,
                              f"按\"{ratio.group(0).strip()[1:-1]}\"折算约{number(tonnes)}吨"))  # fmt: skip
                continue
        if any(count.end() <= q.start <= count.end() + 6 and not q.is_rate for q in masses):
            continue  # ``35个（约0.3吨）``, ``70桶约3吨``: the total follows the count
        per = next((p for p in _PER_UNIT.finditer(sentence) if p["c"] == count["c"]), None)
        if per and n is not None:
            w = (parse_number(per["w"]) or 0) * _MASS_FACTOR[per["u"]]
            consumed.update(q.start for q in masses if per.start() <= q.start < per.end())
            found.append(
                (
                    count.start(),
                    count.end(),
                    n * w,
                    f"按每{per['c']}{per['w']}{per['u']}计约{number(n * w)}吨",
                )
            )
            continue
        if count["c"] == "吨桶" and n is not None:
            found.append((count.start(), count.end(), None, f"吨桶按容积计约{number(n)}立方米，未写明重量"))
            continue
        found.append((count.start(), count.end(), None, f"{count.group(0)}未写明单件重量"))
    return found, consumed


def _density(sentence: str) -> float | None:
    match = _DENSITY.search(sentence)
    if not match:
        return None
    return float(match["d"]) * _DENSITY_FACTOR.get(match["u"] or "", 1.0)


def _figures(
    sentence: str,
    offset: int,
    original: str,
    carried: str | None,
    limit: float,
    unlicensed: bool,
    identified: bool,
):
    """(act, _Figure) for each hazardous-waste figure of one sentence."""
    quantities = find_quantities(sentence)
    masses = [q for q in quantities if q.dimension == "mass" and not q.is_rate]
    containers, consumed = _containers(sentence, masses)
    out: list[tuple[str, _Figure]] = []

    def add(start: int, end: int, value: float, arithmetic: str, doubt_why: str | None = None,
            total: bool = False, candidate: float | None = None) -> None:  # fmt: skip
        if not is_hazardous_at(sentence, start, identified):
            return
        before, _ = _clause(sentence, start, end)
        if _NOT_A_DEED.search(before):
            return
        act = _act(sentence, start, end, carried, unlicensed)
        if act is None:
            return
        span = _span(original, offset, sentence, start, end)
        doubt = Doubt(DISPOSED, span, doubt_why, candidate) if doubt_why else None
        out.append(
            (
                act,
                _Figure(
                    value,
                    total or bool(TOTAL.search(before)),
                    Reading(DISPOSED, value, span, arithmetic),
                    doubt,
                ),
            )
        )

    in_containers = [(s, e) for s, e, _, _ in containers]
    for q in masses:
        if q.start in consumed or any(s <= q.start < e for s, e in in_containers):
            continue
        before, _ = _clause(sentence, q.start, q.end)
        if RESTATED.search(before) and not TOTAL.search(before):
            continue
        why = None
        if q.bound == "at_most" and q.value >= limit:
            why = f'写明"{sentence[q.start - 2 : q.end].strip()}"，是否达到{number(limit)}吨无法确定'
        if q.bound == "range" and q.upper is not None and q.value < limit <= q.upper:
            why = f"写明的数量区间{number(q.value)}至{number(q.upper)}吨跨越{number(limit)}吨"
        add(q.start, q.end, q.value, "", why, candidate=q.value)
    for start, end, tonnes, arithmetic in containers:
        if tonnes is not None:
            add(start, end, tonnes, arithmetic)
        else:
            add(start, end, 0.0, arithmetic, f"{arithmetic}，无法折算为吨")
    density = _density(sentence)
    for q in (q for q in quantities if q.dimension == "volume" and not q.is_rate):
        if density is not None:
            tonnes = q.value * density
            add(q.start, q.end, tonnes, f"按密度{number(density)}吨/立方米折算约{number(tonnes)}吨")
        elif q.value * _MOST_DENSE >= limit:
            add(q.start, q.end, 0.0, "", f"以体积{number(q.value)}立方米写明、未写明密度，无法折算为吨")
    return out


def _total(figures: list[_Figure]) -> float | None:
    if not figures:
        return None
    totals = [f.value for f in figures if f.is_total]
    return max(totals) if totals else round(sum(f.value for f in figures), 6)


def read_waste(original: str, limit: float = 3.0) -> WasteReading:
    """Tonnes of hazardous waste disposed of and stored, with readings and doubts."""
    from jiancha.text.normalize import fold

    text = fold(original)
    disposed: list[_Figure] = []
    stored: list[_Figure] = []
    carried: str | None = None
    unlicensed = bool(UNLICENSED.search(text))
    identified = bool(IDENTIFIED.search(text))
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        named = HAZARDOUS_WASTE.search(sentence) or (identified and _GENERIC_WASTE.search(sentence))
        if named or (carried and re.search(r"\d", sentence)):
            for act, figure in _figures(
                sentence, match.start(), original, carried, limit, unlicensed, identified
            ):
                (disposed if act == "disposed" else stored).append(figure)
        own = _sentence_act(sentence, unlicensed) if HAZARDOUS_WASTE.search(sentence) else None
        # The act carries over a list (items closed by ；) and into the rows of a table (lines).
        keeps = sentence[-1:] in "；;\n" or _ROW.match(sentence)
        carried = own or (carried if keeps else None)
    _drop_parts(disposed, stored)
    result = WasteReading(
        _total([f for f in disposed if f.doubt is None]), _total([f for f in stored if f.doubt is None])
    )
    settled = [f for f in disposed if f.doubt is None]
    totals = [f for f in settled if f.is_total]
    result.readings = [max(totals, key=lambda f: f.value).reading] if totals else [f.reading for f in settled]
    if (result.disposed or 0) < limit:
        result.doubts = [f.doubt for f in disposed if f.doubt is not None]
    return result


def _drop_parts(disposed: list[_Figure], stored: list[_Figure]) -> None:
    """An item 其中 … is part of a total already counted for the same act."""
    for figures in (disposed, stored):
        if any(f.is_total for f in figures):
            figures[:] = [f for f in figures if f.is_total or "其中" not in f.reading.span]
