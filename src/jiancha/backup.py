"""Backing up and restoring a whole workspace: lake, clue store, keys, config and documents.

Both databases are copied consistently while other processes use them: the SQLite store
through SQLite's online backup API (one read transaction, so writers carry on and the
copy is one committed state), the DuckDB lake under a read-only connection (which the
lake's single-writer lock grants only while no ingest writes, and which holds writers
off until the copy is done), then checkpointed in the copy. The audit anchors are copied
before the store and the keys after it: anchors only grow and keys are only added, so
the copy's chain reaches every anchor it holds and every key it names is there.

Nothing is half-written: a backup is built in a hidden folder beside its target and
renamed into place at the end; a restore checks every file against the backup's manifest,
builds the workspace beside its target, and swaps it in only then. A PostgreSQL store is
not in the workspace: back it up with ``pg_dump`` (see :data:`PG_RECIPE`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jiancha.errors import WorkspaceError
from jiancha.i18n import tr
from jiancha.workspace import Workspace

MANIFEST = "backup.json"
FORMAT = 1
STORE_FILE = "store.sqlite"
ANCHORS = "audit-anchors.jsonl"
#: Files rebuilt from the databases' own copies, or scratch: never copied file by file.
SKIPPED = {
    STORE_FILE,
    f"{STORE_FILE}-wal",
    f"{STORE_FILE}-shm",
    "lake.duckdb",
    "lake.duckdb.wal",
    "lake",
    ANCHORS,
}
PG_RECIPE = (
    'pg_dump --format=custom --no-owner --file=DIR/store.pgdump "$JIANCHA_DATABASE_URL"  # backup\n'
    'pg_restore --clean --if-exists --no-owner --dbname="$JIANCHA_DATABASE_URL" DIR/store.pgdump  # restore'
)


@dataclass(frozen=True)
class BackupResult:
    """Where the backup went, what it holds (path → sha256), whether the store was left out
    (PostgreSQL), and an audit key it could not include (kept outside the workspace)."""

    path: Path
    files: dict[str, str]
    store_in_postgres: bool
    key_outside: Path | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_tree(root: Path) -> None:
    """Flush every file and folder under ``root`` to disk before it is renamed into place."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(Path(folder) / name, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


@contextmanager
def _staging(target: Path, kind: str) -> Iterator[Path]:
    """A hidden folder beside ``target`` to build in; removed again unless the caller moved it."""
    staging = target.parent / f".{target.name}.{kind}-{secrets.token_hex(4)}"
    staging.mkdir(parents=True)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _is_empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def _copy_store(source: Path, target: Path) -> None:
    """SQLite's online backup: one consistent state, while other processes read and write."""
    src = sqlite3.connect(source, timeout=120)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_lake(ws: Workspace, target: Path) -> None:
    """Copy the lake — ``lake.duckdb`` and its Parquet folder — under a read-only connection (no
    writer meanwhile, so file and folder agree), then checkpoint the copy. Half-built versions
    and manifest temp files (a crashed writer's) are left behind."""
    import duckdb

    from jiancha.lake import open_lake
    from jiancha.lake.layout import TEMP_PREFIX, lake_folder

    with open_lake(ws, read_only=True):
        shutil.copy2(ws.lake_path, target / ws.lake_path.name)
        wal = ws.lake_path.with_name(ws.lake_path.name + ".wal")
        if wal.exists():
            shutil.copy2(wal, target / wal.name)
        folder = lake_folder(ws.lake_path)
        if folder.is_dir():
            skip = shutil.ignore_patterns(f"{TEMP_PREFIX}*", ".*.tmp")
            shutil.copytree(folder, lake_folder(target / ws.lake_path.name), ignore=skip)
    with duckdb.connect(str(target / ws.lake_path.name)) as copy:
        copy.execute("CHECKPOINT")


def _copy_rest(home: Path, target: Path) -> None:
    """Config, keys, documents and anything else in the workspace, as files."""
    for item in sorted(home.iterdir()):
        if item.name in SKIPPED or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name)
        else:
            shutil.copy2(item, target / item.name)


def _manifest(root: Path, ws: Workspace, in_postgres: bool) -> dict[str, str]:
    files = {str(p.relative_to(root)): _sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}
    body = {
        "format": FORMAT,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "source": str(ws.home),
        "store": "postgresql" if in_postgres else "sqlite",
        "files": files,
    }
    (root / MANIFEST).write_text(json.dumps(body, ensure_ascii=False, indent=1), "utf-8")
    return files


