"""Reading one administrative penalty decision's facts (违法事实) into quantities and acts.

``read_penalty_facts`` is pure: text in, :class:`PenaltyFacts` out. It carries what
the facts say — tonnes of hazardous waste disposed and stored, the largest
exceedance multiple per pollutant group, concealed pipes, interference with
monitoring, sales and unsold value of fake goods, value of minerals mined, mu of
farmland occupied — and :meth:`PenaltyFacts.thresholds_met` judges them against
the criminal thresholds. The model ``linkage.penalty_not_transferred`` applies the
same thresholds in SQL over :func:`penalty_facts_table`, where each is a parameter
a procuratorate may change; the thresholds here are those defaults.

Totals: a figure written with 共计/合计/累计/总计 is the total; otherwise the listed
figures are added, each as often as it is listed (two items of 3万元 are 6万元), and a
figure restated later — ``上述4.5吨`` — is counted once, where it was first stated.
Spans are quoted in the decision's own wording: the reader works on the folded text
(:func:`~jiancha.text.normalize.fold`, which keeps every position), and each span is
quoted from the same place of the original.
:func:`read_penalty` also keeps what was read (:class:`~jiancha.text.reading.Reading`:
span and arithmetic), what could not be settled (:class:`~jiancha.text.reading.Doubt`,
for the needs-reading queue) and the grounds a clue would rest on
(:mod:`jiancha.text.grounds`). Hazardous waste is read by :mod:`jiancha.text.waste`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

import duckdb
import pyarrow as pa

from jiancha.formatting import number
from jiancha.text.acts import CONCEALED_PIPE, MONITORING_INTERFERENCE, asserted_at
from jiancha.text.grounds import Ground, make_ground, monitoring_ground, pipe_ground
from jiancha.text.normalize import fold
from jiancha.text.numerals import Quantity, find_quantities
from jiancha.text.pollutants import (
    Exceedance,
    concentration_multiples,
    metal_concentrations,
    written_multiples,
)
from jiancha.text.reading import Doubt, Reading
from jiancha.text.waste import RESTATED, TOTAL, read_waste

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_BREAKS = "，,、"
_NOT_AN_AMOUNT = re.compile(r"罚款|罚金|违法所得|没收|处以|并处|补缴|缴纳|收取|费用|成本|工资|利润")
#: For mining the gains (违法所得) are the value reached when nothing else is stated.
_NOT_A_MINING_AMOUNT = re.compile(r"罚款|罚金|处以|并处|补缴|缴纳|收取|费用|成本|工资|利润|保证金|倍")
_FAKE_GOODS = re.compile(
    r"伪劣|假冒|不合格|以假充真|以次充好|掺杂|掺假|冒充|劣质|假药|不符合[^，。；]{0,16}标准"
)
_UNSOLD = re.compile(r"未销售|尚未销售|未售出|库存|查扣|扣押|查封|封存|查获|剩余|待售")
_GOODS_VALUE = re.compile(r"货值")
_GOODS_SOLD = re.compile(
    r"销往|已全部销售|已全部售出|均已售出|均已销售|全部售出|全部销售|已使用完毕|无法召回"
)
_SOLD = re.compile(
    r"销售金额|销售额|销售收入|销售价款|销售款|已销售|已售出|售出|销售[^，。；]{0,10}共计|营业额|卖出|出售"
)
_MINING = re.compile(
    r"非法采矿|非法开采|非法采砂|盗采|无证开采|越界开采|越层开采|擅自开采|超越[^，。；]{0,12}(?:范围|区域|矿区)"
    r"|未取得采矿许可证|采砂|采石|采矿|挖砂|抽砂|取砂"
)
_MINERAL_VALUE = re.compile(
    r"价值|价款|计价|折价|货值|价格认定|价格认证|核算|评估|鉴定|共计|合计|赔偿损失|损失|破坏"
)
_MINERAL_SALES = re.compile(r"销售金额|销售收入|销售价款|售得|销赃|销售额|出售")
_MINERAL_GAINS = re.compile(r"违法所得|非法所得|获利")
_PER_VOLUME = re.compile(r"^\s*[/／每]\s*(?:立方米|立方|方|m3|m³|㎥)|^\s*[/／每]\s*(?:吨|t)")
_PRICE_UNIT_BEFORE = re.compile(r"每(?:立方米|立方|方|吨)[^，。；]{0,6}$")
_LAND_ACT = re.compile(
    r"占用|占地|建房|建设|硬化|挖|取土|采土|堆放|毁坏|破坏|改变[^，。；]{0,6}用途|种植条件|搭建|修建|建窑"
)
_BASIC_FARMLAND = re.compile(r"基本农田")
_PLAIN_LAND = re.compile(r"(?<![耕农林草园])(?:土地|用地)(?!管理|利用|手续|审批|规划)")
_OTHER_FARMLAND = re.compile(r"耕地|农用地|农田|园地|林地|草地")


@dataclass(frozen=True)
class PenaltyThresholds:
    """The criminal thresholds (defaults of the model's parameters), see domain notes §2–3."""

    hazardous_waste_t: float = 3.0
    heavy_metal_3x: float = 3.0
    heavy_metal_10x: float = 10.0
    fake_goods_sales_yuan: float = 50_000.0
    fake_goods_unsold_yuan: float = 150_000.0
    mining_value_yuan: float = 100_000.0
    basic_farmland_mu: float = 5.0
    other_farmland_mu: float = 10.0


@dataclass(frozen=True)
class ThresholdMet:
    """One criminal threshold the facts reach, with a short reason in Chinese."""

    code: str
    reason: str


@dataclass(frozen=True)
class PenaltyFacts:
    """What one decision's facts say. None means the facts do not state the figure."""

    hazardous_waste_disposed_t: float | None = None
    hazardous_waste_stored_t: float | None = None
    heavy_metal_multiple_3x: float | None = None
    heavy_metal_multiple_10x: float | None = None
    other_pollutant_multiple: float | None = None
    concealed_pipe: bool = False
    monitoring_interference: bool = False
    fake_goods_sales_yuan: float | None = None
    fake_goods_unsold_value_yuan: float | None = None
    mining_value_yuan: float | None = None
    mining_volume_m3: float | None = None
    basic_farmland_mu: float | None = None
    other_farmland_mu: float | None = None

    def thresholds_met(self, limits: PenaltyThresholds = PenaltyThresholds()) -> tuple[ThresholdMet, ...]:
        """The criminal thresholds these facts reach: 法释〔2023〕7号 art. 1 first, then the others."""
        checks = (
            ("hazardous_waste", self.hazardous_waste_disposed_t, limits.hazardous_waste_t,
             "非法排放、倾倒、处置危险废物{v}吨，达到{t}吨以上"),
            ("heavy_metal_3x", self.heavy_metal_multiple_3x, limits.heavy_metal_3x,
             "排放铅、汞、镉、铬、砷、铊、锑超标{v}倍，达到{t}倍以上"),
            ("heavy_metal_10x", self.heavy_metal_multiple_10x, limits.heavy_metal_10x,
             "排放镍、铜、锌、银、钒、锰、钴超标{v}倍，达到{t}倍以上"),
            ("fake_goods_sales", self.fake_goods_sales_yuan, limits.fake_goods_sales_yuan,
             "销售伪劣产品金额{v}元，达到{t}元以上"),
            ("fake_goods_unsold", self.fake_goods_unsold_value_yuan, limits.fake_goods_unsold_yuan,
             "伪劣产品尚未销售，货值{v}元，达到{t}元以上"),
            ("mining", self.mining_value_yuan, limits.mining_value_yuan,
             "非法开采矿产品价值{v}元，达到{t}元以上"),
            ("basic_farmland", self.basic_farmland_mu, limits.basic_farmland_mu,
             "非法占用永久基本农田{v}亩，达到{t}亩以上"),
            ("other_farmland", self.other_farmland_mu, limits.other_farmland_mu,
             "非法占用其他耕地{v}亩，达到{t}亩以上"),
        )  # fmt: skip
        met = [
            ThresholdMet(code, text.format(v=number(v), t=number(t)))
            for code, v, t, text in checks
            if v is not None and v >= t
        ]
        if self.concealed_pipe:
            met.append(ThresholdMet("concealed_pipe", "通过暗管、渗井、渗坑等逃避监管的方式排放污染物"))
        if self.monitoring_interference:
            met.append(ThresholdMet("monitoring_interference", "篡改、伪造自动监测数据或者干扰自动监测设施"))
        return tuple(met)


@dataclass(frozen=True)
class PenaltyReading:
    """One decision read: its figures, the readings behind them, the doubts, and the grounds."""

    facts: PenaltyFacts
    readings: dict[str, tuple[Reading, ...]]
    doubts: tuple[Doubt, ...]
    grounds: tuple[Ground, ...]

    @property
    def ground_zh(self) -> str:
        """Each ground stated, and what would change it."""
        return "".join(g.ground_zh + g.changer_zh for g in self.grounds)

    @property
    def ground_kind(self) -> str | None:
        """``criminal`` when any ground is a criminal threshold, ``detention`` when all are detention
        transfers (环境保护法 第六十三条), None without a ground: the letter argues the graver one."""
        kinds = {g.kind for g in self.grounds}
        return "criminal" if "criminal" in kinds else next(iter(kinds), None)

    @property
    def changer_zh(self) -> str:
        """What would change each ground, on its own (the letter's reasons state it)."""
        return "".join(g.changer_zh for g in self.grounds)

    @property
    def reading_zh(self) -> str:
        """Each reading: the span quoted and the arithmetic."""
        return "".join(g.reading_zh for g in self.grounds)

    @property
    def ground_basis(self) -> list[str]:
        """The provision keys every ground rests on, each once."""
        return list(dict.fromkeys(k for g in self.grounds for k in g.basis))


def _sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


def _clause(sentence: str, quantity: Quantity) -> tuple[str, str]:
    """The comma clause holding the quantity, split into the text before it and after it."""
    start = max(sentence.rfind(c, 0, quantity.start) for c in _CLAUSE_BREAKS) + 1
    ends = [i for c in "，," if (i := sentence.find(c, quantity.end)) >= 0]
    return sentence[start : quantity.start], sentence[quantity.end : min(ends, default=len(sentence))]


def _span_of(sentence: str, quantity: Quantity) -> str:
    """The comma clause holding the quantity, as quoted in a reading."""
    before, after = _clause(sentence, quantity)
    return (before + sentence[quantity.start : quantity.end] + after).strip()


_Figure = tuple[float, bool, Reading]


def _states_total(sentence: str, quantity: Quantity, before: str) -> bool:
    """The clause states this figure as a total (共计…, and 共 right before the figure: 共5万元)."""
    return bool(TOTAL.search(before + sentence[quantity.start : quantity.end]))


def _restated(before: str) -> bool:
    """The clause restates a figure already counted (上述…), rather than stating a total of it."""
    return bool(RESTATED.search(before)) and not TOTAL.search(before)


def _total(figures: list[_Figure]) -> float | None:
    """A stated total when there is one, else the sum of the listed figures (restatements are
    never listed: the readers drop them)."""
    if not figures:
        return None
    totals = [value for value, is_total, _ in figures if is_total]
    return max(totals) if totals else round(sum(value for value, _, _ in figures), 6)


def _used(figures: list[_Figure]) -> tuple[Reading, ...]:
    """The readings a total rests on: the stated total, else each listed figure."""
    totals = [f for f in figures if f[1]]
    if totals:
        return (max(totals, key=lambda f: f[0])[2],)
    return tuple(reading for _, _, reading in figures)


def _max_multiples(text: str, limits: PenaltyThresholds) -> tuple[dict[str, Exceedance], list[Doubt]]:
    """The largest exceedance multiple per pollutant group (3x, 10x, other) with its clause; doubts."""
    best: dict[str, Exceedance] = {}
    measured_metals: dict[str, str] = {}
    for sentence in _sentences(text):
        written: list[Exceedance] = written_multiples(sentence, find_quantities(sentence))
        stated = {e.group for e in written}
        derived = [e for e in concentration_multiples(sentence) if e.group not in stated]
        for e in (*written, *derived):
            if e.group not in best or e.multiple > best[e.group].multiple:
                best[e.group] = replace(e, span=e.span or sentence.strip())
        for group, span in metal_concentrations(sentence):
            measured_metals.setdefault(group, span)
    doubts = []
    for group, field, limit in (("3x", "heavy_metal_multiple_3x", limits.heavy_metal_3x),
                                ("10x", "heavy_metal_multiple_10x", limits.heavy_metal_10x)):  # fmt: skip
        if group in best and limit - 1 <= best[group].multiple < limit:
            multiple, span = best[group].multiple, best[group].span
            why = (
                f"超标{number(multiple)}倍（浓度为标准的{number(multiple + 1)}倍）："
                f"按“超过标准{number(limit)}倍以上”指浓度达到标准{number(limit)}倍的读法则已达标准"
            )
            doubts.append(Doubt(field, span, why, multiple))
        elif group not in best and group in measured_metals:
            doubts.append(Doubt(field, measured_metals[group], "写明重金属超标，但未写明标准限值或超标倍数"))
    return best, doubts


def _money(text: str, classify: Callable[[str], str | None], excluded: re.Pattern[str] = _NOT_AN_AMOUNT):
    """Yuan amounts sorted into roles by ``classify(clause_before)``; fines are never amounts."""
    roles: dict[str, list[_Figure]] = {}
    for sentence in _sentences(text):
        for q in find_quantities(sentence):
            if q.dimension != "money" or q.is_rate:
                continue
            before, _ = _clause(sentence, q)
            if excluded.search(before[-12:] if excluded is _NOT_A_MINING_AMOUNT else before):
                continue
            if _restated(before):
                continue
            role = classify(before)
            if role:
                reading = Reading("", q.value, _span_of(sentence, q))
                roles.setdefault(role, []).append((q.value, _states_total(sentence, q, before), reading))
    return roles


def _fake_goods_role(before: str, all_sold: bool = False) -> str | None:
    """Unsold when the clause says so, sales when it says sold; a bare 货值 is goods not yet sold,
    unless the facts say the goods were all sold and none is left in stock."""
    if _UNSOLD.search(before):
        return "unsold"
    if _SOLD.search(before):
        return "sales"
    if _GOODS_VALUE.search(before):
        return "sales" if all_sold else "unsold"
    return None


def _all_sold(text: str) -> bool:
    """The facts say the goods were sold (销往, 已全部售出 …) and speak of no stock, seizure or remainder."""
    return bool(_GOODS_SOLD.search(text)) and not _UNSOLD.search(text)


def _mining_role(before: str) -> str | None:
    if _MINERAL_GAINS.search(before[-10:]):
        return "gains"
    if _MINERAL_SALES.search(before):
        return "sales"
    return "value" if _MINERAL_VALUE.search(before) else None


def _mining(text: str) -> tuple[float | None, float | None, tuple[Reading, ...], list[Doubt]]:
    """Value of minerals taken: stated (value, else sales, else gains), else volume × unit price."""
    roles = _money(text, _mining_role, _NOT_A_MINING_AMOUNT)
    found = [(s, q) for s in _sentences(text) for q in find_quantities(s)]
    amounts = [(s, q) for s, q in found if q.dimension in ("volume", "mass") and not q.is_rate]
    volume = max((q.value for _, q in amounts if q.dimension == "volume"), default=None)
    for role in ("value", "sales", "gains"):
        if roles.get(role):
            readings = tuple(Reading("mining_value_yuan", r.value, r.span) for r in _used(roles[role]))
            return _total(roles[role]), volume, readings, []
    for sentence, price in ((s, q) for s, q in found if q.dimension == "money" and q.is_rate):
        unit = _price_unit(sentence, price)
        basis = [q for _, q in amounts if unit and q.dimension == ("mass" if unit == "吨" else "volume")]
        if basis:
            qty = max(basis, key=lambda q: q.value)
            value = round(qty.value * price.value, 2)
            arithmetic = f"按{number(qty.value)}{unit}×{number(price.value)}元/{unit}计{number(value)}元"
            return value, volume, (Reading("mining_value_yuan", value, sentence.strip(), arithmetic),), []
    if not amounts:
        return None, volume, (), []
    sentence, q = max(amounts, key=lambda pair: pair[1].value)
    return (
        None,
        volume,
        (),
        [Doubt("mining_value_yuan", _span_of(sentence, q), "写明开采数量但未写明矿产品价值或单价")],
    )


def _price_unit(sentence: str, price: Quantity) -> str | None:
    """What a unit price is per — 吨 or 立方米 — or None when it is not per a quantity of mineral."""
    after = (
        sentence[price.end - 1 :] if sentence[price.end - 1 : price.end] in "/／每" else sentence[price.end :]
    )
    per = _PER_VOLUME.match(after)
    per_before = _PRICE_UNIT_BEFORE.search(sentence[: price.start])
    if not (per or per_before):
        return None
    return (
        "吨"
        if "吨" in (per.group(0) if per else "") + (per_before.group(0) if per_before else "")
        else "立方米"
    )


def _farmland(text: str) -> tuple[float | None, float | None, tuple[Reading, ...], tuple[Reading, ...]]:
    """Mu of basic and of other farmland; ``耕地12亩，其中基本农田6亩`` gives 6 and 6."""
    basic: list[_Figure] = []
    other: list[_Figure] = []
    for sentence in _sentences(text):
        previous: Quantity | None = None
        kinds: list[str | None] = []
        for q in find_quantities(sentence):
            if q.dimension != "area":
                continue
            restated = previous is not None and _CONVERTED.match(sentence[previous.end : q.start])
            previous = q
            if restated:  # ``2666.7平方米（约4亩）``: the same area in another unit
                continue
            before, _ = _clause(sentence, q)
            if _restated(before):
                continue
            reading = Reading("", q.value, _span_of(sentence, q))
            figure = (q.value, _states_total(sentence, q, before), reading)
            land = (
                _land_before(before[-16:])
                or _land_after(sentence[q.end : q.end + 8])
                or _land_before(sentence[: q.start])
            )
            part = (
                "其中" in before
                and land is not None
                and bool(kinds)
                and land == kinds[-1]
                and not _land_before(before)
            )
            kinds.append(land)
            if part:  # ``耕地44.12亩，其中地上建筑物占地11.56亩``: a part of the figure before
                continue
            if land == "basic":
                basic.append(figure)
            elif land == "other":
                other.append(figure)
    basic_mu, other_mu = _total(basic), _total(other)
    if basic_mu is not None and other_mu is not None and "其中" in text:
        other_mu = max(other_mu - basic_mu, 0.0)
    return basic_mu, other_mu, _used(basic), _used(other)


_CONVERTED = re.compile(r"^\s*[（(]\s*(?:约|合|折合|即|计)?\s*$")


def _land_before(text: str) -> str | None:
    """The kind of land named last in ``text``: basic farmland, other farmland, or None."""
    basic = [m.end() for m in _BASIC_FARMLAND.finditer(text)]
    other = [m.end() for m in _OTHER_FARMLAND.finditer(text)]
    plain = [m.end() for m in _PLAIN_LAND.finditer(text)]
    if not basic and not other and not plain:
        return None
    last = max(max(basic, default=-1), max(other, default=-1), max(plain, default=-1))
    if last in plain:
        return "land"  # ``压占土地12.9亩``: land not found to be farmland
    return "basic" if last in basic else "other"


def _land_after(text: str) -> str | None:
    """The kind of land named right after an area (``22908.7平方米永久基本农田``)."""
    found = re.match(r"^[的]?(永久基本农田|基本农田|耕地|农用地)", text)
    if not found:
        return None
    return "basic" if "基本农田" in found.group(1) else "other"


def _read(
    text: str, case_cause: str | None, limits: PenaltyThresholds
) -> tuple[PenaltyFacts, dict, list[Doubt], dict]:
    """The figures, their readings, the doubts and the spans of the acts."""
    context = f"{case_cause or ''}。{text}"
    waste = read_waste(text, limits.hazardous_waste_t)
    multiples, metal_doubts = _max_multiples(text, limits)
    sold = _all_sold(text)
    goods = _money(text, lambda b: _fake_goods_role(b, sold)) if _FAKE_GOODS.search(context) else {}
    mining_value, mining_volume, mining_readings, mining_doubts = (
        _mining(text) if _MINING.search(context) else (None, None, (), [])
    )
    basic, other, basic_r, other_r = _farmland(text) if _LAND_ACT.search(text) else (None, None, (), ())
    pipe = asserted_at(CONCEALED_PIPE, text)
    monitoring = asserted_at(MONITORING_INTERFERENCE, text)
    facts = PenaltyFacts(
        hazardous_waste_disposed_t=waste.disposed,
        hazardous_waste_stored_t=waste.stored,
        heavy_metal_multiple_3x=_multiple(multiples, "3x"),
        heavy_metal_multiple_10x=_multiple(multiples, "10x"),
        other_pollutant_multiple=_multiple(multiples, "other"),
        concealed_pipe=pipe is not None,
        monitoring_interference=monitoring is not None,
        fake_goods_sales_yuan=_total(goods.get("sales", [])),
        fake_goods_unsold_value_yuan=_total(goods.get("unsold", [])),
        mining_value_yuan=mining_value,
        mining_volume_m3=mining_volume if mining_value is not None or mining_doubts else None,
        basic_farmland_mu=basic,
        other_farmland_mu=other,
    )
    readings = {
        "hazardous_waste_disposed_t": tuple(waste.readings),
        "heavy_metal_multiple_3x": _multiple_reading(multiples, "3x"),
        "heavy_metal_multiple_10x": _multiple_reading(multiples, "10x"),
        "fake_goods_sales_yuan": _used(goods.get("sales", [])),
        "fake_goods_unsold_value_yuan": _used(goods.get("unsold", [])),
        "mining_value_yuan": mining_readings,
        "basic_farmland_mu": basic_r,
        "other_farmland_mu": other_r,
    }
    spans = {"concealed_pipe": _act_span(text, pipe), "monitoring_interference": _act_span(text, monitoring)}
    return facts, readings, [*waste.doubts, *metal_doubts, *mining_doubts], spans


def _multiple(multiples: dict[str, Exceedance], group: str) -> float | None:
    return multiples[group].multiple if group in multiples else None


def _multiple_reading(multiples: dict[str, Exceedance], group: str) -> tuple[Reading, ...]:
    if group not in multiples:
        return ()
    e = multiples[group]
    return (Reading("", e.multiple, e.span, e.arithmetic),)


def _act_span(text: str, at: tuple[int, int] | None) -> str:
    if at is None:
        return ""
    """The sentence holding the act, so the reader of a clue sees it in context."""
    start = max(text.rfind(c, 0, at[0]) for c in "。；;\n") + 1
    ends = [i for c in "。；;\n" if (i := text.find(c, at[1])) >= 0]
    sentence = text[start : min(ends, default=len(text))].strip()
    return re.sub(r"^(?:经查|经调查|经核查|现查明|查明)[，,：:]\s*", "", sentence)


#: Each figure's ground, unit in readings, and threshold (field of PenaltyThresholds).
_FIGURE_GROUNDS = (
    ("hazardous_waste_disposed_t", "hazardous_waste", "吨", "hazardous_waste_t"),
    ("heavy_metal_multiple_3x", "heavy_metal_3x", "倍", "heavy_metal_3x"),
    ("heavy_metal_multiple_10x", "heavy_metal_10x", "倍", "heavy_metal_10x"),
    ("fake_goods_sales_yuan", "fake_goods_sales", "元", "fake_goods_sales_yuan"),
    ("fake_goods_unsold_value_yuan", "fake_goods_unsold", "元", "fake_goods_unsold_yuan"),
    ("mining_value_yuan", "mining", "元", "mining_value_yuan"),
    ("basic_farmland_mu", "basic_farmland", "亩", "basic_farmland_mu"),
    ("other_farmland_mu", "other_farmland", "亩", "other_farmland_mu"),
)


def grounds_of(facts: PenaltyFacts, readings: dict, spans: dict, text: str,
               limits: PenaltyThresholds = PenaltyThresholds()) -> tuple[Ground, ...]:  # fmt: skip
    """The grounds the facts reach, each with the reading behind it."""
    found = []
    for field, code, unit, limit in _FIGURE_GROUNDS:
        value = getattr(facts, field)
        if value is not None and value >= getattr(limits, limit):
            found.append(make_ground(code, list(readings.get(field, ())), unit))
    if facts.concealed_pipe:
        toxic = (facts.heavy_metal_multiple_3x or 0) > 0 or (facts.heavy_metal_multiple_10x or 0) > 0
        found.append(pipe_ground(text, spans.get("concealed_pipe", ""), toxic))
    if facts.monitoring_interference:
        found.append(monitoring_ground(text, spans.get("monitoring_interference", "")))
    return tuple(found)


#: Fields whose figure is the largest one read (a multiple), not a sum: a decided multiple
#: replaces the doubted one instead of adding to it.
_LARGEST = frozenset({"heavy_metal_multiple_3x", "heavy_metal_multiple_10x"})

#: A person's decision on one doubted span: (field, span) → (value or None, the note).
Decided = dict[tuple[str, str], tuple[float | None, str]]


def _quoted(span: str, text: str, original: str) -> str:
    """``span`` of the folded ``text`` in the original's wording: :func:`fold` keeps every
    position, so the same place of the original holds the words as published."""
    at = text.find(span) if span else -1
    return original[at : at + len(span)] if at >= 0 else span


def _settle(
    figures: PenaltyFacts, readings: dict, doubts: list[Doubt], decided: Decided
) -> tuple[PenaltyFacts, list[Doubt]]:
    """Apply the persons' decisions to the doubts they settle (``readings`` is updated in place).

    A doubted figure is left out of the reader's own figure, so a decided value is added to
    what the reader settled (the rest of the decision's items); a decided multiple replaces
    the doubted one. "No figure to count" (None) settles the doubt and adds nothing.
    """
    by_span = {(field, fold(span)): decision for (field, span), decision in decided.items()}
    left: list[Doubt] = []
    settled: dict[str, list[Reading]] = {}
    for doubt in doubts:
        decision = by_span.get((doubt.field, fold(doubt.span)))
        if decision is None:
            left.append(doubt)
        elif decision[0] is not None:
            part = Reading(doubt.field, decision[0], doubt.span, decision[1])
            settled.setdefault(doubt.field, []).append(part)
    for field, parts in settled.items():
        if field in _LARGEST:
            value = max(r.value for r in parts)
            readings[field] = tuple(parts)
        else:
            value = round((getattr(figures, field) or 0.0) + sum(r.value for r in parts), 6)
            readings[field] = (*readings.get(field, ()), *parts)
        figures = replace(figures, **{field: value})
    return figures, left


def read_penalty(
    facts: str | None,
    case_cause: str | None = None,
    limits: PenaltyThresholds = PenaltyThresholds(),
    decided: Decided | None = None,
) -> PenaltyReading:
    """Read one decision: figures, readings, doubts and grounds, every span in the original wording.

    ``decided`` maps a doubted span (field, span) to a person's decision on it (value, or
    None for "no figure to count", and the sentence recording who decided and why): see
    :func:`_settle`.
    """
    original = facts or ""
    text = fold(original)
    figures, readings, doubts, spans = _read(text, case_cause, limits)
    readings = {
        field: tuple(replace(r, span=_quoted(r.span, text, original)) for r in found)
        for field, found in readings.items()
    }
    doubts = [replace(d, span=_quoted(d.span, text, original)) for d in doubts]
    spans = {act: _quoted(span, text, original) for act, span in spans.items()}
    figures, doubts = _settle(figures, readings, doubts, decided or {})
    grounds = grounds_of(figures, readings, spans, text, limits)
    return PenaltyReading(figures, readings, tuple(doubts), grounds)


def read_penalty_facts(facts: str | None, case_cause: str | None = None) -> PenaltyFacts:
    """Read one decision's facts (and its 案由, which names the kind of case) into figures and acts."""
    return read_penalty(facts, case_cause).facts


#: Arrow schema of the ``penalty_facts`` derived table: the decision number, each figure and act,
#: then the clue's ground (its sentence, kind and what would change it), its reading, the provision
#: keys, and the doubts left to a person.
PENALTY_FACTS_SCHEMA = pa.schema(
    [("decision_no", pa.string())]
    + [(f.name, pa.bool_() if f.type == "bool" else pa.float64()) for f in fields(PenaltyFacts)]
    + [
        ("ground_zh", pa.string()),
        ("ground_kind", pa.string()),
        ("changer_zh", pa.string()),
        ("reading_zh", pa.string()),
        ("ground_basis", pa.list_(pa.string())),
        ("needs_reading", pa.bool_()),
        ("doubt_zh", pa.string()),
    ]
)


def penalty_facts_table(con: duckdb.DuckDBPyConnection, store: object | None = None) -> pa.Table:
    """One row per ``admin_penalties`` row: its decision number, what its facts say and the ground.

    With a clue store that keeps a needs-reading queue (:class:`jiancha.text.queue.ReadingQueue`),
    the persons' decisions are applied and the doubts left are queued for them.
    """
    from jiancha.text.queue import apply_queue

    rows = con.execute(
        "SELECT decision_no, facts, case_cause FROM admin_penalties ORDER BY decision_no"
    ).fetchall()
    return penalty_facts_rows(apply_queue(store, rows, read_penalty))


def penalty_facts_rows(read: Sequence[tuple[str, PenaltyReading]]) -> pa.Table:
    """The ``penalty_facts`` rows of (decision_no, reading) pairs (on DuckDB, or a Spark executor)."""
    columns: dict[str, list] = {"decision_no": [decision_no for decision_no, _ in read]}
    for f in fields(PenaltyFacts):
        columns[f.name] = [getattr(r.facts, f.name) for _, r in read]
    columns["ground_zh"] = [r.ground_zh or None for _, r in read]
    columns["ground_kind"] = [r.ground_kind for _, r in read]
    columns["changer_zh"] = [r.changer_zh or None for _, r in read]
    columns["reading_zh"] = [r.reading_zh or None for _, r in read]
    columns["ground_basis"] = [r.ground_basis for _, r in read]
    columns["needs_reading"] = [bool(r.doubts) for _, r in read]
    columns["doubt_zh"] = ["；".join(f"“{d.span}”：{d.why}" for d in r.doubts) or None for _, r in read]
    return pa.table(columns, schema=PENALTY_FACTS_SCHEMA)
