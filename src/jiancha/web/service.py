"""What pages and API routes call: the store's operations with the access rules applied.

Each function takes the signed-in user first, checks the right, narrows the
query to what the user may see, and returns the store's plain views; so the
HTML page and its JSON twin can never disagree about who sees what.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from jiancha.clues import ClueDetail, ClueFilter, ClueStore, ClueView, Dashboard, Page
from jiancha.clues.digest import Digest
from jiancha.clues.masking import mask_value
from jiancha.clues.views import FunnelRow, RunView
from jiancha.clues.workflow import ACTIONS, OPEN_STATUSES, Action
from jiancha.contracts import datasets
from jiancha.documents.suggestion import ISSUE_ACTION
from jiancha.errors import JianchaError, WorkflowError
from jiancha.i18n import tr
from jiancha.law import Provision, catalogue_for
from jiancha.models.catalog import Catalog, Model
from jiancha.web.access import (
    Principal,
    handles_clue,
    require_clue_actor,
    require_clue_reader,
    require_clue_visible,
    require_data_reader,
    require_prosecutor,
)
from jiancha.web.config import WebConfig
from jiancha.web.errors import NotFound
from jiancha.web.lineage import Lineage, read_lineage

COUNT_LIMIT = 10_000


def list_clues(store: ClueStore, user: Principal, flt: ClueFilter, page: int, size: int) -> Page:
    """A page of the clues the user may see: a prosecutor's filter is pinned to their office.

    The total is counted up to :data:`COUNT_LIMIT` ("10,000+" beyond): an exact count of a
    large office on every page load was most of the list's cost.
    """
    require_clue_reader(user)
    if user.office_scope is not None:
        flt = replace(flt, office=user.office_scope)
    return store.list_clues(flt, page, size, count_limit=COUNT_LIMIT)


def clue_detail(store: ClueStore, user: Principal, clue_id: str) -> ClueDetail:
    """One clue, masked unless the user handles it (an unmasked read is audited by the store)."""
    require_clue_reader(user)
    masked = store.get_clue(clue_id, user.name, unmask=False)
    require_clue_visible(user, masked.clue.office)
    if handles_clue(user, masked.clue.office):
        return store.get_clue(clue_id, user.name, unmask=True)
    return replace(masked, details=_masked_details(masked.details))


def _masked_details(details: dict[str, Any]) -> dict[str, Any]:
    """A model may copy a personal column (an ID number) into a clue's details: mask it there too."""
    personal = {f.name for ds in datasets().values() for f in ds.fields if f.personal}
    return {k: mask_value(v) if k in personal else v for k, v in details.items()}


def require_actor(store: ClueStore, user: Principal, clue_id: str) -> None:
    """Only a prosecutor of the clue's own office may change it."""
    require_prosecutor(user)
    require_clue_actor(user, store.get_clue(clue_id, user.name, unmask=False).clue.office)


def act(store: ClueStore, user: Principal, clue_id: str, action: str, reason: str) -> ClueView:
    """Take a workflow action (the store refuses actions the clue's state does not allow).

    Issuing a suggestion is not one of them here: it must number and write the document too,
    which the suggestion form does (``jiancha.web.suggestions.issue``).
    """
    require_actor(store, user, clue_id)
    if action == ISSUE_ACTION:
        raise WorkflowError(
            tr(
                f"线索 {clue_id} 的检察建议请用“制发检察建议书”表单制发（自动编文号并生成文书）。",
                f"Issue clue {clue_id}'s suggestion with the suggestion form, which numbers and "
                "writes the document.",
            )
        )
    return store.transition(clue_id, action, user.name, reason)


def assign(store: ClueStore, user: Principal, clue_id: str, assignee: str | None, reason: str) -> ClueView:
    require_actor(store, user, clue_id)
    return store.assign(clue_id, assignee, user.name, reason)


def move(store: ClueStore, user: Principal, clue_id: str, office: str, reason: str) -> ClueView:
    require_actor(store, user, clue_id)
    return store.move(clue_id, office, user.name, reason)


def dashboard(store: ClueStore, user: Principal) -> Dashboard:
    """The dashboard's aggregates: a prosecutor's count only their own office's clues."""
    require_clue_reader(user)
    return store.dashboard(user.office_scope)


#: How far back the notifications page looks when no day is given.
DIGEST_DAYS = 7


def digest_since(store: ClueStore, since: date | None) -> date:
    """The first day the notifications page reports: the given one, else a week before today."""
    return since or store.today() - timedelta(days=DIGEST_DAYS)


def digests(store: ClueStore, user: Principal, since: date) -> list[Digest]:
    """The user's clue news since ``since``: a prosecutor's only their own office's (as ``jiancha notify``
    cuts each recipient's), the leadership's and administrators' every office's."""
    require_clue_reader(user)
    return store.digests(datetime.combine(since, datetime.min.time()), user.office_scope)


def runs(store: ClueStore, user: Principal, limit: int = 50) -> tuple[RunView, ...]:
    require_data_reader(user)
    return store.runs(limit)


def lineage(config: WebConfig, user: Principal, today: date, dataset: str | None = None) -> Lineage:
    """Datasets, load history, rejections and stopped feeds, read from the lake for this request only."""
    require_data_reader(user)
    if config.workspace is None:
        return Lineage(
            unavailable=tr(
                "此网页端未关联工作区，无法读取数据接入记录；请用 jiancha serve 启动。",
                "This web app has no workspace, so the load history cannot be read; "
                "start it with jiancha serve.",
            )
        )
    return read_lineage(config.workspace, today, dataset)


def model(catalog: Catalog, model_id: str) -> Model:
    """One model of the catalogue (every role may read models: they hold no case data)."""
    if model_id not in catalog.models:
        raise NotFound(tr(f"没有编号为 {model_id} 的模型。", f"There is no model {model_id}."))
    return catalog.models[model_id]


def provisions(catalog: Catalog, store: ClueStore, model_id: str) -> list[Provision]:
    """The provisions a model cites, from the workspace's catalogue; none when the model is gone
    (the page then shows the citations the clue stored)."""
    model = catalog.models.get(model_id)
    if model is None:
        return []
    try:
        return model.provisions(catalogue_for(store))
    except JianchaError:  # a key nobody entered: `models validate` names it; the page shows the clue's text
        return []


def effectiveness(store: ClueStore) -> dict[str, FunnelRow]:
    """Model id → its clue → case → suggestion → rectified counts (aggregates, no case data)."""
    return {row.model_id: row for row in store.funnel()}


def model_runs(store: ClueStore, model_id: str, limit: int = 50) -> list[tuple[RunView, dict]]:
    """The latest runs that ran ``model_id``, each with that model's outcome."""
    return [(run, m) for run in store.runs(limit) for m in run.models if m["model_id"] == model_id]


def actions_of(detail: ClueDetail) -> list[Action]:
    """The workflow actions the clue's state allows, in workflow order (the page's buttons).

    Issuing a suggestion has its own form (kind, urgency, the document), so it is not listed.
    """
    return [ACTIONS[name] for name in detail.allowed_actions if name != ISSUE_ACTION]


def may_issue(detail: ClueDetail) -> bool:
    """Whether the clue's state allows issuing its suggestion now."""
    return ISSUE_ACTION in detail.allowed_actions


def is_overdue(clue: ClueView, today: date) -> bool:
    """An open clue past its deadline (the store's dashboard uses the same rule)."""
    return clue.status in OPEN_STATUSES and clue.due_on is not None and clue.due_on < today
