"""The unified social credit code (统一社会信用代码) and its check digit, GB 32100-2015.

Agencies type codes by hand, so one company's code may appear with a slipped
character. The standard's check digit lets us tell such a typo (one character
off and the check digit no longer fits) from a genuinely different company
(another code whose check digit fits): only the former may be corrected to the
code seen elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum

#: The 31 characters a code may use: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
#: Weight of each of the first 17 positions: 3**i mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
#: What typists put between a code's characters: whitespace of any kind, dashes, underscores.
_SEPARATORS = re.compile(r"[\s\-_—]+")


class CodeRelation(StrEnum):
    """How two spellings of a credit code relate."""

    SAME = "same"
    TYPO = "typo"  # one is invalid and one edit away from the other, which is valid
    DIFFERENT = "different"


def clean(code: str | None) -> str | None:
    """The code as the standard writes it: half-width, upper case, no spaces or dashes; None if empty."""
    if code is None:
        return None
    text = unicodedata.normalize("NFKC", code).upper()
    return _SEPARATORS.sub("", text) or None


def check_digit(first17: str) -> str:
    """The 18th character the standard prescribes for these 17 characters.

    Raises ValueError when a character is outside the code alphabet or the length is not 17.
    """
    if len(first17) != LENGTH - 1:
        raise ValueError(f"统一社会信用代码前 17 位应为 17 个字符，实际为 {len(first17)} 个：{first17!r}")
    try:
        total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(
            f"统一社会信用代码 {first17!r} 含有不允许的字符 {exc.args[0]!r}（不得使用 I、O、S、V、Z）"
        ) from None
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str | None) -> bool:
    """True when the (cleaned) code has 18 allowed characters and its check digit fits."""
    text = clean(code)
    if text is None or len(text) != LENGTH or any(ch not in _VALUE for ch in text):
        return False
    return check_digit(text[:17]) == text[17]


def _one_edit_apart(a: str, b: str) -> bool:
    """One substituted character, or two neighbours swapped — the slips of a typist."""
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return True
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


def relation(a: str | None, b: str | None) -> CodeRelation | None:
    """How two codes relate; None when either is missing.

    Two valid codes that differ are different companies, however close; an
    invalid code one slip away from a valid one is a typo of it.
    """
    ca, cb = clean(a), clean(b)
    if ca is None or cb is None:
        return None
    if ca == cb:
        return CodeRelation.SAME
    va, vb = is_valid(ca), is_valid(cb)
    if va != vb and _one_edit_apart(ca, cb):
        return CodeRelation.TYPO
    return CodeRelation.DIFFERENT


def is_likely_typo(code: str | None, of: str | None) -> bool:
    """True when ``code`` is invalid and one slip away from the valid code ``of``."""
    return not is_valid(code) and is_valid(of) and relation(code, of) is CodeRelation.TYPO


def _masked(code: str) -> Iterable[str]:
    """Keys shared by codes one substituted character apart: each position masked in turn."""
    for i in range(len(code)):
        yield f"{code[:i]}?{code[i + 1 :]}"


def _swapped(code: str) -> Iterable[str]:
    """The code with each pair of neighbours swapped."""
    for i in range(len(code) - 1):
        yield f"{code[:i]}{code[i + 1]}{code[i]}{code[i + 2 :]}"


class CodeBook:
    """The valid codes seen in the lake, able to correct a mistyped code to one of them.

    Built once over every code in the lake (a few hundred thousand at most), it
    answers each correction by a handful of dictionary lookups.
    """

    def __init__(self, codes: Iterable[str | None]) -> None:
        self._valid: set[str] = set()
        self._by_key: dict[str, str] = {}  # masked code -> the valid code it came from, "" if several
        for raw in codes:
            code = clean(raw)
            if code is None or code in self._valid or not is_valid(code):
                continue
            self._valid.add(code)
            for key in _masked(code):
                self._by_key[key] = "" if self._by_key.get(key, code) != code else code

    def canonical(self, raw: str | None) -> str | None:
        """The valid code this spelling stands for: itself if valid, the one valid code a
        slip away if there is exactly one, else None (missing, garbled or ambiguous)."""
        code = clean(raw)
        if code is None:
            return None
        if code in self._valid or is_valid(code):
            return code
        if len(code) != LENGTH:
            return None
        candidates = {swap for swap in _swapped(code) if swap in self._valid}
        candidates.update(self._by_key.get(key) for key in _masked(code) if key in self._by_key)
        return next(iter(candidates)) if len(candidates) == 1 and "" not in candidates else None
