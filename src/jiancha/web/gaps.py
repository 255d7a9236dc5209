"""Coverage gaps for the dashboard, cached per lake file so the dashboard stays fast.

Reading the gaps opens the lake and scans every feed's days (30–50 ms on the demo
workspace), too slow for a page whose p95 target is 100 ms. The lake changes only
on ingest, which rewrites the file, so the gaps are kept per (lake file mtime and
size, reference day) and read again when either moves. A missing lake has no gaps;
a locked one (an ingest running) shows none this time and is not cached, so the
next request looks again.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from threading import Lock

from jiancha.coverage import Gap, lake_gaps
from jiancha.errors import WorkspaceError
from jiancha.workspace import Workspace

_Key = tuple[int, int, int, date]
_cache: dict[Path, tuple[_Key, list[Gap]]] = {}
_lock = Lock()


def _key(lake: Path, reference: date) -> _Key | None:
    """What must stay the same for cached gaps to hold; None when there is no lake."""
    try:
        stat = lake.stat()
    except OSError:
        return None
    wal = lake.with_name(lake.name + ".wal")
    wal_mtime = wal.stat().st_mtime_ns if wal.exists() else 0
    return stat.st_mtime_ns, stat.st_size, wal_mtime, reference


def cached_gaps(workspace: Workspace | None, reference: date) -> list[Gap]:
    """The workspace's gaps at ``reference``, read from the lake only when it changed since last time."""
    if workspace is None:
        return []
    lake = workspace.lake_path
    key = _key(lake, reference)
    if key is None:
        return []
    with _lock:
        hit = _cache.get(lake)
    if hit is not None and hit[0] == key:
        return hit[1]
    try:
        gaps = lake_gaps(workspace, reference)
    except WorkspaceError:
        return []
    with _lock:
        _cache[lake] = (key, gaps)
    return gaps
