"""Sign-in and sign-out for people (session cookie) and for scripts (bearer token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from jiancha.i18n import tr
from jiancha.web.csrf import csrf_protect, csrf_token
from jiancha.web.errors import NotAuthenticated
from jiancha.web.templating import templates
from jiancha.web.users import AccountLocked, authenticate

router = APIRouter()
WRONG = ("用户名或密码不正确。", "Wrong user name or password.")


def _safe_next(target: str) -> str:
    """Only same-site paths, so the login form cannot bounce a user to a foreign site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next), "message": None})


def _refused(request: Request, next: str, message: str) -> Response:
    """The login form again, with the reason (401)."""
    ctx = {"next": _safe_next(next), "message": message}
    return templates.TemplateResponse(request, "login.html", ctx, status_code=401)


@router.post("/login", include_in_schema=False, dependencies=[Depends(csrf_protect)])
def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = authenticate(request.app.state.store, name, password)
    except AccountLocked as locked:
        return _refused(request, next, str(locked))
    if user is None:
        return _refused(request, next, tr(*WRONG))
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session["user"] = user.name
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(csrf_protect)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


class Credentials(BaseModel):
    name: str
    password: str


class Token(BaseModel):
    ok: bool = True
    token: str
    token_type: str = "bearer"
    expires_in: int


@router.post("/api/token", tags=["auth"], summary="换取接口令牌 (exchange a password for a bearer token)")
def issue_token(request: Request, credentials: Credentials) -> Token:
    # A locked account's AccountLocked is a NotAuthenticated: the error shape's 401 with its sentence.
    user = authenticate(request.app.state.store, credentials.name, credentials.password)
    if user is None:
        raise NotAuthenticated(tr(*WRONG))
    signer = request.app.state.tokens
    return Token(token=signer.issue(user.name), expires_in=signer.max_age)
