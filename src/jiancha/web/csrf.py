"""CSRF protection: one random token per session, checked on every unsafe request.

Forms carry it in a hidden ``csrf_token`` field, scripts in the ``X-CSRF-Token``
header. Requests authenticated by a bearer token carry no ambient credential a
foreign site could ride on, so they need none.
"""

from __future__ import annotations

import secrets

from fastapi import Request

from jiancha.errors import AccessDenied
from jiancha.i18n import tr

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(request: Request) -> str:
    """This session's token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """Router dependency: refuse an unsafe request whose token is missing or wrong."""
    if request.method in SAFE_METHODS or request.headers.get("authorization", "").startswith("Bearer "):
        return
    supplied = request.headers.get("x-csrf-token")
    if supplied is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        supplied = (await request.form()).get("csrf_token")
    expected = request.session.get("csrf")
    if not expected or not isinstance(supplied, str) or not secrets.compare_digest(supplied, expected):
        raise CsrfError(
            tr(
                "表单已过期或来源不明（CSRF 校验失败）；请刷新页面后重试。",
                "The form has expired or did not come from this site (CSRF check failed); "
                "reload the page and try again.",
            )
        )


class CsrfError(AccessDenied):
    """The request's CSRF token is missing or does not match the session."""
