"""How one web app instance is set up: which store, which signing key, which cookie rules.

Kept apart from the app factory so tests and ``jiancha serve`` build the same
app from explicit settings instead of reading globals at import time.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from jiancha.web.limits import LIMITS_ENV, RateLimits, parse_limits
from jiancha.workspace import Workspace

SECRET_FILE = "web-secret.key"
THREADS_ENV = "JIANCHA_WEB_THREADS"  # how `jiancha serve --threads` reaches its worker processes


@dataclass(frozen=True)
class WebConfig:
    """Settings of one app instance.

    ``https_only`` marks the session cookie Secure; turn it on behind TLS.
    ``token_max_age`` bounds how long an API bearer token stays valid (seconds).
    ``threads`` bounds the handlers one process runs at once (see ``jiancha.web.app``); a
    store on a remote PostgreSQL, where handlers wait on the network, may want more.
    ``rate_limits`` are each worker process's limits per client and per account (``jiancha.web.limits``).
    """

    store_url: str
    secret_key: str
    workspace: Workspace | None = None  # for the datasets page's read of the lake's lineage
    https_only: bool = False
    session_max_age: int = 8 * 3600
    token_max_age: int = 12 * 3600
    threads: int = 4
    rate_limits: RateLimits = field(default_factory=RateLimits)

    @classmethod
    def for_workspace(cls, ws: Workspace, *, https_only: bool | None = None) -> WebConfig:
        """Settings for serving ``ws``: its store, and a signing key kept beside it."""
        if https_only is None:
            https_only = os.environ.get("JIANCHA_HTTPS_ONLY", "").lower() in {"1", "true", "yes"}
        threads = int(os.environ.get(THREADS_ENV) or cls.threads)
        return cls(
            ws.store_url,
            _secret_key(ws.home),
            workspace=ws,
            https_only=https_only,
            threads=threads,
            rate_limits=parse_limits(os.environ.get(LIMITS_ENV, "")),
        )


def _secret_key(home: Path) -> str:
    """JIANCHA_SECRET_KEY, else a key generated once and kept in the workspace (mode 600).

    A stable key keeps users logged in across restarts; several app processes
    serving one workspace share it.
    """
    from_env = os.environ.get("JIANCHA_SECRET_KEY")
    if from_env:
        return from_env
    path = home / SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48), "utf-8")
        path.chmod(0o600)
    return path.read_text("utf-8").strip()
