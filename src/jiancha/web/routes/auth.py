"""Sign-in and sign-out for people (session cookie) and for scripts (bearer token)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from jiancha.errors import AccessDenied, JianchaError
from jiancha.i18n import tr
from jiancha.web.auth import CurrentUser, current_user, principal_of, start_session
from jiancha.web.csrf import csrf_protect, csrf_token
from jiancha.web.errors import NotAuthenticated
from jiancha.web.routes.api import ERRORS
from jiancha.web.templating import templates
from jiancha.web.users import AccountLocked, authenticate, change_own_password

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
    start_session(request, user)
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(csrf_protect)])
def logout(request: Request) -> Response:
    """Sign out everywhere: the user's generation moves on; copied cookies and their tokens stop working."""
    try:
        user = current_user(request)  # a stale copy of the cookie may not sign the user out elsewhere
    except NotAuthenticated:
        user = None
    if user is not None:
        request.app.state.store.end_sessions(user.name)
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


@router.post(
    "/api/token",
    tags=["auth"],
    summary="换取接口令牌 (exchange a password for a bearer token)",
    responses=ERRORS,
)
def issue_token(request: Request, credentials: Credentials) -> Token:
    # A locked account's AccountLocked is a NotAuthenticated: the error shape's 401 with its sentence.
    user = authenticate(request.app.state.store, credentials.name, credentials.password)
    if user is None:
        raise NotAuthenticated(tr(*WRONG))
    signer = request.app.state.tokens
    return Token(token=signer.issue(user.name, user.generation), expires_in=signer.max_age)


class PasswordChange(BaseModel):
    current_password: str
    new_password: str = Field(
        description="至少 12 个字符，不得是常见或泄露的密码 (12+ characters, not a common or breached one)"
    )


@router.post(
    "/api/me/password",
    tags=["auth"],
    summary="修改自己的密码；其他会话与令牌随即失效 (change your password; other sessions and tokens end)",
    dependencies=[Depends(csrf_protect)],
    responses=ERRORS,
)
def change_password(request: Request, user: CurrentUser, body: PasswordChange) -> Token:
    """Change the password and hand back a new token; a browser session is renewed and stays signed in."""
    store = request.app.state.store
    change_own_password(store, user, body.current_password, body.new_password)
    renewed = principal_of(store.get_user(user.name))
    if not request.headers.get("authorization", "").startswith("Bearer "):
        start_session(request, renewed)
    signer = request.app.state.tokens
    return Token(token=signer.issue(renewed.name, renewed.generation), expires_in=signer.max_age)


@router.get("/account", include_in_schema=False)
def account_page(request: Request, user: CurrentUser, notice: str | None = None) -> Response:
    return templates.TemplateResponse(
        request, "account.html", {"nav": "account", "notice": notice, "message": None}
    )


@router.post("/account/password", include_in_schema=False, dependencies=[Depends(csrf_protect)])
def account_password(
    request: Request,
    user: CurrentUser,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    new_password_again: Annotated[str, Form()],
) -> Response:
    """The account page's form: the API's change, refused changes shown on the form again (400/403)."""
    store = request.app.state.store
    try:
        if new_password != new_password_again:
            raise JianchaError(tr("两次输入的新密码不一致。", "The two new passwords differ."))
        change_own_password(store, user, current_password, new_password)
    except JianchaError as refused:
        status = 403 if isinstance(refused, AccessDenied) else 400
        ctx = {"nav": "account", "notice": None, "message": str(refused)}
        return templates.TemplateResponse(request, "account.html", ctx, status_code=status)
    start_session(request, principal_of(store.get_user(user.name)))
    notice = tr(
        "密码已修改；其他浏览器上的登录和接口令牌已失效。",
        "Password changed; other sign-ins and API tokens have ended.",
    )
    return RedirectResponse(f"/account?{urlencode({'notice': notice})}", status_code=303)
