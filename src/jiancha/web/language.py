"""Per-request language: ``?lang=en`` switches and is remembered in a cookie; zh-CN by default."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiancha.i18n import LANGUAGES, use_language

COOKIE = "jiancha_lang"


def _choose(scope: Scope) -> tuple[str, bool]:
    """The request's language and whether it was chosen just now (so the cookie must be set)."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
    if asked in LANGUAGES:
        return asked, True
    headers = dict(scope.get("headers", ()))
    cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    remembered = cookie[COOKIE].value if COOKIE in cookie else ""
    return (remembered if remembered in LANGUAGES else "zh"), False


class LanguageMiddleware:
    """Runs each request inside :func:`jiancha.i18n.use_language` (pure ASGI, so the
    context variable reaches the handler and the templates it renders)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang, chosen = _choose(scope)
        scope.setdefault("state", {})["lang"] = lang

        async def remember(message: Message) -> None:
            if chosen and message["type"] == "http.response.start":
                cookie = f"{COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax".encode("latin-1")
                message["headers"] = [*message.get("headers", ()), (b"set-cookie", cookie)]
            await send(message)

        with use_language(lang):
            await self.app(scope, receive, remember)
