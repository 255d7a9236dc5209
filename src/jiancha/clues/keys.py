"""The audit chain's secret keys: kept outside the database, so database access alone cannot forge.

A keyring is a list of ``KEY_ID:HEX_SECRET`` entries, one a line (or separated by commas in
the ``JIANCHA_AUDIT_KEY`` environment variable); the last entry is the current key, which
signs new entries, and the earlier ones stay to verify the entries they signed. Rotating
adds a new last entry and never removes one. A key file must be readable by its owner
only (mode 0600): a secret other accounts can read protects nothing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
PRIVATE = 0o600


@dataclass(frozen=True)
class Keyring:
    """The secrets by key id, and which one signs new entries."""

    keys: dict[str, bytes]
    current_id: str
    source: str  # where it came from, for sentences: a file path or the variable's name

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    def secret(self, key_id: str) -> bytes | None:
        """The secret of ``key_id``, or None when this keyring does not hold it."""
        return self.keys.get(key_id)


def new_key_id(existing: set[str] | frozenset[str] = frozenset()) -> str:
    """A fresh id that says when the key was made (``k20241203a1b2``) and is not in ``existing``."""
    while True:
        key_id = f"k{date.today():%Y%m%d}{secrets.token_hex(2)}"
        if key_id not in existing:
            return key_id


def _bad_entry(source: str, number: int, why: str) -> WorkspaceError:
    return WorkspaceError(
        tr(
            f"审计密钥 {source} 第 {number} 项无效：{why}应为“密钥编号:十六进制密钥”，"
            f"密钥至少 {MIN_SECRET_BYTES} 字节。",
            f"Audit key entry {number} of {source} is not valid: {why}expected KEY_ID:HEX_SECRET "
            f"with a secret of at least {MIN_SECRET_BYTES} bytes.",
        )
    )


def parse_keyring(text: str, source: str) -> Keyring:
    """Read ``KEY_ID:HEX_SECRET`` entries (lines or comma-separated; ``#`` starts a comment)."""
    entries = [
        part.strip()
        for line in text.splitlines()
        for part in line.split("#", 1)[0].split(",")
        if part.strip()
    ]
    keys: dict[str, bytes] = {}
    for number, entry in enumerate(entries, start=1):
        key_id, sep, hex_secret = entry.partition(":")
        if not sep or not key_id.strip().isalnum():
            raise _bad_entry(source, number, tr("缺少密钥编号；", "no key id; "))
        try:
            secret = bytes.fromhex(hex_secret.strip())
        except ValueError:
            raise _bad_entry(
                source, number, tr("密钥不是十六进制；", "the secret is not hexadecimal; ")
            ) from None
        if len(secret) < MIN_SECRET_BYTES:
            raise _bad_entry(source, number, tr("密钥太短；", "the secret is too short; "))
        if key_id.strip() in keys:
            raise _bad_entry(source, number, tr("密钥编号重复；", "the key id is repeated; "))
        keys[key_id.strip()] = secret
    if not keys:
        raise WorkspaceError(
            tr(
                f"审计密钥 {source} 是空的；应至少有一项“密钥编号:十六进制密钥”。",
                f"The audit key {source} is empty; it needs at least one KEY_ID:HEX_SECRET entry.",
            )
        )
    return Keyring(keys, list(keys)[-1], source)


def check_private(path: Path) -> None:
    """Refuse a key file that other accounts can read or write: its secret would be no secret."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise WorkspaceError(
            tr(
                f"审计密钥文件 {path} 的权限是 {mode:04o}，其他账户也能读取；"
                f"请执行 chmod 600 {path} 后重试。",
                f"The audit key file {path} has mode {mode:04o}, so other accounts can read it; "
                f"run chmod 600 {path} and try again.",
            )
        )


def load_key_file(path: Path) -> Keyring:
    """The keyring in ``path``, after checking that only its owner can read it."""
    try:
        check_private(path)
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise WorkspaceError(
            tr(
                f"找不到审计密钥文件 {path}；请检查 jiancha.toml 中 [audit] key_file 的路径。",
                f"The audit key file {path} does not exist; check [audit] key_file in jiancha.toml.",
            )
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(
            tr(f"无法读取审计密钥文件 {path}：{exc}", f"Cannot read the audit key file {path}: {exc}")
        ) from exc
    return parse_keyring(text, str(path))


def _entry(key_id: str) -> str:
    return f"{key_id}:{secrets.token_hex(SECRET_BYTES)}\n"


def _write_private(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to a new file of mode 0600 beside ``path``, then move it into place.

    The file never exists with wider permissions or half-written: a crash leaves the old
    key file (or none), never a truncated keyring. ``exclusive`` links rather than replaces,
    so of two processes creating a workspace's first key at once, one wins
    (``FileExistsError`` for the other) and both then read the same key.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            os.link(temporary, path)
        else:
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def create_key_file(path: Path) -> Keyring:
    """Make a key file with one new key (mode 0600), unless another process just made it."""
    header = "# jiancha 审计密钥 (audit keys): KEY_ID:HEX_SECRET, one a line; the last one signs\n"
    with contextlib.suppress(FileExistsError):
        _write_private(path, header + _entry(new_key_id()), exclusive=True)
    return load_key_file(path)


def rotate_key_file(path: Path) -> Keyring:
    """Add a new current key to the key file, keeping every older key for verification."""
    keyring = load_key_file(path)
    key_id = new_key_id(frozenset(keyring.keys))
    text = path.read_text("utf-8")
    _write_private(path, text + ("" if text.endswith("\n") else "\n") + _entry(key_id))
    return load_key_file(path)
