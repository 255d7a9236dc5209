"""The needs-reading page: figures in penalty decisions the reader could not settle, and the decide form.

Clue readers (prosecutors, leadership, administrators) see the queue; prosecutors decide
(``jiancha.web.access``). A decision is recorded and audited by the store, and the next
``jiancha run`` applies it. The queue names decisions, not offices: a doubt raises no clue,
so it is routed nowhere yet.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.text.queue import FIELD_UNITS, figure_text
from jiancha.web import labels
from jiancha.web.access import require_clue_reader, require_prosecutor
from jiancha.web.auth import CurrentUser
from jiancha.web.csrf import csrf_protect
from jiancha.web.routes.pages import PAGE_SIZE
from jiancha.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.get("/readings")
def readings_page(
    request: Request,
    user: CurrentUser,
    status: str | None = "open",
    notice: str | None = None,
    page: int = 1,
) -> Response:
    """One page of the queue (read as one page from the store, never the whole queue)."""
    require_clue_reader(user)
    store = request.app.state.store
    page = max(page, 1)
    total = store.readings_count(status or None)
    items = store.readings(status or None, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))

    def pager_url(n: int) -> str:
        return "/readings?" + urlencode({"status": status or "", "page": n})

    return templates.TemplateResponse(
        request,
        "readings.html",
        {"nav": "readings", "labels": labels, "items": items, "status": status or "", "units": FIELD_UNITS,
         "notice": notice, "can_decide": user.role.value == "prosecutor",
         "page": page, "pages": pages, "total": total, "pager_url": pager_url, "figure_text": figure_text},
    )  # fmt: skip


@router.post("/readings/{reading_id}/decide")
def readings_decide(
    request: Request,
    user: CurrentUser,
    reading_id: str,
    reason: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    none: Annotated[bool, Form()] = False,
) -> Response:
    require_prosecutor(user)
    figure: float | None = None
    if not none:
        try:
            figure = float(value.strip())
        except ValueError as exc:
            raise JianchaError(
                tr(f"认定的数量“{value}”不是数字；或勾选“无可计入的数量”。",
                   f"The figure “{value}” is not a number; or tick “no figure to count”.")
            ) from exc  # fmt: skip
    item = request.app.state.store.decide_reading(reading_id, figure, reason, user.name)
    notice = tr(
        f"已认定 {item.decision_no}，下次运行时生效。",
        f"Decided for {item.decision_no}; the next run applies it.",
    )
    return RedirectResponse(f"/readings?{urlencode({'notice': notice})}", status_code=303)
