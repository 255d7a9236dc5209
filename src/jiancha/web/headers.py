"""Security headers on every response: a CSP without 'unsafe-inline', framing refused, HSTS behind TLS.

The pages load scripts and styles only from ``/static`` (vendored ECharts and Leaflet, no
CDN) and pass data to them in ``<script type="application/json">`` blocks, which a browser
never executes, so ``script-src 'self'`` and ``style-src 'self'`` hold. The API's Swagger
page (``/api/docs``), which FastAPI builds with one inline script and assets from a CDN, is
the one exception: its own inline script is allowed by hash, computed from the page itself
(it holds no user input), and the CDN is named; nothing else on it may run.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATH = "/api/docs"
DOCS_CDN = "https://cdn.jsdelivr.net"
HSTS = "max-age=31536000; includeSubDomains"
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(body: bytes) -> str:
    """The Swagger page's CSP: its own inline scripts by sha256, the CDN it loads from, nothing else."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
        for s in INLINE_SCRIPT.findall(body)
    )
    return (
        f"default-src 'none'; script-src {DOCS_CDN} {hashes}; style-src {DOCS_CDN}; "
        f"img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response (pure ASGI: streaming bodies pass untouched).

    HSTS is sent only over TLS: when the request arrived as https (directly, or through a
    proxy uvicorn trusts) or the app is configured ``https_only``; on plain http it would be
    ignored by browsers, and on a test machine it would pin the host to https for a year.
    Responses other than static files are ``Cache-Control: no-store``: pages and API
    answers carry personal data and case material that must not stay in shared caches.
    """

    def __init__(self, app: ASGIApp, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        tls = self.https_only or scope.get("scheme") == "https"
        if path == DOCS_PATH:
            await self._docs(scope, receive, send, tls)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), CSP, tls, static=path.startswith("/static/"))
            await send(message)

        await self.app(scope, receive, with_headers)

    def _add(self, headers: MutableHeaders, csp: str, tls: bool, *, static: bool) -> None:
        headers["Content-Security-Policy"] = csp
        for name, value in COMMON.items():
            headers[name] = value
        if tls:
            headers["Strict-Transport-Security"] = HSTS
        if not static:
            headers["Cache-Control"] = "no-store"

    async def _docs(self, scope: Scope, receive: Receive, send: Send, tls: bool) -> None:
        """Hold the Swagger page's (small) body back until its policy, which hashes it, is set."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if start is None:  # a body before its start: not ASGI; let the server complain
                return
            self._add(MutableHeaders(scope=start), docs_policy(body), tls, static=False)
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
