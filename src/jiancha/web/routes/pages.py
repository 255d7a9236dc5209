"""The server-rendered pages. Each handler parses the request, calls one service function, renders."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jiancha.clues import ClueFilter, ClueView
from jiancha.clues.workflow import parse_reply_date
from jiancha.display import subject_name
from jiancha.i18n import tr
from jiancha.web import labels, service, suggestions, users
from jiancha.web.access import Role, handles_clue
from jiancha.web.auth import CurrentUser
from jiancha.web.charts import dashboard_charts
from jiancha.web.csrf import csrf_protect
from jiancha.web.gaps import cached_gaps
from jiancha.web.maps import subject_point
from jiancha.web.params import clue_filter
from jiancha.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
PAGE_SIZE = 50


def _render(request: Request, name: str, nav: str, **ctx: object) -> Response:
    return templates.TemplateResponse(request, name, {"nav": nav, "labels": labels, **ctx})


@router.get("/")
def dashboard_page(request: Request, user: CurrentUser) -> Response:
    if user.role is Role.DATA_OFFICER:
        return RedirectResponse("/models", status_code=303)
    store = request.app.state.store
    data = service.dashboard(store, user)
    scope = tr("全部检察院", "all offices") if user.office_scope is None else user.office_scope
    titles = labels.model_titles(request.app.state.catalog)
    return _render(
        request,
        "dashboard.html",
        "dashboard",
        scope=scope,
        total=data.total,
        charts=dashboard_charts(data, titles),
        funnel=data.funnel,
        overdue=data.overdue,
        titles=titles,
        coverage_gaps=cached_gaps(request.app.state.config.workspace, store.today()),
    )


@router.get("/clues")
def clues_page(
    request: Request, user: CurrentUser, flt: Annotated[ClueFilter, Depends(clue_filter)], page: int = 1
) -> Response:
    store = request.app.state.store
    result = service.list_clues(store, user, flt, max(page, 1), PAGE_SIZE)
    params = {k: v for k, v in request.query_params.items() if k not in ("page", "lang") and v}

    def pager_url(n: int) -> str:
        return "/clues?" + urlencode({**params, "page": n})

    choices = {
        "models": labels.model_choices(request.app.state.catalog),
        "statuses": labels.status_choices(),
        "severities": labels.severity_choices(),
        "offices": [o.name for o in store.router.offices] if user.office_scope is None else [],
    }
    filters = {**vars(flt), "q": flt.text}
    return _render(
        request,
        "clues.html",
        "clues",
        page=result,
        rows=_list_rows(result.items, choices, store.today()),
        filters=filters,
        choices=choices,
        pager_url=pager_url,
    )


def _list_rows(clues: tuple[ClueView, ...], choices: dict, today: date) -> list[tuple]:
    """Each clue with its model, severity and status titles and whether it is overdue.

    Worked out here once per page rather than by calls from the template, which cost
    more than the rest of a row's rendering.
    """
    severities, statuses = dict(choices["severities"]), dict(choices["statuses"])
    titles = dict(choices["models"])
    return [
        (
            c,
            titles.get(c.model_id, c.model_id),
            severities.get(c.severity, c.severity),
            statuses.get(c.status, c.status),
            service.is_overdue(c, today),
        )
        for c in clues
    ]


@router.get("/clues/{clue_id}")
def clue_page(request: Request, user: CurrentUser, clue_id: str, notice: str | None = None) -> Response:
    store = request.app.state.store
    detail = service.clue_detail(store, user, clue_id)
    clue = detail.clue
    may_issue = service.may_issue(detail)
    form = suggestions.form(store, request.app.state.catalog, detail, issuing=may_issue)
    catalog = request.app.state.catalog
    return _render(
        request,
        "clue.html",
        "clues",
        clue=clue,
        model_title=labels.model_title(catalog, clue.model_id),
        subject_name=subject_name(detail.details),
        routing_note=detail.routing_note,
        details=labels.detail_rows(catalog, clue.model_id, detail.details),
        evidence=detail.evidence,
        history=detail.history,
        suggestions=detail.suggestions,
        overdue=service.is_overdue(clue, store.today()),
        masked=any(e.masked for e in detail.evidence),
        notice=notice,
        can_act=handles_clue(user, clue.office),
        actions=service.actions_of(detail),
        may_issue=may_issue,
        suggestion_form=form,
        suggestion_kinds=dict(form.kinds),
        today=store.today().isoformat(),
        documents=suggestions.stored(request.app.state.config, clue.id, detail.suggestions),
        offices=[o.name for o in store.router.offices],
        areas=request.app.state.areas,
        subject=subject_point(detail),
        provisions=service.provisions(request.app.state.catalog, store, clue.model_id),
        legal_basis_fallback=clue.legal_basis,
    )


def _back(clue_id: str, notice: str) -> Response:
    return RedirectResponse(f"/clues/{clue_id}?{urlencode({'notice': notice})}", status_code=303)


@router.post("/clues/{clue_id}/actions/{action}")
def clue_action(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    action: str,
    reason: Annotated[str, Form()] = "",
) -> Response:
    view = service.act(request.app.state.store, user, clue_id, action, reason)
    return _back(
        clue_id,
        tr(f"已办理，当前状态：{labels.status(view.status)}", f"Done; now {labels.status(view.status)}"),
    )


@router.post("/clues/{clue_id}/suggestion")
def clue_suggestion(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    kind: Annotated[str, Form()] = "",
    urgent: Annotated[bool, Form()] = False,
    reply_by: Annotated[str, Form()] = "",
    confirm_unverified: Annotated[bool, Form()] = False,
) -> Response:
    state = request.app.state
    issued = suggestions.issue(
        state.store,
        state.config,
        state.catalog,
        user,
        clue_id,
        urgent=urgent,
        kind=kind,
        reply_by=parse_reply_date(reply_by),
        confirm_unverified=confirm_unverified,
    )
    return _back(clue_id, suggestions.issued_notice(issued))


@router.get("/clues/{clue_id}/suggestion/draft")
def clue_suggestion_draft(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    kind: str = "",
    urgent: bool = False,
    reply_by: str = "",
    confirm_unverified: bool = False,
) -> Response:
    state = request.app.state
    return suggestions.draft(
        state.store,
        state.catalog,
        user,
        clue_id,
        urgent=urgent,
        kind=kind,
        reply_by=parse_reply_date(reply_by),
        confirm_unverified=confirm_unverified,
    )


@router.post("/clues/{clue_id}/suggestion/draft")
def clue_suggestion_draft_of_form(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    kind: Annotated[str, Form()] = "",
    urgent: Annotated[bool, Form()] = False,
    reply_by: Annotated[str, Form()] = "",
    confirm_unverified: Annotated[bool, Form()] = False,
) -> Response:
    """The suggestion form's draft button: a draft of what the form would issue (its terms, its citations)."""
    return clue_suggestion_draft(request, user, clue_id, kind, urgent, reply_by, confirm_unverified)


