"""Folding the spellings of a Chinese organisation or person name to one comparable form.

Agencies write the same company as 河北雄安绿源环保科技有限公司, （雄安）绿源环保科技
有限公司 or 绿源环保科技 ; the fold removes what varies between registers and
keeps what names the company. It is deterministic and cheap, so the models,
the linker's blocking and the deterministic entity lookup can all share it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Region prefixes and tags of the new area, longest first so 雄安新区 wins over 雄安.
REGION_TAGS: tuple[str, ...] = (
    "河北省雄安新区",
    "河北雄安新区",
    "雄安新区",
    "河北省",
    "保定市",
    "容城县",
    "安新县",
    "雄安",
    "河北",
    "保定",
    "雄县",
)
#: Legal-form suffixes, longest first; 分公司 is folded with its parent's form.
LEGAL_FORMS: tuple[str, ...] = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "公司")

_REGION = "|".join(map(re.escape, REGION_TAGS))
_BRACKETED_REGION = re.compile(rf"[(\[{{<（【〔［｛《〈「『]\s*(?:{_REGION})\s*[)\]}}>）】〕］｝》〉」』]")
_LEADING_REGION = re.compile(rf"^(?:{_REGION})+")
_TRAILING_REGION = re.compile(rf"(?:{_REGION})+$")
#: Whatever is neither a letter nor a digit: ``\W`` less the ``_`` it counts as a word character.
_NOISE = re.compile(r"[\W_]+")
_LEGAL_FORM = re.compile(rf"(?:{'|'.join(map(re.escape, LEGAL_FORMS))})+$")


def _strip_noise(text: str) -> str:
    """Drop brackets, whitespace, punctuation and symbols; keep letters and digits (CJK included),
    in one regex pass (``_NOISE``) rather than a look-up of each character's category."""
    return _NOISE.sub("", text)


@lru_cache(maxsize=1_000_000)
def normalise_name(name: str | None) -> str:
    """The folded form of a name: width, case, brackets, spaces, punctuation, region tags, legal forms.

    Region tags go wherever they are bracketed and at either end; legal-form
    suffixes go at the end. A fold that would leave nothing keeps the last
    non-empty form, so 雄县 alone stays 雄县.
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKC", name).lower()
    text = _BRACKETED_REGION.sub("", text)
    text = _strip_noise(text)
    previous = None
    while text != previous:
        previous = text
        for pattern in (_LEADING_REGION, _LEGAL_FORM, _TRAILING_REGION):
            folded = pattern.sub("", text)
            if folded:
                text = folded
    return text
