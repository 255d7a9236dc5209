"""The rule-based entity of a spelling: its credit code, else its folded name.

This needs no training and no writes, so it serves the models whenever
``jiancha resolve`` has not run (or the data changed since), and it gives
resolved clusters their stable ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from jiancha.resolve.credit_code import CodeBook
from jiancha.resolve.names import normalise_name


def code_entity(code: str) -> str:
    """The id of the entity a valid credit code identifies."""
    return f"code:{code}"


def name_entity(folded: str) -> str:
    """The id of the entity a folded name identifies when no code does."""
    return f"name:{folded}"


def entity_ids(spellings: Iterable[tuple[str, str | None]]) -> dict[tuple[str, str | None], str]:
    """Map each (name, credit code) spelling to its entity id.

    A valid code — or a mistyped one a single slip from exactly one valid code
    seen in the lake — identifies the entity. A spelling without a usable code
    joins the code its folded name is seen with, when that name is seen with
    just one code; otherwise the folded name is the entity.
    """
    pairs = list(dict.fromkeys(spellings))
    book = CodeBook({code for _, code in pairs})
    canonical = {pair: book.canonical(pair[1]) for pair in pairs}
    codes_of_name: dict[str, set[str]] = {}
    for (name, _), code in canonical.items():
        if code is not None:
            codes_of_name.setdefault(normalise_name(name), set()).add(code)
    out: dict[tuple[str, str | None], str] = {}
    for pair, code in canonical.items():
        folded = normalise_name(pair[0])
        if code is None and len(codes_of_name.get(folded, ())) == 1:
            code = next(iter(codes_of_name[folded]))
        out[pair] = code_entity(code) if code is not None else name_entity(folded)
    return out
