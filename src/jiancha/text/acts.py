"""What the party did, judged from the wording of penalty facts.

The criminal rules turn on the act, not only on a number: hazardous waste counts
towards the 3-tonne rule only when it was discharged, dumped or disposed of
(including collection or processing without a licence), never when it was merely
stored badly; a pipe, hose or pump that bypasses the monitored outlet is a
concealed pipe; diluting samples or feeding the analyser water that is not the
effluent is interfering with monitoring. Each act is a list of patterns; a match
preceded by a denial (``未发现``, ``不存在`` …) in its clause does not count.
"""

from __future__ import annotations

import re

#: Hazardous waste by name or by a code of the 国家危险废物名录 (``HW08``, ``900-249-08``).
HAZARDOUS_WASTE = re.compile(
    r"危险废物|危废|HW\s?\d{2}|(?<!\d)\d{3}-\d{3}-\d{2}(?!\d)|废矿物油|废机油|废润滑油|废液压油|废淬火油"
    r"|废切削液|废乳化液|废油渣|油泥|废铅蓄电池|废铅酸电池|废旧铅酸蓄电池|废电路板|废酸|废碱|蚀刻废液"
    r"|含铬污泥|电镀污泥|含重金属污泥|废有机溶剂|精馏残渣|蒸馏残渣|废活性炭|废油漆|废油墨|废催化剂|医疗废物"
)
DISPOSAL = re.compile(
    r"倾倒|倾卸|丢弃|遗弃|抛弃|填埋|掩埋|焚烧|排放|排入|直排|偷排|外排|处置|擅自处理|非法处理|转卖"
    r"|(?:提供|委托|交|转移|出售|卖)[给由予]?(?:不具备|无|没有|未取得|未持有)"
    r"|(?:无|未取得|未办理|没有)[^，。；]{0,10}(?:许可证|资质)[^。；]{0,14}(?:收集|利用|经营|加工|拆解|提炼)"
    r"|(?:非法|擅自|无证)(?:收集|利用|经营|加工|拆解|提炼)"
)
STORAGE = re.compile(r"贮存|储存|堆放|存放|暂存|堆存|混存|混放")
#: Words before a disposal verb that make it lawful or not yet done (``尚未委托有资质单位处置``).
_NOT_DONE = re.compile(
    r"(?:(?:未(?!经|取得|办理)|尚未|没有|待|拟|计划|申报)[^，。；]{0,8}"
    r"|(?<!不)(?<!不具)(?:具有|具备|有)[^，。；无]{0,6}(?:资质|许可证)[^，。；]{0,6})$"
)
_DISPOSAL_RECORD = re.compile(r"^(?:计划|方案|记录|台账|措施|设施|合同|能力|费用|口)")

CONCEALED_PIPE = (
    re.compile(r"暗管|渗井|渗坑|裂隙|溶洞|灌注(?!桩)|旁路管|旁通管|私设[^，。；]{0,6}(?:管|口)"),
    re.compile(
        r"(?:软管|胶管|水管|管道|管线|潜水泵|水泵|抽水泵|泵)[^。；]{0,30}"
        r"(?:绕过|绕开|避开|规避|不经|未经|越过)[^。；]{0,12}(?:监测|排放口|排污口|计量)"
    ),
)
MONITORING_INTERFERENCE = (
    re.compile(r"(?:篡改|伪造|修改|删除|编造)[^，。；]{0,12}(?:自动|在线)?监测(?:数据|参数|记录)"),
    re.compile(r"(?:干扰|破坏)[^，。；]{0,8}(?:自动|在线)?监测(?:设施|设备|仪器|仪表|系统|站房)"),
    re.compile(r"稀释[^，。；]{0,6}(?:水样|样品|样水|采样)|(?:水样|样品|样水|采样)[^，。；]{0,10}稀释"),
    re.compile(
        r"(?:自来水|清水|纯净水|蒸馏水|桶装水|雨水|井水)[^。；]{0,20}"
        r"(?:采样|采水|监测仪|分析仪|在线监测|探头)"
    ),
    re.compile(r"(?:采样|采水)(?:管|头|探头|泵)[^。；]{0,20}(?:拔出|移出|放入|插入|置于|浸入|移至|改接)"),
)
_DENIAL = re.compile(r"(?:未发现|未见|未查见|未查实|不存在|没有|排除|无)[^，。；]{0,4}$")


def _clause_start(text: str, position: int) -> int:
    cut = max(text.rfind(c, 0, position) for c in "，,。；;")
    return cut + 1


def asserted_at(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[int, int] | None:
    """Where the first pattern match without a denial before it lies (start, end), or None."""
    for pattern in patterns:
        for m in pattern.finditer(text):
            if not _DENIAL.search(text[_clause_start(text, m.start()) : m.start()]):
                return m.start(), m.end()
    return None


def is_disposal(clause: str) -> bool:
    """Whether the clause says waste was discharged, dumped or disposed of (not planned, not lawful)."""
    return any(
        not _NOT_DONE.search(clause[: m.start()]) and not _DISPOSAL_RECORD.match(clause[m.end() :])
        for m in DISPOSAL.finditer(clause)
    )


def is_storage(clause: str) -> bool:
    """Whether the clause speaks of storing or piling waste."""
    return bool(STORAGE.search(clause))
