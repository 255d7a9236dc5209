"""The penalty-facts reader on phrasings taken from the way 行政处罚决定书 are written.

Each case states every figure the reader must find (all others must stay empty),
so a number read where none should be — a date, a document number, a phone
number, a concentration, a fine — fails the test.
"""

from __future__ import annotations

import duckdb
import pytest

from jiancha.synth.facts import BELOW, REACHING
from jiancha.text.numerals import find_quantities
from jiancha.text.penalty import (
    PenaltyFacts,
    PenaltyThresholds,
    penalty_facts_table,
    read_penalty_facts,
)

CASES: list[tuple[str, str | None, dict]] = [
    # --- hazardous waste: disposed counts, stored does not ---
    ("经查，当事人于2024年3月5日将废矿物油（HW08）4.5吨倾倒于厂区外沟渠内。", None,
     {"hazardous_waste_disposed_t": 4.5}),
    ("当事人将生产过程中产生的含铬污泥三点五吨运至村南坑塘内填埋。", None,
     {"hazardous_waste_disposed_t": 3.5}),
    ("当事人未取得危险废物经营许可证，擅自收集废铅蓄电池3500公斤并进行拆解。", None,
     {"hazardous_waste_disposed_t": 3.5}),
    ("当事人将废乳化液2,800千克交给无危险废物经营资质的个人处置。", None,
     {"hazardous_waste_disposed_t": 2.8}),
    ("当事人先后三次倾倒危险废物，共计3.2吨。", None, {"hazardous_waste_disposed_t": 3.2}),
    ("当事人将危险废物2.9吨倾倒于厂区东侧空地。", None, {"hazardous_waste_disposed_t": 2.9}),
    ("当事人将危险废物（废活性炭）10吨露天堆放于厂区，未采取防雨、防渗措施。", None,
     {"hazardous_waste_stored_t": 10.0}),
    ("现场检查发现，当事人将废矿物油5吨与一般工业固体废物混合贮存，尚未委托有资质单位处置。", None,
     {"hazardous_waste_stored_t": 5.0}),
    ("当事人贮存危险废物20吨，其中3吨被倾倒于厂外排水沟。", None,
     {"hazardous_waste_disposed_t": 3.0, "hazardous_waste_stored_t": 20.0}),
    ("该公司危险废物年产生量约12吨/年，未按规定申报。", None, {}),
    ("当事人产生的危险废物4.5吨已委托有资质单位处置，但未执行转移联单制度。", None, {}),
    ("当事人将废机油200公斤倾倒于路边。", None, {"hazardous_waste_disposed_t": 0.2}),
    ("当事人先后三次倾倒废矿物油，分别为1.2吨、1.5吨、0.8吨。", None, {"hazardous_waste_disposed_t": 3.5}),
    ("当事人无证收集废铅蓄电池十二吨。", None, {"hazardous_waste_disposed_t": 12.0}),
    ("当事人将危险废物约4吨倾倒于厂外。经鉴定，上述4吨废物属于危险废物。", None,
     {"hazardous_waste_disposed_t": 4.0}),
    ("当事人将建筑垃圾50吨倾倒于河道管理范围内。", None, {}),
    # --- heavy metals versus other pollutants ---
    ("经监测，当事人外排废水中总铅浓度为1.8mg/L，超标3.5倍。", None, {"heavy_metal_multiple_3x": 3.5}),
    ("外排废水总铬超过《电镀污染物排放标准》规定限值4.2倍。", None, {"heavy_metal_multiple_3x": 4.2}),
    ("外排废水中六价铬浓度为2.0mg/L，标准限值为0.5mg/L。", None, {"heavy_metal_multiple_3x": 3.0}),
    ("总镉浓度0.25毫克/升（排放限值0.1毫克/升）。", None, {"heavy_metal_multiple_3x": 1.5}),
    ("外排废水中总镍浓度为标准限值的12倍。", None, {"heavy_metal_multiple_10x": 11.0}),
    ("化学需氧量、总铅分别超标1.2倍、3.5倍。", None,
     {"other_pollutant_multiple": 1.2, "heavy_metal_multiple_3x": 3.5}),
    ("化学需氧量浓度为150mg/L，超过排放标准3.2倍。", None, {"other_pollutant_multiple": 3.2}),
    ("经监测，悬浮物超标十五倍，氨氮超标2倍。", None, {"other_pollutant_multiple": 15.0}),
    ("排放废水中铝超过标准6倍。", None, {"other_pollutant_multiple": 6.0}),
    ("高锰酸盐指数超标4倍。", None, {"other_pollutant_multiple": 4.0}),
    ("总锌浓度为12.5mg/L，超标9.9倍。", None, {"heavy_metal_multiple_10x": 9.9}),
    ("总铅超标2.9倍。", None, {"heavy_metal_multiple_3x": 2.9}),
    ("CODCr浓度超标5倍。", None, {"other_pollutant_multiple": 5.0}),
    ("根据规定，处应缴纳排污费数额2倍以上5倍以下的罚款。", None, {}),
    # --- concealed pipes and monitoring interference ---
    ("当事人私设暗管，将未经处理的生产废水直接排入厂外渗坑。", None, {"concealed_pipe": True}),
    ("当事人用一根软管连接废水池，绕过在线监测排放口将废水排入雨水管网。", None, {"concealed_pipe": True}),
    ("现场检查未发现暗管等逃避监管的设施。", None, {}),
    ("当事人使用自来水稀释水样，致使自动监测数据失真。", None, {"monitoring_interference": True}),
    ("当事人将在线监测设备采样管拔出后放入盛有清水的塑料桶内。", None, {"monitoring_interference": True}),
    ("当事人篡改化学需氧量自动监测数据。", None, {"monitoring_interference": True}),
    ("经核查，不存在干扰自动监测设施的行为。", None, {}),
    # --- fake and substandard goods ---
    ("当事人销售不合格电线电缆，销售金额6.8万元，违法所得1.2万元。", None,
     {"fake_goods_sales_yuan": 68000.0}),
    ("当事人销售以次充好的化肥，已销售部分金额为四万九千元。", None, {"fake_goods_sales_yuan": 49000.0}),
    ("执法人员在其仓库查扣尚未销售的假冒白酒，货值金额十五万元。", None,
     {"fake_goods_unsold_value_yuan": 150000.0}),
    ("货值金额人民币14.8万元。", "销售伪劣产品案", {"fake_goods_unsold_value_yuan": 148000.0}),
    ("当事人已销售的假冒插座货值金额6万元，库存货值金额2万元。", None,
     {"fake_goods_sales_yuan": 60000.0, "fake_goods_unsold_value_yuan": 20000.0}),
    ("当事人销售不合格产品，以每件50元的价格出售，罚款2万元。", None, {}),
    # --- mining ---
    ("当事人未取得采矿许可证，非法采砂1,200立方米，价值人民币15.6万元。", None,
     {"mining_value_yuan": 156000.0, "mining_volume_m3": 1200.0}),
    ("当事人超越批准的矿区范围开采石灰岩，经鉴定矿产品价值12万元。", None, {"mining_value_yuan": 120000.0}),
    ("当事人非法抽砂3000方，经价格认定，价值9.8万元，违法所得5万元。", None,
     {"mining_value_yuan": 98000.0, "mining_volume_m3": 3000.0}),
    # --- farmland ---
    ("当事人未经批准占用永久基本农田5.2亩建设厂房。", None, {"basic_farmland_mu": 5.2}),
    ("当事人擅自占用耕地12亩硬化建设停车场，其中基本农田4亩。", None,
     {"basic_farmland_mu": 4.0, "other_farmland_mu": 8.0}),
    ("当事人非法占用基本农田3500平方米建房。", None, {"basic_farmland_mu": 5.25}),
    ("当事人占用一般耕地九亩堆放建材。", None, {"other_farmland_mu": 9.0}),
    # --- numbers that are not amounts ---
    ("2024年3月5日，雄安环罚〔2024〕37号，联系电话13812345678。", None, {}),
    ("当事人于二〇二四年三月五日被查处，统一社会信用代码91130629MA0CXXXX1Q。", None, {}),
    ("经监测，化学需氧量浓度为150mg/L，氨氮浓度为25毫克/升。", None, {}),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "cause", "expected"), CASES, ids=[c[0][:18] for c in CASES])
