"""Who is asking: the session cookie (pages, and scripts in the browser) or a bearer token (API clients).

The user is looked up in the store on every request, so a changed role or a
deactivated account takes effect at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from jiancha.i18n import tr
from jiancha.web.access import Principal, Role
from jiancha.web.errors import NotAuthenticated
from jiancha.web.tokens import TokenSigner


def principal_of(user: object) -> Principal:
    """The store's user row as the access rules see it."""
    return Principal(name=user.name, role=Role(user.role), office=user.office or "")


def _claimed_name(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer "):
        signer: TokenSigner = request.app.state.tokens
        return signer.user_name(header.removeprefix("Bearer ").strip())
    return request.session.get("user")


def current_user(request: Request) -> Principal:
    """Dependency: the signed-in, active user; NotAuthenticated (401 / login page) otherwise."""
    name = _claimed_name(request)
    user = request.app.state.store.get_user(name) if name else None
    if user is None or not user.active:
        request.session.pop("user", None)
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
