"""Draft and issue a procuratorial suggestion (检察建议书) from a clue.

Issuing is one act: the document gets the next free number of its office, kind
and year, the clue moves to ``suggestion_issued`` and the reply clock starts
(two months; 15 days when urgent). The file is written only once the store has
accepted the transition, so a refused action leaves no stray document behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jiancha.clues.store import ClueStore
from jiancha.clues.views import ClueDetail, EvidenceView
from jiancha.clues.workflow import reply_due, status_title
from jiancha.contracts import datasets
from jiancha.documents import content, figures
from jiancha.documents.facts import state_facts
from jiancha.documents.reasons import argue
from jiancha.documents.suggestion_docx import EvidenceLine, SuggestionDraft, cn_date, render_suggestion
from jiancha.errors import WorkflowError
from jiancha.law import LawCatalogue, builtin_catalogue, catalogue_for
from jiancha.models.catalog import Catalog
from jiancha.models.spec import ModelSpec

ISSUE_ACTION = "issue_suggestion"
SUMMARY_FIELDS = 6
NUMBER_ATTEMPTS = 3  # numbers drawn before giving up when others keep taking them first


@dataclass(frozen=True)
class IssuedSuggestion:
    """What issuing produced: the file, its number and the reply deadline."""

    path: Path
    document_no: str
    reply_due: date
    warnings: tuple[str, ...] = ()  # what the text lacks (data not provided, a provision not found)


@dataclass(frozen=True)
class DraftedSuggestion:
    """A draft written for review, and what the prosecutor should complete before issuing it."""

    path: Path
    warnings: tuple[str, ...] = ()


def issue_suggestion(
    store: ClueStore,
    clue_id: str,
    user: str,
    output: Path,
    *,
    urgent: bool = False,
    kind: str | None = None,
    catalog: Catalog | None = None,
) -> IssuedSuggestion:
    """Number, record and write the suggestion for a clue whose case has been filed."""
    basis = _Basis.of(store, clue_id, user, kind, catalog)
    if ISSUE_ACTION not in basis.detail.allowed_actions:
        raise WorkflowError(
            f"线索 {clue_id} 当前状态为“{status_title(basis.detail.clue.status)}”，"
            "只有已立案的线索才能制发检察建议；请先完成初核、审查和立案。"
        )
    for _attempt in range(NUMBER_ATTEMPTS):
        number = next_document_number(store, basis.detail.clue.office, basis.kind, basis.issued.year)
        try:
            store.transition(
                clue_id,
                ISSUE_ACTION,
                user,
                f"制发{basis.kind.label} {number}",
                document_no=number,
                urgent=urgent,
                on=basis.issued,
            )
            break
        except WorkflowError:
            # Someone issued this number between our read and our write: take the next one.
            if number not in store.document_numbers(number):
                raise
    else:
        raise WorkflowError(f"连续 {NUMBER_ATTEMPTS} 次取得的文号都已被占用；请稍后重试。")
    draft = basis.draft(number, urgent=urgent)
    return IssuedSuggestion(render_suggestion(draft, output), number, draft.reply_due, draft.warnings)


def draft_suggestion(
    store: ClueStore,
    clue_id: str,
    user: str,
    output: Path,
    *,
    urgent: bool = False,
    kind: str | None = None,
    catalog: Catalog | None = None,
) -> DraftedSuggestion:
    """A draft for review before issue: same text, number left blank, the clue untouched."""
    basis = _Basis.of(store, clue_id, user, kind, catalog)
    office, year = basis.detail.clue.office, basis.issued.year
    number = content.document_number(office, basis.kind, year, 0).replace("0号", "　号（草稿）")
    draft = basis.draft(number, urgent=urgent)
    return DraftedSuggestion(render_suggestion(draft, output), draft.warnings)


@dataclass(frozen=True)
class _Basis:
    """What both a draft and an issued suggestion are worded from."""

    detail: ClueDetail
    spec: ModelSpec | None
    kind: content.Kind
    issued: date
    law: LawCatalogue

    @classmethod
    def of(
        cls, store: ClueStore, clue_id: str, user: str, kind: str | None, catalog: Catalog | None
    ) -> _Basis:
        detail = store.get_clue(clue_id, user)
        spec = _spec(catalog, detail.clue.model_id)
        chosen = (
            content.kind(kind)
            if kind
            else content.default_kind(spec.business_line if spec else None, detail.clue.model_id)
        )
        return cls(detail, spec, chosen, store.today(), catalogue_for(store))

    def draft(self, number: str, *, urgent: bool) -> SuggestionDraft:
        return build_draft(
            self.detail, self.spec, self.kind, number, self.issued, urgent=urgent, law=self.law
        )


def next_document_number(store: ClueStore, office: str, kind: content.Kind, year: int) -> str:
    """One more than the highest sequence this office has used for this kind this year."""
    prefix = content.number_prefix(office, kind, year)
    pattern = re.compile(re.escape(prefix) + r"(\d+)号$")
    used = [int(m[1]) for n in store.document_numbers(prefix) if (m := pattern.match(n))]
    return content.document_number(office, kind, year, max(used, default=0) + 1)


def build_draft(
    detail: ClueDetail,
    spec: ModelSpec | None,
    kind: content.Kind,
    number: str,
    issued: date,
    *,
    urgent: bool,
    law: LawCatalogue | None = None,
) -> SuggestionDraft:
    """Word the suggestion from the clue: facts and reasons from the model's templates and the catalogue."""
    clue = detail.clue
    addressee = clue.target_agency or (spec.addressee.zh if spec else "有关行政机关")
    context, stated = state_facts(detail, spec)
    argued = argue(context, spec, kind, law or builtin_catalogue())
    subject = str(context.values["subject"])
    return SuggestionDraft(
        number=number,
        procuratorate=clue.office,
        addressee=addressee,
        kind_label=kind.label,
        source=(
            f"本院在履行法律监督职责中，运用大数据法律监督模型“{spec.title.zh if spec else '线索研判'}”"
            f"对{_dataset_titles(spec)}等数据进行比对分析，于{cn_date(clue.first_seen)}发现{subject}的有关问题，"
            "经审查后立案。"
        ),
        facts=(*stated.paragraphs, f"上述事实有{len(detail.evidence)}项共享数据记录为证（见附件）。"),
        evidence=tuple(_evidence_line(e) for e in detail.evidence),
        reasons=argued.paragraphs,
        legal_basis=tuple(p.citation for p in argued.provisions),
        provisions=argued.provisions,
        suggestions=tuple(
            content.model_suggestions(
                clue.model_id,
                subject=subject,
                period=figures.cn_period(clue.period) if clue.period else "",
                target_agency=addressee,
            )
        ),
        issued=issued,
        reply_due=reply_due(issued, urgent),
        urgent=urgent,
        objection_note=content.objection_note(),
        warnings=(*stated.warnings, *argued.warnings),
    )


def _spec(catalog: Catalog | None, model_id: str) -> ModelSpec | None:
    """The model's spec when the catalogue still has it (a retired custom model may be gone)."""
    model = (catalog or Catalog.load()).models.get(model_id)
    return model.spec if model else None


def _dataset_titles(spec: ModelSpec | None) -> str:
    if spec is None:
        return "共享"
    known = datasets()
    return "、".join(f"“{known[name].title}”" for name in spec.datasets if name in known)


def _evidence_line(row: EvidenceView) -> EvidenceLine:
    """An evidence row in the table: dataset title, file, row and its first readable fields."""
    known = datasets().get(row.dataset)
    titles = {f.name: f.title for f in known.fields} if known else {}
    shown = [
        f"{titles.get(name, name)}：{_fmt(value)}"
        for name, value in row.values.items()
        if value not in (None, "") and not name.startswith("_")
    ][:SUMMARY_FIELDS]
    return EvidenceLine(known.title if known else row.dataset, row.file, row.row, "；".join(shown))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)
