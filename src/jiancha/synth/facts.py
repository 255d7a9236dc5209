"""Fact texts of administrative penalty decisions (行政处罚决定书), written the way
agencies write them: full sentences, Arabic and Chinese numerals mixed, with dates,
document numbers and phone numbers that are not amounts.

Each entry: (case, agency kind, facts, case cause, criminal threshold reached?).
"""

from __future__ import annotations

#: Acts that reach a criminal threshold of the catalogue.
REACHING: tuple[tuple[str, str, str, str], ...] = (
    (
        "hw_kg",
        "env",
        "危险废物",
        "经查，2024年3月6日，你单位将生产过程中产生的废矿物油（HW08）约3500公斤交由无危险废物经营许可证的个人"
        "运走，倾倒于安新县三台镇一处废弃坑塘内。",
    ),
    (
        "hw_cn",
        "env",
        "危险废物",
        "经查，你单位于2024年4月至5月间，在未取得危险废物经营许可证的情况下，非法收集、拆解废铅蓄电池"
        "（HW31）共计三点五吨，并将拆解产生的废酸液直接倾倒于厂区外排水沟。",
    ),
    (
        "pipe",
        "env",
        "水污染",
        "经查，你单位在厂区东侧围墙下私设暗管，将未经处理的生产废水绕过在线监测排放口，直接排入白洋淀周边沟渠。",
    ),
    (
        "tamper",
        "env",
        "自动监测",
        "经查，你单位运维人员于2024年6月多次修改污水在线监测设备的量程和斜率参数，篡改自动监测数据，"
        "致使监测数据严重失真。",
    ),
    (
        "dilute",
        "env",
        "自动监测",
        "经查，2024年7月9日执法人员现场检查时，你单位正通过软管向在线监测设备采样口注入自来水稀释水样，"
        "干扰自动监测设施正常运行。",
    ),
    (
        "lead",
        "env",
        "水污染",
        "经监测，你单位电镀车间排放口外排废水中总铅浓度超过《电镀污染物排放标准》（GB21900-2008）"
        "规定的排放限值3.2倍。",
    ),
    (
        "cadmium",
        "env",
        "水污染",
        "经监测，2024年5月14日你单位废水总排口总镉浓度为0.021 mg/L，标准为0.005 mg/L。",
    ),
    (
        "fake_sales",
        "market",
        "产品质量",
        "经查，你单位自2024年1月起销售假冒“远东”牌电线电缆，截至案发销售金额共计6.8万元。",
    ),
    (
        "unsold",
        "market",
        "产品质量",
        "经查，执法人员在你单位仓库查获尚未销售的不合格防水卷材共计1200卷，货值金额15.6万元。",
    ),
    (
        "sand",
        "resources",
        "矿产资源",
        "经查，你单位未取得采矿许可证，于2024年5月在大清河河道内擅自采挖河砂，经评估所采河砂价值人民币12.5万元。",
    ),
    (
        "beyond",
        "resources",
        "矿产资源",
        "经查，你单位超越采矿许可证载明的矿区范围开采砂石，经鉴定越界开采的矿产品价值人民币十一万元。",
    ),
    ("farmland", "resources", "土地管理", "经查，你单位未经批准，擅自占用永久基本农田六亩建设仓储用房。"),
    ("farmland_other", "resources", "土地管理", "经查，你单位未经批准，擅自占用一般耕地12亩堆放建筑材料。"),
)

#: Acts that look close but reach no threshold.
BELOW: tuple[tuple[str, str, str, str], ...] = (
    (
        "hw_storage",
        "env",
        "危险废物",
        "经查，你单位将废矿物油等危险废物约5吨露天堆放于厂区空地，贮存不规范，未采取防雨、防渗漏措施。",
    ),
    (
        "hw_2900",
        "env",
        "危险废物",
        "经查，你单位将生产产生的废活性炭（HW49）2900千克交由无危险废物经营许可证的单位处置。",
    ),
    ("cod_5x", "env", "水污染", "经监测，你单位外排废水化学需氧量超标5倍。"),
    ("ss_nh3", "env", "水污染", "经监测，你单位外排废水悬浮物超标6倍，氨氮超过标准5倍。"),
    ("nickel_4x", "env", "水污染", "经监测，你单位外排废水中总镍浓度超过排放标准4倍。"),
    ("sales_42k", "market", "产品质量", "经查，你单位销售不合格电动自行车头盔，销售金额4.2万元。"),
    (
        "numbers",
        "market",
        "产品质量",
        "经查，你单位于2024年8月15日销售不合格插座（检验报告编号：XA20240815-1006），销售金额3,600元。"
        "你单位联系电话：0312-5821763。",
    ),
    ("farmland_45", "resources", "土地管理", "经查，你单位未经批准，擅自占用永久基本农田4.5亩建设停车场。"),
    (
        "sand_98k",
        "resources",
        "矿产资源",
        "经查，你单位未取得采矿许可证擅自采挖河砂，经评估价值人民币9.8万元。",
    ),
    (
        "concentration",
        "env",
        "水污染",
        "经监测，你单位外排废水总磷浓度为1.56mg/L，超过《城镇污水处理厂污染物排放标准》"
        "（GB18918-2002）一级A标准（0.5mg/L）2.1倍。",
    ),
)

#: Routine background penalties (below every threshold), with numbers to fill in.
ROUTINE: tuple[tuple[str, str, str], ...] = (
    ("env", "大气污染", "经查，你单位于{date}在{place}施工过程中，未对裸露地面采取覆盖措施，造成扬尘污染。"),
    ("env", "水污染", "经监测，你单位外排废水中化学需氧量浓度为{c}mg/L，超过排放标准{s}mg/L，超标{x}倍。"),
    ("env", "危险废物", "经查，你单位危险废物贮存场所未按规定设置识别标志，且未建立危险废物管理台账。"),
    (
        "market",
        "产品质量",
        "经查，你单位销售的{goods}经抽样检验不合格，货值金额{amount}元，违法所得{gain}元。",
    ),
    (
        "resources",
        "矿产资源",
        "经查，你单位未取得采矿许可证，擅自在{place}采挖河砂约{m3}立方米，经评估价值人民币{value}万元。",
    ),
    ("resources", "土地管理", "经查，你单位未经批准擅自占用一般耕地{mu}亩建设临时堆场。"),
    (
        "env",
        "噪声污染",
        "经查，你单位于{date}夜间22时至次日凌晨2时进行混凝土浇筑作业，施工噪声超过国家规定的排放标准。",
    ),
)

#: Penalties against facility operators for effluent exceedances (never a criminal act).
EFFLUENT = "经查，你单位运营的{facility}出水{param}日均浓度超过执行标准排放限值，超标{x}倍。"

AGENCIES = {
    "env": ("雄安新区生态环境局", "雄安环罚〔2024〕{n}号", "《中华人民共和国水污染防治法》第八十三条"),
    "market": ("雄安新区市场监督管理局", "雄安市监罚〔2024〕{n}号", "《中华人民共和国产品质量法》第五十条"),
    "resources": (
        "雄安新区自然资源和规划局",
        "雄安自然资罚〔2024〕{n}号",
        "《中华人民共和国土地管理法》第七十七条",
    ),
}
