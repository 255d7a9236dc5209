"""The wording that documents draw on: kinds, numbering, per-model suggestions.

Held in ``data/suggestions.yaml`` so a procuratorate can change its document
number template, office abbreviations or standard wording without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jiancha.clues.workflow import PUBLIC_INTEREST
from jiancha.errors import JianchaError
from jiancha.yaml_data import load_yaml

KINDS = ("public_interest", "social_governance", "correcting_illegality")


@cache
def wording() -> dict[str, Any]:
    """The parsed wording file."""
    text = resources.files("jiancha.documents").joinpath("data/suggestions.yaml").read_text("utf-8")
    return load_yaml(text)


@dataclass(frozen=True)
class Kind:
    """One type of procuratorial suggestion (公益诉讼 / 社会治理 / 纠正违法)."""

    name: str
    code: str
    label: str
    basis: str
    provisions: tuple[str, ...] = ()  # catalogue keys the letter quotes whole before its suggestions
    harm: str = ""  # the harm this kind of suggestion answers, when the model words none


def kind(name: str) -> Kind:
    """The suggestion kind by name; an error listing the kinds otherwise."""
    raw = wording()["kinds"].get(name)
    if raw is None:
        raise JianchaError(f"检察建议类型 {name} 不存在；可选：{'、'.join(KINDS)}。")
    return Kind(
        name=name,
        code=raw["code"],
        label=raw["label"],
        basis=raw["basis"],
        provisions=tuple(raw.get("provisions") or ()),
        harm=raw.get("harm", ""),
    )


def default_kind(business_line: str | None, model_id: str | None = None) -> Kind:
    """The kind configured for the model, else the one its business line implies (public interest)."""
    by_model = wording().get("kind_by_model") or {}
    if model_id in by_model:
        return kind(by_model[model_id])
    mapping = wording()["kind_by_business_line"]
    return kind(mapping.get(business_line or "", "public_interest"))


def office_abbreviation(office: str) -> str:
    """The abbreviation used in document numbers; the office name itself if none is configured."""
    return wording()["offices"].get(office, office)


def document_number(office: str, kind_: Kind, year: int, seq: int) -> str:
    """Format a document number (文号) from the configured template."""
    return wording()["number_template"].format(
        org=office_abbreviation(office), kind=kind_.code, year=year, seq=seq
    )


def number_prefix(office: str, kind_: Kind, year: int) -> str:
    """Everything in a document number before the sequence, to find the last one used."""
    return document_number(office, kind_, year, 0).removesuffix("0号")


def default_reason(step: str) -> str:
    """The plain sentence (a fact template) for a step of the reasons a model does not word itself."""
    return wording()["reasons"][step]


def reasons_closing(kind_: Kind) -> str:
    """The sentence that ends the reasons and leads to the suggestions."""
    return wording()["reasons"]["closing"].format(label=kind_.label)


def model_suggestions(model_id: str, case: str | None = None, **fields: str) -> list[str]:
    """The standard concrete suggestions for a model's clues, filled in.

    ``case``: the case of the model's ``reasons.cases`` the clue is argued with; ``model_cases``
    may word other suggestions for it (a detention transfer is not a suspected crime's).
    """
    own = (wording().get("model_cases") or {}).get(model_id, {}).get(case) if case else None
    templates = (
        own
        or wording()["models"].get(model_id)
        or [
            "依法履行监督管理职责，对线索所涉问题进行核查并依法处理。",
        ]
    )
    return [t.format_map(_Blank(fields)) for t in templates]


def subject_title(subject_type: str) -> str:
    """The Chinese name of a subject type (设施, 联单, …) as documents write it."""
    return wording()["subject_types"].get(subject_type, subject_type)


def reply_term(kind_: Kind, urgent: bool, due: str) -> str:
    """The reply sentence for a kind of suggestion (its period fixed by law, or the prosecutor's date)."""
    terms = wording()["reply_terms"]
    if kind_.name == PUBLIC_INTEREST:
        return terms["public_interest"].format(period="十五日" if urgent else "两个月", due=due)
    return terms["other_urgent" if urgent else "other"].format(due=due)


def objection_note() -> str:
    return wording()["objection_note"]


class _Blank(dict):
    """format_map mapping that leaves unknown fields empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""
