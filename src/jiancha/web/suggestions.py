"""The 检察建议书 from the clue page: issue it (numbered, recorded, written), draft it, download it.

Issued documents are kept in the workspace (``artifacts/suggestions/<文号>.docx``) so that the
clue page can list them and anyone who may read the clue can fetch them again later; drafts are
made on request and never kept, because they change nothing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import quote

from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from jiancha.clues import ClueStore
from jiancha.clues.views import ClueDetail, SuggestionView
from jiancha.documents import content
from jiancha.documents.suggestion import (
    IssuedSuggestion,
    draft_suggestion,
    issue_suggestion,
    unverified_by_kind,
)
from jiancha.errors import WorkspaceError
from jiancha.i18n import tr
from jiancha.law import Provision
from jiancha.models.catalog import Catalog
from jiancha.web import service
from jiancha.web.access import Principal, require_clue_visible
from jiancha.web.config import WebConfig
from jiancha.web.errors import NotFound

UNVERIFIED_HEADER = "X-Unverified-Provisions"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOLDER = "suggestions"
#: Characters some filesystem or archive tool refuses in a name (〔〕 and Chinese are kept).
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


@dataclass(frozen=True)
class SuggestionForm:
    """What the issue form offers: the kinds (name, label), the one the clue's model implies, and
    the unverified provisions the letter would cite (listed beside the box that confirms them),
    as groups of the kinds' labels that would cite the same ones."""

    kinds: tuple[tuple[str, str], ...]
    default: str
    unverified: tuple[tuple[tuple[str, ...], tuple[Provision, ...]], ...] = ()

    @property
    def every_kind(self) -> bool:
        """One group that every kind shares: the form names no kind beside it."""
        return len(self.unverified) == 1 and len(self.unverified[0][0]) == len(self.kinds)


def file_name(document_no: str) -> str:
    """The document number as a file name any filesystem accepts."""
    return UNSAFE.sub("_", document_no).strip("._") + ".docx"


def folder(config: WebConfig) -> Path:
    """Where issued documents are kept; a sentence when the app serves no workspace."""
    if config.workspace is None:
        raise WorkspaceError(
            tr(
                "此网页端未关联工作区，无法保存检察建议书；请用 jiancha serve 启动。",
                "This web app has no workspace to keep suggestions in; start it with jiancha serve.",
            )
        )
    path = config.workspace.artifacts_dir / FOLDER
    path.mkdir(exist_ok=True)
    return path


def form(store: ClueStore, catalog: Catalog, detail: ClueDetail, *, issuing: bool) -> SuggestionForm:
    """The kinds of suggestion, with the clue's model's business line choosing the default; when the
    form is ``issuing``, the unverified provisions a letter of each kind offered would cite (worked
    out from the provision keys alone: no draft is worded for the page)."""
    clue = detail.clue
    model = catalog.models.get(clue.model_id)
    default = content.default_kind(model.spec.business_line if model else None, clue.model_id)
    kinds = tuple((name, content.kind(name).label) for name in content.KINDS)
    if not issuing:
        return SuggestionForm(kinds, default.name)
    by_kind = unverified_by_kind(store, detail, content.KINDS, catalog=catalog)
    groups: dict[tuple[str, ...], tuple[list[str], tuple[Provision, ...]]] = {}
    for name, label in kinds:
        if by_kind[name]:
            keys = tuple(p.key for p in by_kind[name])
            groups.setdefault(keys, ([], by_kind[name]))[0].append(label)
    return SuggestionForm(kinds, default.name, tuple((tuple(labels), p) for labels, p in groups.values()))


