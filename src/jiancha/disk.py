"""A full disk or a read-only workspace: recognising the errors, and the sentence each becomes.

DuckDB, SQLite and the operating system each word these failures their own way; the
commands that write (ingest, run, workflow actions) turn them into one sentence that names
the file, says nothing was changed, and says what to do.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

#: How DuckDB, SQLite and the C library say the disk is full, and that a file cannot be written.
_FULL = ("No space left on device", "database or disk is full", "Disk quota exceeded")
_READ_ONLY = ("Read-only file system", "attempt to write a readonly database")


def _says(exc: BaseException, words: tuple[str, ...], code: int) -> bool:
    """Whether ``exc``, or the driver's error a SQLAlchemy error wraps (``orig``), says so."""
    for error in (exc, getattr(exc, "orig", None)):
        if error is not None and (
            getattr(error, "errno", None) == code or any(w in str(error) for w in words)
        ):
            return True
    return False


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk is full."""
    return _says(exc, _FULL, errno.ENOSPC)


def read_only_fs(exc: BaseException) -> bool:
    """Whether ``exc`` says the file system is read-only."""
    return _says(exc, _READ_ONLY, errno.EROFS)


def no_space_left(folder: Path) -> bool:
    """Whether the file system holding ``folder`` has no free block left (SQLite then reports
    only a "disk I/O error" while it makes its WAL files)."""
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


def disk_full(path: Path | str, kept_zh: str, kept_en: str) -> WorkspaceError:
    """Writing ``path`` found the disk full; ``kept``: what stays as it was."""
    folder = Path(path).parent
    return WorkspaceError(
        tr(
            f"磁盘空间不足：写入 {path} 时，{folder} 所在的磁盘已满；{kept_zh}"
            "请腾出空间（删除该磁盘上不需要的文件，或把工作区移到更大的磁盘）后重试。",
            f"The disk is full: writing {path} failed because the disk holding {folder} has no space "
            f"left; {kept_en} Free some space there (delete files you do not need, or move the "
            "workspace to a larger disk) and try again.",
        )
    )


def read_only_workspace(path: Path | str) -> WorkspaceError:
    """A command that writes met ``path`` on a read-only file system."""
    return WorkspaceError(
        tr(
            f"{path} 所在的文件夹是只读的，本命令需要写入它，未做任何更改；"
            "请以可写方式挂载工作区（或用 --home 指定可写的文件夹）后重试。只读的工作区仍可查看线索和数据。",
            f"{path} lies on a read-only file system and this command needs to write it; nothing was "
            "changed. Mount the workspace writable (or choose a writable folder with --home) and try "
            "again; a read-only workspace can still be browsed.",
        )
    )


def writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (false on a read-only mount, even for root)."""
    return os.access(folder, os.W_OK)
