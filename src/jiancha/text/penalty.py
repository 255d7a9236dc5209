"""Reading one administrative penalty decision's facts (违法事实) into quantities and acts.

``read_penalty_facts`` is pure: text in, :class:`PenaltyFacts` out. It carries what
the facts say — tonnes of hazardous waste disposed and stored, the largest
exceedance multiple per pollutant group, concealed pipes, interference with
monitoring, sales and unsold value of fake goods, value of minerals mined, mu of
farmland occupied — and :meth:`PenaltyFacts.thresholds_met` judges them against
the criminal thresholds. The model ``linkage.penalty_not_transferred`` applies the
same thresholds in SQL over :func:`penalty_facts_table`, where each is a parameter
a procuratorate may change; the thresholds here are those defaults.

Totals: a figure written with 共计/合计/累计/总计 is the total; otherwise distinct
figures are added (a figure restated later — ``上述4.5吨`` — is counted once).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

import duckdb
import pyarrow as pa

from jiancha.text.acts import (
    CONCEALED_PIPE,
    HAZARDOUS_WASTE,
    MONITORING_INTERFERENCE,
    asserted,
    is_disposal,
    is_storage,
)
from jiancha.text.numerals import Quantity, find_quantities
from jiancha.text.pollutants import Exceedance, concentration_multiples, written_multiples

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_BREAKS = "，,、"
_TOTAL = re.compile(r"共计|合计|累计|总计|总量")
_NOT_AN_AMOUNT = re.compile(r"罚款|罚金|违法所得|没收|处以|并处|补缴|缴纳|收取|费用|成本|工资|利润")
_FAKE_GOODS = re.compile(
    r"伪劣|假冒|不合格|以假充真|以次充好|掺杂|掺假|冒充|劣质|假药|不符合[^，。；]{0,16}标准"
)
_UNSOLD = re.compile(r"未销售|尚未销售|未售出|库存|查扣|扣押|查封|封存|查获|剩余|待售")
_GOODS_VALUE = re.compile(r"货值")
_SOLD = re.compile(
    r"销售金额|销售额|销售收入|销售价款|销售款|已销售|已售出|售出|销售[^，。；]{0,10}共计|营业额|卖出|出售"
)
_MINING = re.compile(
    r"非法采矿|非法开采|非法采砂|盗采|无证开采|越界开采|越层开采|擅自开采|超越[^，。；]{0,12}(?:范围|区域|矿区)"
    r"|未取得采矿许可证|采砂|采石|采矿|挖砂|抽砂|取砂"
)
_MINERAL_VALUE = re.compile(
    r"价值|价款|计价|折价|货值|价格认定|销售金额|销售收入|销售价款|售得|销赃|共计|合计"
)
_LAND_ACT = re.compile(
    r"占用|占地|建房|建设|硬化|挖|取土|采土|堆放|毁坏|破坏|改变[^，。；]{0,6}用途|种植条件|搭建|修建|建窑"
)
_BASIC_FARMLAND = re.compile(r"基本农田")
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
             "非法排放、倾倒、处置危险废物{v:g}吨，达到{t:g}吨以上"),
            ("heavy_metal_3x", self.heavy_metal_multiple_3x, limits.heavy_metal_3x,
             "排放铅、汞、镉、铬、砷、铊、锑超标{v:g}倍，达到{t:g}倍以上"),
            ("heavy_metal_10x", self.heavy_metal_multiple_10x, limits.heavy_metal_10x,
             "排放镍、铜、锌、银、钒、锰、钴超标{v:g}倍，达到{t:g}倍以上"),
            ("fake_goods_sales", self.fake_goods_sales_yuan, limits.fake_goods_sales_yuan,
             "销售伪劣产品金额{v:g}元，达到{t:g}元以上"),
            ("fake_goods_unsold", self.fake_goods_unsold_value_yuan, limits.fake_goods_unsold_yuan,
             "伪劣产品尚未销售，货值{v:g}元，达到{t:g}元以上"),
            ("mining", self.mining_value_yuan, limits.mining_value_yuan,
             "非法开采矿产品价值{v:g}元，达到{t:g}元以上"),
            ("basic_farmland", self.basic_farmland_mu, limits.basic_farmland_mu,
             "非法占用永久基本农田{v:g}亩，达到{t:g}亩以上"),
            ("other_farmland", self.other_farmland_mu, limits.other_farmland_mu,
             "非法占用其他耕地{v:g}亩，达到{t:g}亩以上"),
        )  # fmt: skip
        met = [
            ThresholdMet(code, text.format(v=v, t=t))
            for code, v, t, text in checks
            if v is not None and v >= t
        ]
        if self.concealed_pipe:
            met.append(ThresholdMet("concealed_pipe", "通过暗管、渗井、渗坑等逃避监管的方式排放污染物"))
        if self.monitoring_interference:
            met.append(ThresholdMet("monitoring_interference", "篡改、伪造自动监测数据或者干扰自动监测设施"))
        return tuple(met)


def _sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text)


def _clause(sentence: str, quantity: Quantity) -> tuple[str, str]:
    """The comma clause holding the quantity, split into the text before it and after it."""
    start = max(sentence.rfind(c, 0, quantity.start) for c in _CLAUSE_BREAKS) + 1
    ends = [i for c in "，," if (i := sentence.find(c, quantity.end)) >= 0]
    return sentence[start : quantity.start], sentence[quantity.end : min(ends, default=len(sentence))]


def _total(figures: list[tuple[float, bool]]) -> float | None:
    """A stated total when there is one, else the sum of the distinct figures."""
    if not figures:
        return None
    totals = [value for value, is_total in figures if is_total]
    return max(totals) if totals else sum(set(value for value, _ in figures))


def _hazardous_waste(text: str) -> tuple[float | None, float | None]:
    """Tonnes disposed and tonnes merely stored, judged clause by clause then by sentence."""
    disposed: list[tuple[float, bool]] = []
    stored: list[tuple[float, bool]] = []
    for sentence in _sentences(text):
        if not HAZARDOUS_WASTE.search(sentence):
            continue
        for q in find_quantities(sentence):
            if q.dimension != "mass" or q.is_rate:
                continue
            before, after = _clause(sentence, q)
            clause = before + sentence[q.start : q.end] + after
            is_total = bool(_TOTAL.search(before))
            if is_disposal(clause) or (not is_storage(clause) and is_disposal(sentence)):
                disposed.append((q.value, is_total))
            elif is_storage(clause) or is_storage(sentence):
                stored.append((q.value, is_total))
    return _total(disposed), _total(stored)


def _max_multiples(text: str) -> dict[str, float]:
    """The largest exceedance multiple per pollutant group (3x, 10x, other)."""
    best: dict[str, float] = {}
    for sentence in _sentences(text):
        written: list[Exceedance] = written_multiples(sentence, find_quantities(sentence))
        stated = {e.group for e in written}
        derived = [e for e in concentration_multiples(sentence) if e.group not in stated]
        for e in (*written, *derived):
            best[e.group] = max(best.get(e.group, e.multiple), e.multiple)
    return best


def _money(text: str, classify: Callable[[str], str | None]) -> dict[str, list[tuple[float, bool]]]:
    """Yuan amounts sorted into roles by ``classify(clause_before)``; fines and gains are never amounts."""
    roles: dict[str, list[tuple[float, bool]]] = {}
    for sentence in _sentences(text):
        for q in find_quantities(sentence):
            if q.dimension != "money" or q.is_rate:
                continue
            before, _ = _clause(sentence, q)
            if _NOT_AN_AMOUNT.search(before):
                continue
            role = classify(before)
            if role:
                roles.setdefault(role, []).append((q.value, bool(_TOTAL.search(before))))
    return roles


def _fake_goods_role(before: str) -> str | None:
    """Unsold when the clause says so, sales when it says sold, and a bare 货值 is goods not yet sold."""
    if _UNSOLD.search(before):
        return "unsold"
    if _SOLD.search(before):
        return "sales"
    return "unsold" if _GOODS_VALUE.search(before) else None


def _mining_role(before: str) -> str | None:
    return "value" if _MINERAL_VALUE.search(before) else None


def _farmland(text: str) -> tuple[float | None, float | None]:
    """Mu of basic and of other farmland; ``耕地12亩，其中基本农田6亩`` gives 6 and 6."""
    basic: list[tuple[float, bool]] = []
    other: list[tuple[float, bool]] = []
    for sentence in _sentences(text):
        for q in find_quantities(sentence):
            if q.dimension != "area":
                continue
            before, _ = _clause(sentence, q)
            if _BASIC_FARMLAND.search(before[-16:]):
                basic.append((q.value, bool(_TOTAL.search(before))))
            elif _OTHER_FARMLAND.search(before[-16:]):
                other.append((q.value, bool(_TOTAL.search(before))))
    basic_mu, other_mu = _total(basic), _total(other)
    if basic_mu is not None and other_mu is not None and "其中" in text:
        other_mu = max(other_mu - basic_mu, 0.0)
    return basic_mu, other_mu


def read_penalty_facts(facts: str | None, case_cause: str | None = None) -> PenaltyFacts:
    """Read one decision's facts (and its 案由, which names the kind of case) into figures and acts."""
    text = facts or ""
    context = f"{case_cause or ''}。{text}"
    disposed, stored = _hazardous_waste(text)
    multiples = _max_multiples(text)
    goods = _money(text, _fake_goods_role) if _FAKE_GOODS.search(context) else {}
    mining = _money(text, _mining_role) if _MINING.search(context) else {}
    volumes = [q.value for q in find_quantities(text) if q.dimension == "volume" and not q.is_rate]
    basic, other = _farmland(text) if _LAND_ACT.search(text) else (None, None)
    return PenaltyFacts(
        hazardous_waste_disposed_t=disposed,
        hazardous_waste_stored_t=stored,
        heavy_metal_multiple_3x=multiples.get("3x"),
        heavy_metal_multiple_10x=multiples.get("10x"),
        other_pollutant_multiple=multiples.get("other"),
        concealed_pipe=asserted(CONCEALED_PIPE, text),
        monitoring_interference=asserted(MONITORING_INTERFERENCE, text),
        fake_goods_sales_yuan=_total(goods.get("sales", [])),
        fake_goods_unsold_value_yuan=_total(goods.get("unsold", [])),
        mining_value_yuan=_total(mining.get("value", [])),
        mining_volume_m3=max(volumes) if mining and volumes else None,
        basic_farmland_mu=basic,
        other_farmland_mu=other,
    )


#: Arrow schema of the ``penalty_facts`` derived table: the decision number, then each figure and act.
PENALTY_FACTS_SCHEMA = pa.schema(
    [("decision_no", pa.string())]
    + [(f.name, pa.bool_() if f.type == "bool" else pa.float64()) for f in fields(PenaltyFacts)]
)


def penalty_facts_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """One row per ``admin_penalties`` row: its decision number and what its facts say."""
    rows = con.execute(
        "SELECT decision_no, facts, case_cause FROM admin_penalties ORDER BY decision_no"
    ).fetchall()
    read = [(decision_no, read_penalty_facts(facts, cause)) for decision_no, facts, cause in rows]
    columns = {"decision_no": [decision_no for decision_no, _ in read]}
    for f in fields(PenaltyFacts):
        columns[f.name] = [getattr(facts, f.name) for _, facts in read]
    return pa.table(columns, schema=PENALTY_FACTS_SCHEMA)