def test_reads_exactly_the_stated_figures(facts: str, cause: str | None, expected: dict) -> None:
    assert read_penalty_facts(facts, cause) == PenaltyFacts(**expected)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("6.8万元", [68000.0]),
        ("十五万元", [150000.0]),
        ("1,200立方米", [1200.0]),
        ("三点五吨", [3.5]),
        ("3500公斤", [3.5]),
        ("两千五百千克", [2.5]),
        ("约3吨余", [3.0]),
        ("人民币壹拾伍万元", [150000.0]),
        ("2024年3月5日第37号", []),
    ],
)
def test_numerals_in_every_writing(text: str, values: list[float]) -> None:
    assert [q.value for q in find_quantities(text)] == values


def test_thresholds_met_names_each_rule_with_a_reason() -> None:
    facts = read_penalty_facts("当事人将危险废物4.5吨倾倒于沟渠，并私设暗管排放废水，总铅超标3.5倍。")
    met = facts.thresholds_met()
    assert [m.code for m in met] == ["hazardous_waste", "heavy_metal_3x", "concealed_pipe"]
    assert met[0].reason == "非法排放、倾倒、处置危险废物4.5吨，达到3吨以上"


def test_threshold_reasons_write_large_amounts_in_full() -> None:
    facts = PenaltyFacts(fake_goods_sales_yuan=1_250_000.0, hazardous_waste_disposed_t=26.909)
    reasons = [m.reason for m in facts.thresholds_met()]
    assert "非法排放、倾倒、处置危险废物26.91吨，达到3吨以上" in reasons
    assert "销售伪劣产品金额1250000元，达到50000元以上" in reasons


