"""The edge where errors become responses: one JSON shape for the API, a page for people.

API errors are always ``{"ok": false, "error": {"code": ..., "message": ...}}``;
``code`` is stable (for scripts), ``message`` a sentence in the user's language.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiancha.clues import ClueNotFound
from jiancha.clues.masking import scrub
from jiancha.errors import AccessDenied, JianchaError, WorkflowError
from jiancha.i18n import tr

log = logging.getLogger(__name__)


class NotAuthenticated(JianchaError):
    """No valid session or bearer token came with the request."""


class NotFound(JianchaError):
    """The clue, dataset, model or run asked for does not exist (or is not the user's to see)."""


class BadRequest(JianchaError):
    """A request parameter is malformed; the message names it and what was expected."""


class TooManyRequests(JianchaError):
    """A client or account went over a rate limit (``jiancha.web.limits``); ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


#: exception class → (HTTP status, stable code); the first match in order wins.
STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (NotAuthenticated, 401, "not_authenticated"),
    (AccessDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (ClueNotFound, 404, "not_found"),
    (WorkflowError, 409, "workflow_conflict"),
    (TooManyRequests, 429, "rate_limited"),
    (BadRequest, 400, "bad_request"),
    (JianchaError, 400, "bad_request"),
)

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    429: "rate_limited",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_body(code: str, message: str) -> dict:
    """The API's one error shape."""
    return {"ok": False, "error": {"code": code, "message": message}}


def respond(
    templates: Jinja2Templates,
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as the API's JSON shape, the login page (401 on a page) or the error page."""
    message = scrub(message)  # an ID number the user typed or a value an error quoted
    if is_api(request):
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)
    if status == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    ctx = {"status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", ctx, status_code=status, headers=headers)


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    """Register the handlers that translate errors for API clients and for browsers.

    Unexpected exceptions are :class:`UnexpectedErrors`' (a middleware ``create_app`` adds).
    """

    @app.exception_handler(JianchaError)
    async def _project_error(request: Request, exc: JianchaError) -> Response:
        status, code = next((s, c) for cls, s, c in STATUS if isinstance(exc, cls))
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
        return respond(templates, request, status, code, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return respond(templates, request, 422, "invalid_request", _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code
        if exc.status_code == 404:
            message = tr(f"没有这个地址：{request.url.path}。", f"No such address: {request.url.path}.")
        return respond(templates, request, exc.status_code, code, message)


class UnexpectedErrors:
    """Turns an unexpected exception into the 500 of the error shape or page, inside the other middleware.

    Starlette's own catch-all sits outside every middleware, so its responses would miss the
    security headers, the language and the session; this one runs innermost (pure ASGI), so
    a 500 carries them like any other response. The traceback goes only to the log. An
    exception after the response has started cannot become a new response and goes on up.
    """

    def __init__(self, app: ASGIApp, templates: Jinja2Templates) -> None:
        self.app = app
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if started:
                raise
            request = Request(scope, receive)
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            message = tr(
                "服务器内部错误，已记录日志；请联系管理员。",
                "Internal server error; it has been logged. Please contact the administrator.",
            )
            response = respond(self.templates, request, 500, "internal_error", message)
            await response(scope, receive, send)


def _describe(exc: RequestValidationError) -> str:
    """One sentence naming each bad parameter and what was expected."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "form"))
        parts.append(f"{where or tr('请求', 'request')}: {err.get('msg', '')}")
    return tr("请求参数无效——", "Invalid request parameters — ") + "；".join(parts)
