"""Language choice: zh-CN first, English available.

User-facing text is written in both languages at the place it is used
(``tr("中文", "English")``), so a reader of the code sees both and nothing
drifts out of a separate catalogue. The language comes from ``JIANCHA_LANG``
(``zh`` or ``en``) or is set per request/command with :func:`use_language`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("zh", "en")
_current: ContextVar[str | None] = ContextVar("jiancha_lang", default=None)


def language() -> str:
    """The active language: a per-context choice, else JIANCHA_LANG, else zh."""
    chosen = _current.get() or os.environ.get("JIANCHA_LANG", "zh")
    return "en" if chosen.lower().startswith("en") else "zh"


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Use ``lang`` for text produced inside the block (a web request, a test)."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def tr(zh: str, en: str) -> str:
    """Pick the text for the active language."""
    return en if language() == "en" else zh
