"""The app factory: one FastAPI app serving pages and the JSON API over one clue store.

The app reads only the clue store (SQLite or PostgreSQL), never the DuckDB
lake, so it can stay up while ``jiancha ingest`` and ``jiancha run`` write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from jiancha.clues.masking import mask_logs
from jiancha.clues.store import ClueStore
from jiancha.models.catalog import Catalog
from jiancha.web import errors, limits
from jiancha.web.config import WebConfig
from jiancha.web.headers import SecurityHeadersMiddleware
from jiancha.web.language import LanguageMiddleware
from jiancha.web.maps import office_areas
from jiancha.web.openapi import documenting_local_times
from jiancha.web.routes import api, auth, pages, readings
from jiancha.web.templating import templates
from jiancha.web.tokens import TokenSigner
from jiancha.workspace import Workspace

SESSION_COOKIE = "jiancha_session"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Give page and API handlers ``config.threads`` threads (anyio's default is 40).

    Handlers are CPU-bound Python holding one GIL: forty of them in one process only take
    turns, and at 20 concurrent clients their switching cost a third of each request.
    Requests beyond the limit wait in the event loop, which costs nothing.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.config.threads
    yield


def create_app(config: WebConfig, store: ClueStore | None = None) -> FastAPI:
    """Build the app; ``store`` may be passed in by tests that already hold one."""
    app = FastAPI(
        lifespan=_lifespan,
        dependencies=[Depends(limits.enforce)],
        title="jiancha API",
        description="检察 jiancha 数字法律监督平台的 JSON 接口 (the same data and actions as the pages).",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.config = config
    app.openapi = documenting_local_times(app.openapi)  # type: ignore[method-assign]
    mask_logs("uvicorn", "uvicorn.access", "uvicorn.error")
    seal = config.workspace.audit_seal() if config.workspace else None
    app.state.store = store or ClueStore(config.store_url, seal=seal)
    app.state.tokens = TokenSigner(config.secret_key, config.token_max_age)
    app.state.catalog = Catalog.load()
    app.state.areas = office_areas(app.state.store.router)
    app.state.limiter = limits.RateLimiter(config.rate_limits)
    # Innermost first: an unexpected error becomes a 500 that still passes the session,
    # language and security-header middleware on its way out.
    app.add_middleware(limits.BodyLimit)
    app.add_middleware(errors.UnexpectedErrors, templates=templates)
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=config.session_max_age,
        same_site="lax",
        https_only=config.https_only,
    )
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, https_only=config.https_only)
    static_dir = resources.files("jiancha.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")
    errors.install(app, templates)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(readings.router)
    app.include_router(api.router)
    return app


def app_from_environment() -> FastAPI:
    """The app for the workspace named by JIANCHA_HOME: the factory each uvicorn worker calls.

    ``jiancha serve --workers N`` sets JIANCHA_HOME and runs N worker processes of it;
    a deployment may also run ``uvicorn --factory jiancha.web.app:app_from_environment``.
    """
    return create_app(WebConfig.for_workspace(Workspace.resolve()))
