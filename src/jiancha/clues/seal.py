"""Where a clue store finds its audit key and its anchor file.

A workspace (``Workspace.audit_seal()``) takes the key from, in this order: the
``JIANCHA_AUDIT_KEY`` environment variable; the file named by ``[audit] key_file`` in
``jiancha.toml`` (relative to the workspace); else ``audit.key`` in the workspace, made
with mode 0600 on first use. Its signed heads go to ``audit-anchors.jsonl`` beside it.
A store opened by URL alone (tests, scripts) uses the workspace its SQLite file lies
in; for PostgreSQL it needs ``JIANCHA_AUDIT_KEY`` (and ``JIANCHA_AUDIT_ANCHORS`` names
an anchor file).
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from jiancha.clues.anchors import ANCHOR_FILE, Anchor, AnchorLog, sign
from jiancha.clues.keys import Keyring, create_key_file, load_key_file, parse_keyring
from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

ENV_KEY = "JIANCHA_AUDIT_KEY"
ENV_ANCHORS = "JIANCHA_AUDIT_ANCHORS"
KEY_FILE = "audit.key"
log = logging.getLogger("jiancha.audit")


@dataclass(frozen=True)
class AuditSeal:
    """The keyring that signs entries, and the anchor file (None: no anchors are kept)."""

    keyring: Keyring
    anchors: AnchorLog | None = None

    def anchor(self, seq: int, head_hash: str, keyed_from: int | None) -> Anchor:
        """Sign the head and append it to the anchor file (if any); the signed head.

        Called after the write has committed: a failure here (disk full, read-only folder)
        cannot undo the change, so it is logged and the next write's anchor covers it.
        """
        anchor = sign(self.keyring, seq, head_hash, keyed_from)
        if self.anchors is not None:
            try:
                self.anchors.append(anchor)
            except OSError as exc:
                log.warning("the audit head %s could not be anchored in %s: %s", seq, self.anchors.path, exc)
        return anchor

    @classmethod
    def for_workspace(cls, home: Path, config: dict[str, Any]) -> AuditSeal:
        return cls(workspace_keyring(home, config), AnchorLog(home / ANCHOR_FILE))

    @classmethod
    def for_url(cls, url: str) -> AuditSeal:
        """The seal of a store opened by URL alone (see the module's docstring)."""
        parsed = make_url(url)
        database = parsed.database or ""
        if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
            from jiancha.workspace import Workspace

            home = Path(database).resolve().parent
            return cls.for_workspace(home, Workspace(home).config())
        if parsed.get_backend_name() == "sqlite":  # in memory: the chain dies with the process
            return cls(environment_keyring() or parse_keyring(f"k0:{secrets.token_hex(32)}", "memory"))
        keyring = environment_keyring()
        if keyring is None:
            raise WorkspaceError(
                tr(
                    f"线索库 {parsed.render_as_string()} 需要审计密钥：请设置环境变量 {ENV_KEY}，"
                    "或通过工作区（jiancha.toml 的 [audit] key_file）打开它。",
                    f"The clue store {parsed.render_as_string()} needs an audit key: set {ENV_KEY}, "
                    "or open it through a workspace ([audit] key_file in jiancha.toml).",
                )
            )
        anchors = os.environ.get(ENV_ANCHORS)
        return cls(keyring, AnchorLog(Path(anchors)) if anchors else None)


def environment_keyring() -> Keyring | None:
    """The keyring in ``JIANCHA_AUDIT_KEY``, or None when the variable is unset or empty."""
    text = os.environ.get(ENV_KEY, "").strip()
    return parse_keyring(text, ENV_KEY) if text else None


def key_file_path(home: Path, config: dict[str, Any]) -> Path:
    """The workspace's key file: ``[audit] key_file`` (relative to the workspace) or ``audit.key``."""
    named = (config.get("audit") or {}).get("key_file")
    return home / named if named else home / KEY_FILE


def workspace_keyring(home: Path, config: dict[str, Any]) -> Keyring:
    """The environment's keyring, else the configured key file, else the default one (made if new)."""
    keyring = environment_keyring()
    if keyring is not None:
        return keyring
    path = key_file_path(home, config)
    if path.exists() or (config.get("audit") or {}).get("key_file"):
        return load_key_file(path)
    return create_key_file(path)
