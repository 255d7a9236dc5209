"""Rate limits per client and per account (ASVS 2.2.1, 11.1.4): sign-ins, writes, documents, reads.

The per-account lockout (``jiancha.web.users``) stops guessing one account's password; it
does not stop one client trying a few passwords on every account, nor a script (or a stolen
session) hammering the workflow or rendering documents without end. Each request falls in
one bucket by its route, and each bucket allows so many requests per window for each key:

- ``sign_in``: ``POST /login`` and ``POST /api/token``, per client address;
- ``write``: every other unsafe request, per signed-in user (per client address without one);
- ``documents``: suggestion drafts and issued suggestions (.docx, rendered or read per request);
- ``read``: everything else the app routes (``/static`` is not routed through here).

``JIANCHA_RATE_LIMITS`` changes them for ``jiancha serve`` (``read=1200/60,write=120/60``).
A refused request is a 429 with ``Retry-After`` and the usual error shape or page. The
windows slide (the last ``requests`` times are kept per key) and live in each worker
process's memory: with ``--workers N`` a client gets up to N times the figure. Behind a
reverse proxy every client has the proxy's address, so the sign-in bucket is per proxy
unless uvicorn is told to trust its forwarded-for header.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from fastapi import HTTPException, Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiancha.errors import JianchaError
from jiancha.i18n import tr
from jiancha.web.auth import claimed
from jiancha.web.csrf import SAFE_METHODS
from jiancha.web.errors import TooManyRequests

SIGN_IN_PATHS = frozenset({"/login", "/api/token"})
DOCUMENT_SUFFIXES = ("/suggestion/draft", "/suggestions/{document_no}")
MAX_KEYS = 10_000  # past this many keys, those idle for a whole window are forgotten


@dataclass(frozen=True)
class Limit:
    """At most ``requests`` in any ``seconds`` for one key."""

    requests: int
    seconds: float


@dataclass(frozen=True)
class RateLimits:
    """The buckets' limits; ``WebConfig.rate_limits`` holds the ones an app uses."""

    sign_in: Limit = Limit(20, 60)
    write: Limit = Limit(60, 60)
    documents: Limit = Limit(20, 60)
    read: Limit = Limit(600, 60)


LIMITS_ENV = "JIANCHA_RATE_LIMITS"  # e.g. "read=1200/60,write=120/60": `jiancha serve`'s workers read it


def parse_limits(text: str) -> RateLimits:
    """The default limits, with those ``text`` names (``bucket=requests/seconds``, comma-separated) set."""
    known = [f.name for f in fields(RateLimits)]
    changed: dict[str, Limit] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        bucket, _, figures = entry.partition("=")
        requests, _, seconds = figures.partition("/")
        try:
            limit = Limit(int(requests), float(seconds))
        except ValueError:
            limit = Limit(0, 0)
        if bucket.strip() not in known or limit.requests < 1 or limit.seconds <= 0:
            raise JianchaError(
                tr(
                    f"{LIMITS_ENV} 中的“{entry}”无效：应为 类别=次数/秒数，类别为 {'、'.join(known)}，"
                    "如 read=1200/60。",
                    f"'{entry}' in {LIMITS_ENV} is not valid: write bucket=requests/seconds with the bucket "
                    f"one of {', '.join(known)}, e.g. read=1200/60.",
                )
            )
        changed[bucket.strip()] = limit
    return replace(RateLimits(), **changed)


class RateLimiter:
    """Sliding windows per (bucket, key), shared by the threads of one process."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._seen: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def wait_needed(self, bucket: str, key: str) -> float:
        """Count one request; 0 if it may go ahead, else the seconds until it could (it is not counted)."""
        limit: Limit = getattr(self.limits, bucket)
        now = self.clock()
        with self._lock:
            times = self._seen.get((bucket, key))
            if times is None:
                if len(self._seen) >= MAX_KEYS:
                    self._forget_idle(now)
                times = self._seen[(bucket, key)] = deque(maxlen=limit.requests)
            if len(times) == limit.requests and now - times[0] < limit.seconds:
                return limit.seconds - (now - times[0])
            times.append(now)
            return 0.0

    def _forget_idle(self, now: float) -> None:
        longest = max(getattr(self.limits, f.name).seconds for f in fields(self.limits))
        for key in [k for k, times in self._seen.items() if not times or now - times[-1] >= longest]:
            del self._seen[key]


def bucket_and_key(request: Request) -> tuple[str, str]:
    """Which limit a request counts against, and for whom."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    client = f"client:{request.client.host if request.client else '?'}"
    if request.method == "POST" and path in SIGN_IN_PATHS:
        return "sign_in", client
    claim = claimed(request)
    # The generation is part of the key, so a revoked copy of a cookie or token cannot use up the
    # limits of the user's current sessions.
    who = f"user:{claim[0]}:{claim[1]}" if claim else client
    if path.endswith(DOCUMENT_SUFFIXES):
        return "documents", who
    return ("read" if request.method in SAFE_METHODS else "write"), who


async def enforce(request: Request) -> None:
    """App-wide dependency: refuse the request with :class:`TooManyRequests` when its bucket is full."""
    limiter: RateLimiter = request.app.state.limiter
    bucket, key = bucket_and_key(request)
    wait = limiter.wait_needed(bucket, key)
    if wait:
        seconds = math.ceil(wait)
        limit: Limit = getattr(limiter.limits, bucket)
        raise TooManyRequests(
            tr(
                f"请求过于频繁（{_bucket_zh(bucket)}每 {limit.seconds:g} 秒至多 {limit.requests} 次）；"
                f"请 {seconds} 秒后再试。",
                f"Too many requests ({bucket.replace('_', '-')}: at most {limit.requests} every "
                f"{limit.seconds:g} s); try again in {seconds} s.",
            ),
            retry_after=seconds,
        )


def _bucket_zh(bucket: str) -> str:
    return {"sign_in": "登录", "write": "提交操作", "documents": "生成或下载文书", "read": "访问"}[bucket]


MAX_BODY = 1024 * 1024  # bytes: the API's JSON and the pages' forms are a few KB; there are no uploads


class BodyLimit:
    """Refuses a request body over ``max_bytes`` (ASVS 12.1.1, 13.1.x) while it is read, not after.

    A declared ``Content-Length`` over the limit is refused at the first read; a body sent
    in chunks is counted as it arrives. The refusal is an ``HTTPException`` raised inside
    the handler's read, so it becomes the 413 of the error shape or page like any other
    error (and passes the security headers).
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = int(declared) if declared.isdigit() else 0

        async def counted() -> Message:
            nonlocal received
            if received > self.max_bytes:
                raise self._too_large()
            message = await receive()
            if message["type"] == "http.request" and not declared.isdigit():
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, counted, send)

    def _too_large(self) -> HTTPException:
        kib = self.max_bytes // 1024
        return HTTPException(
            413,
            tr(
                f"请求内容过大：至多 {kib} KiB；本系统不接收文件上传，数据请用 jiancha ingest 导入。",
                f"The request body is too large: at most {kib} KiB. The web app takes no uploads; "
                "bring data in with jiancha ingest.",
            ),
        )
