"""The reasons of a 检察建议书: duty → breach → the organ's failure → harm.

A prosecutor argues from the provisions to the case: the provision that gives
the addressee its duty, the provision the conduct breaches, what the organ did
or failed to do, and the harm to the public interest; a 公益诉讼 letter then
quotes 行政诉讼法 第二十五条第四款 whole, because its elements (a duty, a failure,
harm to the public interest) are what the letter has just shown. Provision
texts come only from the legal-basis catalogue (:mod:`jiancha.law`), never from
prose in code; each model says in its YAML which provisions carry each step and
words the sentence applying them (``reasons:``), with plain defaults in
``data/suggestions.yaml`` for models that do not. Where a model's clues rest on
different law, ``reasons.cases`` words the steps per value of a clue column
(``reasons.by``), e.g. a criminal threshold or a detention transfer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jiancha.documents import content
from jiancha.documents.facts import FactContext, write
from jiancha.law import LawCatalogue, Provision, UnknownProvision
from jiancha.models.spec import ModelSpec, Reason, Reasons

SECTION = "认定理由"


@dataclass(frozen=True)
class Argued:
    """The reasons' paragraphs, the provisions they quote (in order), and what to check before signing."""

    paragraphs: tuple[str, ...]
    provisions: tuple[Provision, ...]
    warnings: tuple[str, ...]


def quote(provision: Provision) -> str:
    """《法》第X条第Y款规定：“…。” — the catalogue's text, whole or the part it holds.

    A provision whose text the catalogue does not hold is cited with its summary, unquoted.
    """
    text = provision.text.strip()
    if not text:
        return f"依照{provision.citation}，{provision.summary.rstrip('。')}。"
    text = text.removesuffix("；")  # an item (项) quoted alone ends its sentence
    if text[-1] not in "。：！？…":
        text += "。"
    return f"{provision.citation}规定：“{text}”"


def argue(
    context: FactContext,
    spec: ModelSpec | None,
    kind: content.Kind,
    catalogue: LawCatalogue,
    *,
    leave_out: frozenset[str] = frozenset(),
) -> Argued:
    """The reasons for one clue, each step a paragraph: quotes first, then the sentence applying them.

    ``leave_out``: keys not to quote (unverified provisions the prosecutor has not confirmed).
    """
    paragraphs: list[str] = []
    quoted: list[Provision] = []
    warnings: list[str] = []
    details = context.values["details"]
    for step, reason in _steps(spec, details):
        provisions = _provisions(
            [k for k in _keys(reason, details) if k not in leave_out], catalogue, warnings
        )
        if reason.zh or step != "harm":
            written = write(reason.zh or content.default_reason(step), context, SECTION)
            warnings.extend(written.warnings)
            sentence = "".join(written.paragraphs)
        else:
            sentence = kind.harm
        paragraphs.append("".join(quote(p) for p in provisions) + sentence)
        quoted.extend(provisions)
    closing = _provisions([k for k in kind.provisions if k not in leave_out], catalogue, warnings)
    paragraphs.append("".join(quote(p) for p in closing) + content.reasons_closing(kind))
    quoted.extend(closing)
    return Argued(tuple(paragraphs), tuple(dict.fromkeys(quoted)), tuple(warnings))


def cited_keys(spec: ModelSpec | None, details: Mapping[str, Any], kind: content.Kind) -> list[str]:
    """The keys a letter of ``kind`` would quote for a clue with these details, in order, each once.

    The same keys :func:`argue` quotes, found without wording anything: the issue form lists
    the unverified ones for every kind it offers without drafting a letter per kind.
    """
    keys = [k for _, reason in _steps(spec, details) for k in _keys(reason, details)]
    return list(dict.fromkeys([*keys, *kind.provisions]))


def _steps(spec: ModelSpec | None, details: Mapping[str, Any]) -> list[tuple[str, Reason]]:
    """All four steps, in order: the model's own where it words them (those of the clue's case, when
    ``reasons.cases`` has one for it), the plain ones otherwise.

    A model without ``reasons:`` quotes its legal bases under the duty step.
    """
    reasons = spec.reasons if spec is not None else None
    own = reasons.for_clue(details) if reasons is not None else None
    plain = Reasons(
        duty=Reason(provisions=[] if own else list(spec.legal_basis) if spec else []),
        breach=Reason(),
        failure=Reason(),
        harm=Reason(),
    )
    return [(step, getattr(own, step, None) or default) for step, default in plain.steps()]


def _keys(reason: Reason, details: Mapping[str, Any]) -> list[str]:
    """The step's own provisions, then those the clue's ``provisions_from`` column names."""
    extra = details.get(reason.provisions_from) if reason.provisions_from else None
    named = [str(k) for k in extra] if isinstance(extra, list | tuple) else []
    return list(dict.fromkeys([*reason.provisions, *named]))


def _provisions(keys: Iterable[str], catalogue: LawCatalogue, warnings: list[str]) -> list[Provision]:
    """The catalogue's provisions for ``keys``; a key it lacks is left out with a warning, never a crash."""
    found = []
    for key in keys:
        try:
            found.append(catalogue.get(key))
        except UnknownProvision as exc:
            warnings.append(f"{SECTION}未引用一项法律依据：{exc.args[0] if exc.args else key}")
    return found