def backup_workspace(ws: Workspace, target: Path) -> BackupResult:
    """Copy the workspace into the new (or empty) folder ``target``, consistently and atomically."""
    target = target.expanduser().resolve()
    if not _is_empty(target):
        raise WorkspaceError(
            tr(
                f"备份目录 {target} 已存在且不为空；请指定一个新的或空的目录。",
                f"The backup folder {target} exists and is not empty; name a new or empty folder.",
            )
        )
    if target == ws.home or ws.home in target.parents:
        raise WorkspaceError(
            tr(
                f"备份目录 {target} 不能在工作区之内。",
                f"The backup folder {target} cannot be inside the workspace.",
            )
        )
    in_postgres = not ws.store_url.startswith("sqlite:")
    with _staging(target, "partial") as staging:
        if (ws.home / ANCHORS).exists():
            shutil.copy2(ws.home / ANCHORS, staging / ANCHORS)  # before the store: see the module's docstring
        if not in_postgres and (ws.home / STORE_FILE).exists():
            _copy_store(ws.home / STORE_FILE, staging / STORE_FILE)
        if ws.lake_path.exists():
            _copy_lake(ws, staging)
        _copy_rest(ws.home, staging)
        files = _manifest(staging, ws, in_postgres)
        _fsync_tree(staging)
        if target.exists():
            target.rmdir()
        staging.rename(target)
    return BackupResult(target, files, in_postgres, _key_outside(ws))


def _key_outside(ws: Workspace) -> Path | None:
    """The configured audit key file when it lies outside the workspace (so not in the backup)."""
    from jiancha.clues.seal import key_file_path

    path = key_file_path(ws.home, ws.config()).resolve()
    return None if ws.home in path.parents else path


def _read_manifest(source: Path) -> dict:
    try:
        body = json.loads((source / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise WorkspaceError(
            tr(
                f"{source} 不是 jiancha 备份：缺少 {MANIFEST}。",
                f"{source} is not a jiancha backup: it has no {MANIFEST}.",
            )
        ) from None
    except ValueError as exc:
        raise WorkspaceError(
            tr(
                f"备份清单 {source / MANIFEST} 已损坏：{exc}",
                f"The backup manifest {source / MANIFEST} is damaged: {exc}",
            )
        ) from exc
    if body.get("format") != FORMAT or not isinstance(body.get("files"), dict):
        raise WorkspaceError(
            tr(
                f"备份清单 {source / MANIFEST} 的格式无法识别（应为第 {FORMAT} 版）。",
                f"The backup manifest {source / MANIFEST} has an unknown format (expected version {FORMAT}).",
            )
        )
    return body


def _check_files(source: Path, files: dict[str, str]) -> None:
    """Every file the manifest lists is there with its recorded sha256, before anything is written."""
    for name, digest in files.items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise WorkspaceError(
                tr(
                    f"备份文件 {path} 缺失或已损坏（校验值与清单不符）；未作任何恢复。",
                    f"The backup file {path} is missing or damaged (its checksum differs from the "
                    "manifest); nothing was restored.",
                )
            )


def _refuse_busy(home: Path) -> None:
    """A workspace being replaced must not be in use: its lake must open as the writer."""
    import duckdb

    lake = home / "lake.duckdb"
    if not lake.exists():
        return
    try:
        duckdb.connect(str(lake)).close()
    except duckdb.IOException as exc:
        raise WorkspaceError(
            tr(
                f"工作区 {home} 的数据湖正被其他进程使用；"
                "请先停止使用该工作区的进程（如 jiancha serve）再恢复。",
                f"The lake of workspace {home} is in use by another process; stop the processes using "
                "the workspace (jiancha serve, for example) before restoring.",
            )
        ) from exc


def restore_workspace(source: Path, home: Path, *, force: bool = False) -> dict:
    """Make ``home`` the workspace backed up in ``source``; the manifest. Refuses a non-empty
    ``home`` unless ``force``, and checks every file before writing any."""
    source, home = source.expanduser().resolve(), home.expanduser().resolve()
    body = _read_manifest(source)
    if not _is_empty(home) and not force:
        raise WorkspaceError(
            tr(
                f"工作区 {home} 不为空；恢复会覆盖其中的数据。确认覆盖请加 --force。",
                f"The workspace {home} is not empty and a restore would replace it; add --force to do so.",
            )
        )
    _check_files(source, body["files"])
    if home.exists():
        _refuse_busy(home)
    with _staging(home, "restore") as staging:
        for name in body["files"]:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, staging / name)
        _fsync_tree(staging)
        _swap_in(staging, home)
    return body


def _swap_in(staging: Path, home: Path) -> None:
    """Rename the restored folder into place; a replaced workspace is removed only afterwards."""
    if not home.exists():
        staging.rename(home)
        return
    if not any(home.iterdir()):
        home.rmdir()
        staging.rename(home)
        return
    old = home.parent / f".{home.name}.replaced-{secrets.token_hex(4)}"
    home.rename(old)
    staging.rename(home)
    shutil.rmtree(old, ignore_errors=True)