def test_thresholds_met_follows_changed_limits() -> None:
    facts = read_penalty_facts("当事人非法采砂，价值人民币8万元。")
    assert facts.thresholds_met() == ()
    assert [m.code for m in facts.thresholds_met(PenaltyThresholds(mining_value_yuan=50_000))] == ["mining"]


def test_penalty_facts_table_has_one_row_per_decision() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE admin_penalties (decision_no VARCHAR, facts VARCHAR, case_cause VARCHAR)")
    con.execute(
        "INSERT INTO admin_penalties VALUES "
        "('雄安环罚〔2024〕2号', '私设暗管排放废水。', '逃避监管排放污染物'),"
        "('雄安环罚〔2024〕1号', '倾倒危险废物4.5吨。', NULL),"
        "('雄安市监罚〔2024〕9号', NULL, NULL)"
    )
    table = penalty_facts_table(con)
    assert table.column("decision_no").to_pylist() == [
        "雄安市监罚〔2024〕9号",
        "雄安环罚〔2024〕1号",
        "雄安环罚〔2024〕2号",
    ]
    assert table.column("hazardous_waste_disposed_t").to_pylist() == [None, 4.5, None]
    assert table.column("concealed_pipe").to_pylist() == [False, False, True]


def test_agrees_with_the_synthetic_generator_on_every_planted_fact() -> None:
    reaching = {
        name: bool(read_penalty_facts(text, cause).thresholds_met()) for name, _, cause, text in REACHING
    }
    below = {name: bool(read_penalty_facts(text, cause).thresholds_met()) for name, _, cause, text in BELOW}
    assert reaching == dict.fromkeys(reaching, True)
    assert below == dict.fromkeys(below, False)


HARD_KINDS: list[tuple[str, dict, bool]] = [
    # a table of items with mixed HW codes, the act in the heading
    ("当事人将下列危险废物倾倒于坑塘：\n序号 名称 代码 数量\n1 废矿物油 HW08 900-249-08 1.2吨\n"
     "2 废油漆桶 HW49 900-041-49 900千克\n3 废活性炭 HW49 900-039-49 1.1吨",
     {"hazardous_waste_disposed_t": 3.2}, False),
    ("当事人将废矿物油（ＨＷ０８）３．５吨倾倒于沟渠。", {"hazardous_waste_disposed_t": 3.5}, False),
    ("当事人将废矿物油  4 . 5  吨倾倒于沟渠。", {"hazardous_waste_disposed_t": 4.5}, False),
    ("当事人将废乳化液2800kg交由无资质个人处置。", {"hazardous_waste_disposed_t": 2.8}, False),
    ("当事人将废矿物油1.5吨、废乳化液1.5吨倾倒于沟渠。", {"hazardous_waste_disposed_t": 3.0}, False),
    ("当事人将生活垃圾5吨、废机油0.5吨倾倒于河道。", {"hazardous_waste_disposed_t": 0.5}, False),
    ("当事人将废酸液12立方米倾倒，密度1.2吨/立方米。", {"hazardous_waste_disposed_t": 14.4}, False),
    ("当事人将废酸液12立方米倾倒于沟渠。", {}, True),
    ("当事人将废矿物油70桶倾倒于沟渠。", {}, True),
    ("当事人将废电路板12编织袋倾倒于河滩。", {}, True),
    ("当事人倾倒废矿物油2至4吨。", {}, True),
    ("当事人倾倒废矿物油近3吨。", {}, True),
    ("当事人擅自占用永久基本农田4亩建设厂房。", {"basic_farmland_mu": 4.0}, False),
    ("当事人销售不合格电线，货值金额4.8万元。", {"fake_goods_unsold_value_yuan": 48000.0}, False),
    ("当事人非法采砂5000立方米，单价30元/立方米。",
     {"mining_value_yuan": 150000.0, "mining_volume_m3": 5000.0}, False),
    ("当事人非法采砂5000立方米。", {"mining_volume_m3": 5000.0}, True),
    ("外排废水总铅超标2.5倍。", {"heavy_metal_multiple_3x": 2.5}, True),
    ("外排废水中Cr⁶⁺浓度为2.0mg/L，标准限值为0.5mg/L。", {"heavy_metal_multiple_3x": 3.0}, False),
    ("外排废水总铬浓度是标准的5倍。", {"heavy_metal_multiple_3x": 4.0}, False),
    ("经监测，总铅超标350%。", {"heavy_metal_multiple_3x": 3.5}, False),
    ("经监测，总镍（Ni）超标９.５倍。", {"heavy_metal_multiple_10x": 9.5}, True),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "expected", "doubt"), HARD_KINDS, ids=[c[0][:14] for c in HARD_KINDS])
