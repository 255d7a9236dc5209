"""Signed heads of the audit chain, appended to a file outside the database.

Keyed entries alone cannot show entries cut off the end of the log: whoever can write
the database can delete the last entries and move the head back. So after every write
the store appends the new head (its sequence number and hash), signed with the current
key, to ``audit-anchors.jsonl`` in the workspace. Verifying checks that the chain still
reaches every anchored head with the same hash; the file is only ever appended to.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jiancha.clues.keys import PRIVATE, Keyring
from jiancha.i18n import tr

ANCHOR_FILE = "audit-anchors.jsonl"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spacing: the same bytes on every backend and Python."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def mac(secret: bytes, text: str) -> str:
    """HMAC-SHA256 of ``text`` under ``secret``, as 64 hex digits."""
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """One signed head: the chain had ``seq`` entries ending in ``hash`` at ``at`` (Beijing time).

    ``keyed_from`` is the first keyed entry's number (None while every entry is unkeyed):
    an unkeyed entry from there on can only be a forgery.
    """

    seq: int
    hash: str
    keyed_from: int | None
    at: str
    key_id: str
    mac: str

    def signed_text(self) -> str:
        fields = asdict(self)
        del fields["mac"]
        return canonical_json(fields)


@dataclass(frozen=True)
class BadAnchor:
    """A line of the anchor file that is not a signed head this keyring can check."""

    line: int
    message: str


def sign(keyring: Keyring, seq: int, head_hash: str, keyed_from: int | None) -> Anchor:
    """The current head, signed with the current key."""
    at = datetime.now(LOCAL_TZ).isoformat(timespec="seconds")
    unsigned = Anchor(seq, head_hash, keyed_from, at, keyring.current_id, "")
    return Anchor(
        seq, head_hash, keyed_from, at, keyring.current_id, mac(keyring.current, unsigned.signed_text())
    )


def _bad(line: int, why_zh: str, why_en: str) -> BadAnchor:
    return BadAnchor(
        line,
        tr(f"链头锚点文件第 {line} 行{why_zh}。", f"Line {line} of the anchor file {why_en}."),
    )


def _check(keyring: Keyring, line: int, text: str) -> Anchor | BadAnchor:
    try:
        anchor = Anchor(**json.loads(text))
    except (ValueError, TypeError):
        return _bad(line, "不是有效的链头记录", "is not a head record")
    secret = keyring.secret(anchor.key_id)
    if secret is None:
        return _bad(
            line,
            f"由密钥 {anchor.key_id} 签名，但密钥文件中没有该密钥",
            f"is signed with key {anchor.key_id}, which the keyring does not hold",
        )
    if not hmac.compare_digest(mac(secret, anchor.signed_text()), anchor.mac):
        return _bad(
            line, "的签名不符：它被改动或伪造", "does not match its signature: it was edited or forged"
        )
    return anchor


@dataclass(frozen=True)
class AnchorLog:
    """The append-only file of signed heads."""

    path: Path

    def append(self, anchor: Anchor) -> None:
        """Add one line in a single ``O_APPEND`` write (whole lines even with several writers).

        A full disk may take only part of the line: that part is cut off again, so the next
        head's line does not run on from a broken one (which verify would report as tampering).
        """
        line = (canonical_json(asdict(anchor)) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE)
        try:
            size = os.fstat(fd).st_size
            if os.write(fd, line) < len(line):
                os.ftruncate(fd, size)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self, keyring: Keyring) -> list[Anchor | BadAnchor]:
        """Every line, checked: a signed head, or why it is not one. No file: no anchors yet."""
        try:
            lines = self.path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [_check(keyring, number, text) for number, text in enumerate(lines, start=1) if text.strip()]
