"""Draft and issue a procuratorial suggestion (检察建议书) from a clue.

Issuing is one act: the document gets the next free number of its office, kind
and year, the clue moves to ``suggestion_issued`` and the reply clock starts: two
months; when urgent, 15 days for a 公益诉讼 suggestion and the prosecutor's date for
the other kinds (see :func:`jiancha.clues.workflow.reply_due`). The file is written
only once the store has accepted the transition, so a refused action leaves no stray
document behind.

A provision the catalogue marks unverified never reaches an issued letter unnoticed: drafting
lists those the letter would cite, and they are cited only when the prosecutor confirms it
(``confirm_unverified``), which the store audits with the issue; otherwise they are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from jiancha.clues.store import ClueStore
from jiancha.clues.views import ClueDetail
from jiancha.clues.workflow import reply_due as workflow_reply_due
from jiancha.clues.workflow import status_title
from jiancha.contracts import datasets
from jiancha.documents import content, figures
from jiancha.documents.evidence_list import evidence_items
from jiancha.documents.facts import state_facts
from jiancha.documents.reasons import Argued, argue, cited_keys
from jiancha.documents.suggestion_docx import SuggestionDraft, render_suggestion
from jiancha.errors import WorkflowError
from jiancha.findings import DataLoad
from jiancha.formatting import cn_date
from jiancha.law import LawCatalogue, Provision, UnknownProvision, builtin_catalogue, catalogue_for
from jiancha.models.catalog import Catalog
from jiancha.models.spec import ModelSpec

ISSUE_ACTION = "issue_suggestion"
NUMBER_ATTEMPTS = 3  # numbers drawn before giving up when others keep taking them first


@dataclass(frozen=True)
class IssuedSuggestion:
    """What issuing produced: the file, its number and the reply deadline."""

    path: Path
    document_no: str
    reply_due: date
    warnings: tuple[str, ...] = ()  # what the text lacks (data not provided, a provision not found)
    unverified: tuple[Provision, ...] = ()  # unverified provisions the letter would cite
    confirmed: bool = False  # whether they were cited (confirmed and audited) or left out


@dataclass(frozen=True)
class DraftedSuggestion:
    """A draft written for review, and what the prosecutor should complete before issuing it."""

    path: Path
    warnings: tuple[str, ...] = ()
    unverified: tuple[Provision, ...] = ()  # unverified provisions the letter would cite
    confirmed: bool = False  # whether the draft cites them (as issuing with confirmation would)


def issue_suggestion(
    store: ClueStore,
    clue_id: str,
    user: str,
    output: Path,
    *,
    urgent: bool = False,
    kind: str | None = None,
    reply_by: date | None = None,
    confirm_unverified: bool = False,
    catalog: Catalog | None = None,
) -> IssuedSuggestion:
    """Number, record and write the suggestion for a clue whose case has been filed.

    ``reply_by``: the reply date the prosecutor sets for an urgent suggestion that is not a
    公益诉讼 one (refused otherwise, as a past date is). ``confirm_unverified``: the prosecutor
    has checked the unverified provisions the letter cites and confirms citing them (audited
    with the user and the provision keys); without it they are left out of the letter.
    """
    basis = _Basis.of(store, clue_id, user, _Terms(kind, urgent, reply_by, confirm_unverified), catalog)
    if ISSUE_ACTION not in basis.detail.allowed_actions:
        raise WorkflowError(
            f"线索 {clue_id} 当前状态为“{status_title(basis.detail.clue.status)}”，"
            "只有已立案的线索才能制发检察建议；请先完成初核、审查和立案。"
        )
    worded = basis.draft("")  # the wording does not depend on the number, which comes next
    confirmed = tuple(p.key for p in worded.unverified) if confirm_unverified else ()
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
                kind=basis.kind.name,
                reply_by=reply_by,
                confirmed_provisions=confirmed,
                on=basis.issued,
            )
            break
        except WorkflowError:
            # Someone issued this number between our read and our write: take the next one.
            if number not in store.document_numbers(number):
                raise
    else:
        raise WorkflowError(f"连续 {NUMBER_ATTEMPTS} 次取得的文号都已被占用；请稍后重试。")
    draft = replace(worded, number=number)
    path = render_suggestion(draft, output)
    return IssuedSuggestion(
        path, number, draft.reply_due, draft.warnings, draft.unverified, confirm_unverified
    )


def draft_suggestion(
    store: ClueStore,
    clue_id: str,
    user: str,
    output: Path,
    *,
    urgent: bool = False,
    kind: str | None = None,
    reply_by: date | None = None,
    confirm_unverified: bool = False,
    catalog: Catalog | None = None,
) -> DraftedSuggestion:
    """A draft for review before issue: same text, number left blank, the clue untouched.

    The reply terms are checked as issuing would check them, so a draft never promises a
    deadline the store would refuse; it cites the unverified provisions only with
    ``confirm_unverified``, as the issued letter would, and lists them either way.
    """
    basis = _Basis.of(store, clue_id, user, _Terms(kind, urgent, reply_by, confirm_unverified), catalog)
    office, year = basis.detail.clue.office, basis.issued.year
    number = content.document_number(office, basis.kind, year, 0).replace("0号", "　号（草稿）")
    draft = basis.draft(number)
    path = render_suggestion(draft, output)
    return DraftedSuggestion(path, draft.warnings, draft.unverified, confirm_unverified)


def unverified_by_kind(
    store: ClueStore, detail: ClueDetail, kinds: Iterable[str], *, catalog: Catalog | None = None
) -> dict[str, tuple[Provision, ...]]:
    """For the issue form: per kind, the unverified provisions a letter of that kind would cite.

    Found from the keys the reasons quote (:func:`~jiancha.documents.reasons.cited_keys`), without
    wording a draft, since the clue page shows them on every view; a key the catalogue lacks is
    left out here as the letter leaves it out.
    """
    spec = _spec(catalog, detail.clue.model_id)
    law = catalogue_for(store)
    found: dict[str, tuple[Provision, ...]] = {}
    for name in kinds:
        provisions = []
        for key in cited_keys(spec, detail.details, content.kind(name)):
            try:
                provisions.append(law.get(key))
            except UnknownProvision:
                continue
        found[name] = tuple(p for p in provisions if not p.verified)
    return found


def _default_kind(spec: ModelSpec | None, model_id: str) -> content.Kind:
    return content.default_kind(spec.business_line if spec else None, model_id)


def _unverified(argued: Argued) -> tuple[Provision, ...]:
    return tuple(p for p in argued.provisions if not p.verified)


@dataclass(frozen=True)
class _Terms:
    """What the prosecutor chose: the kind (None: the model's default), urgency, a reply date,
    and whether unverified provisions are to be cited."""

    kind: str | None
    urgent: bool
    reply_by: date | None
    confirm_unverified: bool = False


@dataclass(frozen=True)
class _Basis:
    """What both a draft and an issued suggestion are worded from."""

    detail: ClueDetail
    spec: ModelSpec | None
    kind: content.Kind
    issued: date
    terms: _Terms
    reply_due: date
    loads: dict[str, DataLoad]
    law: LawCatalogue

    @classmethod
    def of(cls, store: ClueStore, clue_id: str, user: str, terms: _Terms, catalog: Catalog | None) -> _Basis:
        detail = store.get_clue(clue_id, user)
        spec = _spec(catalog, detail.clue.model_id)
        chosen = content.kind(terms.kind) if terms.kind else _default_kind(spec, detail.clue.model_id)
        issued = store.today()
        due = workflow_reply_due(issued, terms.urgent, kind=chosen.name, due=terms.reply_by)
        loads = store.run_loads(detail.last_run_id)
        return cls(detail, spec, chosen, issued, terms, due, loads, catalogue_for(store))

    def draft(self, number: str) -> SuggestionDraft:
        return build_draft(
            self.detail,
            self.spec,
            self.kind,
            number,
            self.issued,
            urgent=self.terms.urgent,
            reply_due=self.reply_due,
            loads=self.loads,
            law=self.law,
            cite_unverified=self.terms.confirm_unverified,
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
    reply_due: date | None = None,
    loads: Mapping[str, DataLoad] | None = None,
    law: LawCatalogue | None = None,
    cite_unverified: bool = False,
) -> SuggestionDraft:
    """Word the suggestion from the clue: facts and reasons from the model's templates and the catalogue.

    ``reply_due``: as the store settled it (default: the kind's period from ``issued``);
    ``loads``: the loads the evidence came from (the attachment names them when given).
    The reasons are argued over the whole catalogue first, to learn which unverified provisions
    they would quote; unless ``cite_unverified``, they are argued again without those.
    """
    clue = detail.clue
    due = reply_due or workflow_reply_due(issued, urgent, kind=kind.name)
    addressee = clue.target_agency or (spec.addressee.zh if spec else "有关行政机关")
    context, stated = state_facts(detail, spec)
    catalogue = law or builtin_catalogue()
    argued = argue(context, spec, kind, catalogue)
    unverified = _unverified(argued)
    if unverified and not cite_unverified:
        argued = argue(context, spec, kind, catalogue, leave_out=frozenset(p.key for p in unverified))
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
        reasons=argued.paragraphs,
        suggestions=tuple(
            content.model_suggestions(
                clue.model_id,
                spec.reasons.case_of(detail.details) if spec and spec.reasons else None,
                subject=subject,
                period=figures.cn_period(clue.period) if clue.period else "",
                target_agency=addressee,
            )
        ),
        issued=issued,
        reply_due=due,
        reply_term=content.reply_term(kind, urgent, cn_date(due)),
        objection_note=content.objection_note(),
        attachment=evidence_items(detail.evidence, loads or {}),
        warnings=(*stated.warnings, *argued.warnings),
        unverified=unverified,
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
