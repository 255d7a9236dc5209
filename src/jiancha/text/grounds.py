"""Which ground a penalty's facts rest on, stated as a prosecutor would write it.

Two grounds make a penalty "should have been transferred" (应移未移): a criminal
threshold of an interpretation (法释〔2023〕7号 第一条, 〔2016〕25号, 〔2000〕14号,
〔2001〕10号, 刑法 第一百四十条), or — for concealed pipes and monitoring tampering that
are not crimes — the agency's duty under 环境保护法 第六十三条第(三)项 to transfer the case
to the police for administrative detention. A concealed pipe is a crime only for toxic
substances (法释〔2023〕7号 第一条(五)); tampering only by a 重点排污单位 (第一条(七)). Each
ground names its provisions (keys of the legal-basis catalogue), the sentence stating it
and what would change it; the wording lives in ``data/grounds.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jiancha.formatting import number
from jiancha.text.acts import HAZARDOUS_WASTE
from jiancha.text.reading import Reading
from jiancha.yaml_data import load_yaml

#: The facts name a toxic substance: hazardous waste (法释〔2023〕7号 counts it as toxic, so any waste
#: the hazardous-waste reader knows), heavy metals, radioactive or infectious waste.
TOXIC = re.compile(
    HAZARDOUS_WASTE.pattern + r"|有毒|放射性|传染病病原体|重金属|电镀|蚀刻"
    r"|含(?:铅|汞|镉|铬|砷|铊|锑|镍|铜|锌|银|钒|锰|钴)|(?:总|六价)?(?:铅|汞|镉|铬|砷|铊|锑)(?:浓度|超标|为)"
)
#: The facts find the party a key pollutant discharger (not when denied just before).
_CITE = re.compile(r"\{cite:([\w.]+)\}")
KEY_UNIT = re.compile(
    r"(?<!非)(?<!不属于)(?<!不是)(?<!未列入)(?:重点排污单位|排污许可重点管理|重点管理排污单位)"
)


@dataclass(frozen=True)
class Ground:
    """One ground a clue rests on: code, kind, provision keys, the sentences, and the reading behind it.

    ``kind`` is ``criminal`` (a suspected crime the agency must transfer) or ``detention`` (a case
    it must transfer for administrative detention): the two lead to different letters.
    """

    code: str
    kind: str
    basis: tuple[str, ...]
    citation: str
    ground_zh: str
    changer_zh: str
    reading_zh: str


@cache
def ground_texts() -> dict[str, dict[str, Any]]:
    """The grounds' provisions and wording, as shipped in ``data/grounds.yaml``."""
    path = resources.files("jiancha.text").joinpath("data/grounds.yaml")
    return load_yaml(path.read_text(encoding="utf-8"))


def cite(key: str) -> str:
    """A provision's citation from the legal-basis catalogue: an interpretation by its 文号
    (法释〔2023〕7号第一条第（二）项), a law by its title (《中华人民共和国刑法》第三百三十八条)."""
    from jiancha.law import builtin_catalogue

    p = builtin_catalogue().get(key)
    if p.version.startswith("法释"):
        return f"{p.version}{p.article}{p.paragraph}{p.item}"
    return p.citation


def citation(code: str) -> str:
    """The citation of the provision a ground's reading rests on (its first key)."""
    return cite(ground_texts()[code]["basis"][0])


def _cited(text: str) -> str:
    return _CITE.sub(lambda m: cite(m.group(1)), text)


def _reading_sentence(code: str, readings: list[Reading], unit: str) -> str:
    entry = ground_texts()[code]
    parts = []
    for r in readings:
        quoted = f"“{r.span}”"
        parts.append(f"{quoted}，{r.arithmetic}" if r.arithmetic else quoted)
    total = sum(r.value for r in readings)
    summed = f"，合计{number(total)}{unit}" if len(readings) > 1 else ""
    return f"处罚决定认定：{'；'.join(parts)}{summed}，已达{citation(code)}“{entry['standard']}”标准。"


def make_ground(code: str, readings: list[Reading] | None = None, unit: str = "", span: str = "") -> Ground:
    """The ground ``code`` with the reading that reaches it (figures, or the span of an act)."""
    entry = ground_texts()[code]
    if readings:
        reading = _reading_sentence(code, readings, unit)
    else:
        reading = f"处罚决定认定：“{span}”，属{citation(code)}“{entry['standard']}”情形。"
    return Ground(
        code,
        entry["kind"],
        tuple(entry["basis"]),
        citation(code),
        _cited(entry["ground"]) + "。",
        _cited(entry["changer"]) + "。",
        reading,
    )


def pipe_ground(text: str, span: str, toxic_read: bool) -> Ground:
    """A concealed pipe: a crime for toxic substances, otherwise a detention transfer."""
    toxic = toxic_read or bool(TOXIC.search(text))
    return make_ground("concealed_pipe_toxic" if toxic else "concealed_pipe_detention", span=span)


def monitoring_ground(text: str, span: str) -> Ground:
    """Tampering with monitoring: a crime for a key pollutant discharger, otherwise a detention transfer."""
    code = "monitoring_key_unit" if KEY_UNIT.search(text) else "monitoring_detention"
    return make_ground(code, span=span)
