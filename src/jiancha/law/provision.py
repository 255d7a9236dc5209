"""One provision of a law, as the catalogue holds it and documents cite it.

A provision is data, never prose in code: the law's full title, its version and
date in force, the article / 款 / 项, the statute's own wording (whole or the
part quoted) and where that wording was checked. ``verified`` is false where it
could not be checked; whatever cites such a provision must say so to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jiancha.errors import JianchaError
from jiancha.i18n import tr

#: A provision key: lower-case dotted words, e.g. ``water_pollution_law.art50.p2``.
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Provision:
    """A provision and what is known about its text."""

    key: str
    law: str
    version: str
    in_force: date | None
    article: str
    paragraph: str
    item: str
    text: str
    summary: str
    source: str
    verified: bool

    @property
    def citation(self) -> str:
        """How a document cites it: 《中华人民共和国水污染防治法》第五十条第二款."""
        return f"《{self.law}》{self.article}{self.paragraph}{self.item}"

    @property
    def wording(self) -> str:
        """The statute's words when the catalogue holds them, otherwise the plain summary."""
        return self.text or self.summary


class UnknownProvision(JianchaError, KeyError):
    """A key no provision of the catalogue has; the message is a sentence naming it."""

    def __init__(self, key: str, where: str = "") -> None:
        self.key = key
        place = f"{where}：" if where else ""
        super().__init__(
            tr(
                f"{place}法律依据目录中没有编号为 {key} 的条文；"
                "请用 jiancha law list 查看可用的编号，或用 jiancha law add 先把该条文加入本工作区的目录。",
                f"{place}the legal-basis catalogue has no provision {key}; "
                "see jiancha law list for the keys, or add the provision with jiancha law add first.",
            )
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def check_key(key: str) -> str:
    """``key`` when it has the form of a provision key; otherwise a sentence saying what is expected."""
    if not KEY.match(key):
        raise JianchaError(
            tr(
                f"条文编号 {key!r} 不可用：应为小写字母、数字和下划线组成、以点分段的编号"
                "（如 local_rules.art5.p2）。",
                f"Provision key {key!r} is not valid: use lower-case words joined by dots "
                "(e.g. local_rules.art5.p2).",
            )
        )
    return key