def test_hard_kinds_are_read_or_sent_to_a_person(facts: str, expected: dict, doubt: bool) -> None:
    from jiancha.text.penalty import read_penalty

    reading = read_penalty(facts)
    assert reading.facts == PenaltyFacts(**expected)
    assert bool(reading.doubts) == doubt


def test_a_decision_settles_the_doubt_and_shows_who_decided() -> None:
    from jiancha.text.penalty import read_penalty

    facts = "当事人将废矿物油70桶倾倒于沟渠。"
    (doubt,) = read_penalty(facts).doubts
    note = "经检察官张三人工认定为12.6吨（每桶180公斤）"
    decided = read_penalty(facts, decided={(doubt.field, doubt.span): (12.6, note)})
    assert decided.facts.hazardous_waste_disposed_t == 12.6 and not decided.doubts
    assert "经检察官张三人工认定为12.6吨" in decided.reading_zh
    assert decided.ground_basis == ["environmental_crime_interpretation.art1.i2", "criminal_law.art338"]


def test_a_decision_adds_the_doubted_part_to_what_the_reader_settled() -> None:
    """2 t read, 70 drums in doubt: a person decides the drums are 1.5 t, and the figure is 3.5 t."""
    from jiancha.text.penalty import read_penalty

    facts = "当事人将废矿物油2吨倾倒于沟渠，另将废矿物油70桶倾倒于院内。"
    read = read_penalty(facts)
    assert read.facts.hazardous_waste_disposed_t == 2.0
    (doubt,) = read.doubts
    note = "经检察官张三人工认定为1.5吨（称重记录）"
    decided = read_penalty(facts, decided={(doubt.field, doubt.span): (1.5, note)})
    assert decided.facts.hazardous_waste_disposed_t == 3.5 and not decided.doubts
    assert "“当事人将废矿物油2吨倾倒于沟渠”" in decided.reading_zh and "合计3.5吨" in decided.reading_zh


def test_each_doubted_span_of_one_field_is_settled_on_its_own() -> None:
    from jiancha.text.penalty import read_penalty

    facts = "当事人将废矿物油70桶倾倒于沟渠，将废乳化液30桶倾倒于院内。"
    first, second = read_penalty(facts).doubts
    assert first.field == second.field and first.span != second.span
    one = read_penalty(facts, decided={(first.field, first.span): (2.0, "认定2吨")})
    assert one.doubts == (second,) and one.facts.hazardous_waste_disposed_t == 2.0
    decided = {(first.field, first.span): (2.0, "认定2吨"), (second.field, second.span): (1.5, "认定1.5吨")}
    both = read_penalty(facts, decided=decided)
    assert not both.doubts and both.facts.hazardous_waste_disposed_t == 3.5


def test_a_decided_multiple_replaces_the_doubted_one() -> None:
    from jiancha.text.penalty import read_penalty

    facts = "经监测，总铬浓度为3.5mg/L，标准限值为1.0mg/L。"
    (doubt,) = read_penalty(facts).doubts
    decided = read_penalty(facts, decided={(doubt.field, doubt.span): (3.2, "复核监测报告")})
    assert decided.facts.heavy_metal_multiple_3x == 3.2 and not decided.doubts