@router.get("/clues/{clue_id}/suggestions/{document_no}")
def clue_suggestion_file(request: Request, user: CurrentUser, clue_id: str, document_no: str) -> Response:
    state = request.app.state
    return suggestions.document(state.store, state.config, user, clue_id, document_no)


@router.post("/clues/{clue_id}/assign")
def clue_assign(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    assignee: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    view = service.assign(request.app.state.store, user, clue_id, assignee.strip() or None, reason)
    return _back(clue_id, tr(f"已指派给 {view.assigned_to}", f"Assigned to {view.assigned_to}"))


@router.post("/clues/{clue_id}/move")
def clue_move(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    office: Annotated[str, Form()],
    reason: Annotated[str, Form()],
) -> Response:
    view = service.move(request.app.state.store, user, clue_id, office, reason)
    return _back(clue_id, tr(f"已移送 {view.office}", f"Moved to {view.office}"))


@router.get("/notifications")
def notifications_page(request: Request, user: CurrentUser, since: date | None = None) -> Response:
    store = request.app.state.store
    day = service.digest_since(store, since)
    return _render(
        request,
        "notifications.html",
        "notifications",
        digests=service.digests(store, user, day),
        since=day,
        model_titles=labels.model_titles(request.app.state.catalog),
    )


@router.get("/models")
def models_page(request: Request, user: CurrentUser) -> Response:
    models = list(request.app.state.catalog.models.values())
    funnel = service.effectiveness(request.app.state.store)
    return _render(request, "models.html", "models", models=models, funnel=funnel)


@router.get("/models/{model_id}")
def model_page(request: Request, user: CurrentUser, model_id: str) -> Response:
    store = request.app.state.store
    model = service.model(request.app.state.catalog, model_id)
    funnel = service.effectiveness(store).get(model_id)
    return _render(
        request,
        "model.html",
        "models",
        model=model,
        funnel=funnel,
        runs=service.model_runs(store, model_id),
        provisions=service.provisions(request.app.state.catalog, store, model_id),
    )


@router.get("/datasets")
def datasets_page(request: Request, user: CurrentUser, dataset: str | None = None) -> Response:
    state = request.app.state
    lineage = service.lineage(state.config, user, state.store.today(), dataset or None)
    return _render(
        request, "datasets.html", "datasets", lineage=lineage, dataset=dataset, coverage_gaps=lineage.gaps
    )


@router.get("/runs")
def runs_page(request: Request, user: CurrentUser) -> Response:
    runs = service.runs(request.app.state.store, user)
    titles = labels.model_titles(request.app.state.catalog)
    return _render(request, "runs.html", "runs", runs=runs, titles=titles)


@router.get("/users")
def users_page(request: Request, user: CurrentUser, notice: str | None = None) -> Response:
    store = request.app.state.store
    rows = users.accounts(store, user)
    offices = [o.name for o in store.router.offices]
    return _render(
        request, "users.html", "users", accounts=rows, roles=list(Role), offices=offices, notice=notice
    )


@router.post("/users")
def users_add(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    office: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    users.create_account(request.app.state.store, user, name, role, office, password)
    notice = tr(f"已添加用户 {name}", f"Added user {name}")
    return RedirectResponse(f"/users?{urlencode({'notice': notice})}", status_code=303)


@router.post("/users/{name}/active")
def users_active(request: Request, user: CurrentUser, name: str, active: Annotated[bool, Form()]) -> Response:
    users.set_active(request.app.state.store, user, name, active)
    return RedirectResponse("/users", status_code=303)
