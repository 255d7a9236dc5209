"""Who is asking: the session cookie (pages, and scripts in the browser) or a bearer token (API clients).

The user is looked up in the store on every request, so a changed role or a
deactivated account takes effect at once. Both kinds of session are held by the client,
so each carries the user's session generation from when it was issued; a request whose
generation is older than the stored one (the user signed out, changed the password or was
disabled since) is refused as not signed in (ASVS 3.3.1, 3.3.3).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from jiancha.i18n import tr
from jiancha.web.access import Principal, Role
from jiancha.web.errors import NotAuthenticated
from jiancha.web.tokens import TokenSigner

SESSION_USER = "user"
SESSION_GENERATION = "generation"


def principal_of(user: object) -> Principal:
    """The store's user row as the access rules see it."""
    return Principal(
        name=user.name, role=Role(user.role), office=user.office or "", generation=user.session_generation
    )


def claimed(request: Request) -> tuple[str, int] | None:
    """Who the request says it is, and the session generation it carries; not yet checked against the store.

    A bearer token wins over the cookie. A session from before generations existed counts as 0.
    """
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer "):
        signer: TokenSigner = request.app.state.tokens
        return signer.claim(header.removeprefix("Bearer ").strip())
    name = request.session.get(SESSION_USER)
    generation = request.session.get(SESSION_GENERATION, 0)
    return (name, generation) if isinstance(name, str) and isinstance(generation, int) else None


def start_session(request: Request, user: Principal) -> None:
    """Sign ``user`` in here: a fresh session (so a fresh CSRF token) stamped with the generation."""
    request.session.clear()
    request.session[SESSION_USER] = user.name
    request.session[SESSION_GENERATION] = user.generation


def current_user(request: Request) -> Principal:
    """Dependency: the active user of a current session; NotAuthenticated (401 / login page) otherwise."""
    claim = claimed(request)
    user = request.app.state.store.get_user(claim[0]) if claim else None
    if user is None or not user.active or user.session_generation != claim[1]:
        request.session.pop(SESSION_USER, None)
        raise NotAuthenticated(
            tr(
                "未登录或登录已过期；请先登录（网页）或在 Authorization 头中提供有效令牌（接口）。",
                "Not signed in or the sign-in has expired; sign in (pages) or send a valid "
                "token in the Authorization header (API).",
            )
        )
    principal = principal_of(user)
    request.state.user = principal
    return principal


CurrentUser = Annotated[Principal, Depends(current_user)]