def test_two_equal_listed_amounts_are_both_counted_and_a_restated_one_is_not() -> None:
    from jiancha.text.penalty import read_penalty

    two = read_penalty("当事人销售不合格产品，第一批销售金额3万元，第二批销售金额3万元。")
    assert two.facts.fake_goods_sales_yuan == 60_000
    assert "“第一批销售金额3万元”；“第二批销售金额3万元”，合计60000元" in two.reading_zh
    restated = read_penalty("当事人销售不合格产品，销售金额3万元。上述销售金额3万元已全部收取。")
    assert restated.facts.fake_goods_sales_yuan == 30_000
    farmland = read_penalty("当事人占用基本农田3亩建房，又占用基本农田3亩堆放砂石。")
    assert farmland.facts.basic_farmland_mu == 6


def test_the_reading_quotes_the_decision_as_published_not_as_folded() -> None:
    from jiancha.text.penalty import read_penalty

    reading = read_penalty("当事人未经批准佔用基本農田６．５畝建房。")
    assert reading.facts.basic_farmland_mu == 6.5
    assert "“当事人未经批准佔用基本農田６．５畝建房”" in reading.reading_zh
    metal = read_penalty("经监测，总铬浓度为４.０mg/L，标准限值为1.0mg/L。")
    assert "“经监测，总铬浓度为４.０mg/L，标准限值为1.0mg/L”，按(C−S)/S计超标3倍" in metal.reading_zh
    doubtful = read_penalty("当事人将廢礦物油70桶傾倒于沟渠。")
    assert doubtful.doubts[0].span == "当事人将廢礦物油70桶傾倒于沟渠"


def test_pipes_and_monitoring_state_the_detention_ground_unless_the_crime_is_shown() -> None:
    from jiancha.text.penalty import read_penalty

    plain = read_penalty("当事人私设暗管排放生产废水。")
    toxic = read_penalty("当事人私设暗管排放含铬废水。")
    key_unit = read_penalty("当事人系重点排污单位，篡改化学需氧量自动监测数据。")
    other = read_penalty("当事人篡改化学需氧量自动监测数据。")
    assert [g.code for g in plain.grounds] == ["concealed_pipe_detention"]
    assert "如查明所排放的系有毒物质" in plain.ground_zh
    assert [g.code for g in toxic.grounds] == ["concealed_pipe_toxic"]
    assert [g.code for g in key_unit.grounds] == ["monitoring_key_unit"]
    assert [g.code for g in other.grounds] == ["monitoring_detention"]
    assert "如查明系重点排污单位" in other.ground_zh and "第一条第（七）项" in other.ground_zh
    assert [r.ground_kind for r in (plain, toxic, key_unit, other)] == [
        "detention", "criminal", "criminal", "detention"
    ]  # fmt: skip
    assert other.changer_zh.startswith("如查明系重点排污单位") and other.changer_zh in other.ground_zh
    both = read_penalty("当事人篡改自动监测数据，并非法倾倒废矿物油（HW08）5吨。")
    assert both.ground_kind == "criminal"  # the graver ground decides the letter
    assert read_penalty("当事人未按规定设置标志。").ground_kind is None


def test_every_ground_rests_on_provisions_of_the_catalogue() -> None:
    from jiancha.law import builtin_catalogue
    from jiancha.text.grounds import ground_texts, make_ground

    catalogue = builtin_catalogue()
    for code, entry in ground_texts().items():
        assert all(key in catalogue for key in entry["basis"]), code
        ground = make_ground(code, span="…")
        assert "{cite:" not in ground.ground_zh + ground.changer_zh
        detention = entry["basis"] == ["environmental_protection_law.art63.i3"]
        assert ground.kind == ("detention" if detention else "criminal"), code


def test_any_hazardous_waste_the_reader_knows_makes_a_concealed_pipe_toxic() -> None:
    """法释〔2023〕7号 counts hazardous waste as a toxic substance, whichever name or code the facts use."""
    from jiancha.text.penalty import read_penalty

    for waste in ("废乳化液", "废机油", "900-249-08类废物"):
        reading = read_penalty(f"当事人私设暗管排放{waste}。")
        assert [g.code for g in reading.grounds] == ["concealed_pipe_toxic"], waste


def test_a_stated_total_written_with_gong_is_not_added_to_its_items() -> None:
    from jiancha.text.penalty import read_penalty

    reading = read_penalty("经查，甲销售伪劣产品销售金额3万元、乙销售金额2万元，销售金额共5万元。")
    assert reading.facts.fake_goods_sales_yuan == 50000
