"""Organisations and persons of the synthetic area, their credit codes and the ways
agencies misspell their names.

Every organisation gets a distinct trade name (字号), so that folding a name —
width, brackets, spaces, region tags, county prefixes, legal-form suffixes — never
merges two different organisations. :func:`variant` produces only spellings such a
deterministic normaliser can fold back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jiancha.errors import JianchaError
from jiancha.i18n import tr

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_REGION_CODES = {"雄县": "130638", "容城县": "130629", "安新县": "130632", "雄安新区": "133100"}

_FIRST = "鑫顺宏华恒金瑞永德嘉兴隆泰丰盛利通达源润昌富安康和信诚远鸿新广博祥旺福佳运美创蓝天绿清海"
_SECOND = "源达泰诚信利丰盛润昌茂汇通远鸿发祥旺福瑞宇辉明泽坤峰林森晨阳光星越航晟益腾捷邦荣"
#: A third character for trade names once the pairs run out (past about scale 40); none of them is
#: in a pair, so every trade name stays distinct up to about scale 400.
_THIRD = "亿聚锦豪融卓曜麒骏湘"
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
)
_MORE_GIVEN = "文武成思佳欣悦晓雪琳婷雅倩颖慧淑晶莉萍宁鑫凤洁琴云莲真环雨婕晨帆彬旭亮毅峰坚博诚"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红海燕玉兰春梅飞鹏辉斌宇浩凯健俊"

#: Legal-form suffixes a normaliser folds away; the generator swaps between them.
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")


def org_check_digit(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def credit_check_digit(first17: str) -> str:
    """GB 32100-2015 check character of a unified social credit code."""
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(first17, _CODE_WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31]


def credit_code(rng: np.random.Generator, region: str, kind: str = "91") -> str:
    """A valid 18-character unified social credit code registered in ``region``."""
    digits = "0123456789"
    body = "".join(digits[i] for i in rng.integers(0, 10, 8))
    first17 = kind + _REGION_CODES[region] + body + org_check_digit(body)
    return first17 + credit_check_digit(first17)


@dataclass(frozen=True)
class Org:
    """An organisation: its registered name and credit code; ``key`` is its true identity."""

    key: str
    name: str
    credit_code: str
    region: str
    trade: str
    industry: str
    suffix: str


class PartyPool:
    """Hands out organisations with unique trade names and persons with plain names."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        pairs = [a + b for a in _FIRST for b in _SECOND if a != b]
        self._trades = [pairs[i] for i in rng.permutation(len(pairs))]
        self._next = 0
        self._people: set[str] = set()

    def org(self, industry: str, region: str, suffix: str = "有限公司") -> Org:
        """A new organisation named ``<region><字号><industry><suffix>``."""
        pairs = len(self._trades)
        trade = self._trades[self._next % pairs]
        if self._next >= pairs * (len(_THIRD) + 1):
            raise JianchaError(
                tr(
                    f"合成数据的单位名称已用尽（{self._next} 个）：请用更小的规模。",
                    f"The synthetic data ran out of organisation names ({self._next}): use a smaller scale.",
                )
            )
        if self._next >= pairs:
            trade += _THIRD[self._next // pairs - 1]
        self._next += 1
        prefix = "雄安新区" if region == "雄安新区" else region
        code = credit_code(self._rng, region, "91" if suffix else "92")  # 92: sole proprietorship
        return Org(
            f"O{self._next:04d}", f"{prefix}{trade}{industry}{suffix}", code, region, trade, industry, suffix
        )

    def person(self) -> str:
        """A new person name (surname + one or two given characters), never repeated.

        Once names start to repeat (twenty draws in a row already taken: past about scale 30, when
        the plain given characters are nearly used up), the given characters come from a longer
        list, so the search never stalls; smaller scales never get there and keep their names.
        """
        given, tries = _GIVEN, 0
        while True:
            tries += 1
            if tries > 20:
                given = _GIVEN + _MORE_GIVEN
            s = _SURNAMES[int(self._rng.integers(len(_SURNAMES)))]
            count = int(self._rng.integers(1, 3))
            g = "".join(given[int(i)] for i in self._rng.integers(0, len(given), count))
            if s + g not in self._people:
                self._people.add(s + g)
                return s + g


_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"}


def variant(org: Org, how: str) -> str:
    """Another spelling of ``org``'s name that a deterministic normaliser folds back.

    ``how``: ``no_region`` drops the county/新区 prefix; ``region_tag`` moves the region into
    a bracketed tag (``（雄安）``); ``suffix`` swaps the legal-form suffix; ``no_suffix`` drops
    it; ``spaces`` puts spaces around the trade name; ``halfwidth_tag`` writes an ASCII
    bracket tag; ``fullwidth`` writes ASCII letters and digits full-width.
    """
    core = f"{org.trade}{org.industry}"
    prefix = "雄安新区" if org.region == "雄安新区" else org.region
    other = next(s for s in SUFFIXES if s != org.suffix)
    spellings = {
        "no_region": f"{core}{org.suffix}",
        "region_tag": f"{core}{org.suffix}（雄安）" if org.suffix else f"{core}（雄安）",
        "halfwidth_tag": f"{core}(雄安){org.suffix}",
        "suffix": f"{prefix}{core}{other}",
        "no_suffix": f"{prefix}{core}",
        "spaces": f"{prefix} {org.trade} {org.industry}{org.suffix}",
        "xiongan_prefix": f"雄安{core}{org.suffix}",
        "fullwidth": org.name.translate(_FULL_WIDTH).replace("(", "（").replace(")", "）"),
    }
    return spellings[how]