def issue(
    store: ClueStore,
    config: WebConfig,
    catalog: Catalog,
    user: Principal,
    clue_id: str,
    *,
    urgent: bool,
    kind: str | None,
    reply_by: date | None = None,
    confirm_unverified: bool = False,
) -> IssuedSuggestion:
    """Issue the suggestion as the clue's prosecutor; the file ends up named after its number.

    The number is known only once the store has given it, so the document is written under a
    temporary name in the same folder and then renamed (atomic, never a half-written file).
    """
    service.require_actor(store, user, clue_id)
    target = folder(config)
    with tempfile.NamedTemporaryFile(dir=target, prefix=".issuing-", suffix=".docx", delete=False) as tmp:
        pending = Path(tmp.name)
    try:
        issued = issue_suggestion(
            store,
            clue_id,
            user.name,
            pending,
            urgent=urgent,
            kind=kind or None,
            reply_by=reply_by,
            confirm_unverified=confirm_unverified,
            catalog=catalog,
        )
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    return replace(issued, path=pending.replace(target / file_name(issued.document_no)))


def draft(
    store: ClueStore,
    catalog: Catalog,
    user: Principal,
    clue_id: str,
    *,
    urgent: bool,
    kind: str | None,
    reply_by: date | None = None,
    confirm_unverified: bool = False,
) -> FileResponse:
    """An unnumbered draft for review (the clue is untouched), removed once it has been sent.

    The unverified provisions the letter would cite travel in the ``X-Unverified-Provisions``
    header (their keys, comma-separated), for API clients that cannot read the form.
    """
    service.require_actor(store, user, clue_id)
    scratch = Path(tempfile.mkdtemp(prefix="jiancha-draft-"))
    try:
        drafted = draft_suggestion(
            store,
            clue_id,
            user.name,
            scratch / "draft.docx",
            urgent=urgent,
            kind=kind or None,
            reply_by=reply_by,
            confirm_unverified=confirm_unverified,
            catalog=catalog,
        )
    except BaseException:
        shutil.rmtree(scratch)
        raise
    name = f"{clue_id}-检察建议书草稿.docx"
    return FileResponse(
        drafted.path,
        media_type=DOCX,
        filename=name,
        headers={UNVERIFIED_HEADER: ",".join(p.key for p in drafted.unverified)},
        background=BackgroundTask(shutil.rmtree, scratch),
    )


def document(
    store: ClueStore, config: WebConfig, user: Principal, clue_id: str, document_no: str
) -> FileResponse:
    """An issued document's file, for whoever may read the clue it belongs to."""
    detail = store.get_clue(clue_id, user.name, unmask=False)
    require_clue_visible(user, detail.clue.office)
    path = folder(config) / file_name(document_no)
    if document_no not in {s.document_no for s in detail.suggestions} or not path.is_file():
        raise NotFound(
            tr(
                f"线索 {detail.clue.id} 没有已保存的检察建议书 {document_no}"
                "（由命令行制发的文书保存在制发时指定的位置）。",
                f"Clue {detail.clue.id} has no stored suggestion {document_no} "
                "(documents issued from the command line are where they were written).",
            )
        )
    return FileResponse(path, media_type=DOCX, filename=path.name)


def issued_notice(issued: IssuedSuggestion) -> str:
    """What the clue page says once a suggestion is issued, including unverified provisions left out."""
    notice = tr(
        f"已制发检察建议书 {issued.document_no}，答复期限 {issued.reply_due:%Y-%m-%d}",
        f"Issued {issued.document_no}; reply due {issued.reply_due:%Y-%m-%d}",
    )
    if issued.unverified and not issued.confirmed:
        left_out = "、".join(p.citation for p in issued.unverified)
        notice += tr(f"；未经核实、未写入文书的条文：{left_out}", f"; unverified, left out: {left_out}")
    return notice


def download_url(clue_id: str, document_no: str, *, api: bool = False) -> str:
    """The GET address of an issued document (page or API flavour)."""
    return f"{'/api' if api else ''}/clues/{clue_id}/suggestions/{quote(document_no, safe='')}"


def stored(config: WebConfig, clue_id: str, suggestions: tuple[SuggestionView, ...]) -> dict[str, str]:
    """Document number → download address, for the clue's suggestions whose file is kept here."""
    if config.workspace is None:
        return {}
    target = config.workspace.artifacts_dir / FOLDER
    return {
        s.document_no: download_url(clue_id, s.document_no)
        for s in suggestions
        if (target / file_name(s.document_no)).is_file()
    }
