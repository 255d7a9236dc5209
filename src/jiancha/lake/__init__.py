"""The workspace's analytic lake: ``lake.duckdb`` (one writer at a time) and its Parquet versions.

Every stage after ingest reads the lake through these functions, so a missing
lake or a lake locked by a running ingest becomes one clear sentence instead of
a DuckDB traceback. A connection opened here sees each dataset's current version
(``lake/data/…`` Parquet, ``jiancha.lake.layout``) as a view named for the dataset,
beside ``_loads``, ``_rejections`` and ``_coverage`` in the DuckDB file; the
conventions are in ARCHITECTURE.md ("Lake conventions").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from jiancha.contracts import datasets
from jiancha.disk import read_only_fs, read_only_workspace
from jiancha.errors import WorkspaceError
from jiancha.findings import DataLoad
from jiancha.i18n import tr
from jiancha.lake.layout import CURRENT_LOADS, attach_views, lake_folder, table_names
from jiancha.workspace import Workspace

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend

#: In a table merged from several files (``jiancha ingest --merge``): the row number in the
#: row's own file (``_row`` then only identifies the row within the table).
SOURCE_ROW = "_source_row"

__all__ = ["CURRENT_LOADS", "SOURCE_ROW", "connect", "loaded_datasets", "loaded_versions", "open_lake"]


def _lock_message(workspace: Workspace, exc: duckdb.Error) -> str:
    pid = re.search(r"PID (\d+)", str(exc))
    holder = tr(f"（进程 {pid.group(1)}）", f" (process {pid.group(1)})") if pid else ""
    return tr(
        f"数据湖 {workspace.lake_path} 正被另一个进程{holder}占用（例如正在导入数据或运行模型）；"
        "请等它结束后再试。",
        f"The lake {workspace.lake_path} is in use by another process{holder} "
        "(an ingest or a model run, for example); try again when it has finished.",
    )


def connect(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the lake file ``path`` with a view over each table's current Parquet version."""
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        attach_views(con, lake_folder(path))
    except BaseException:
        con.close()
        raise
    return con


def open_lake(workspace: Workspace, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the workspace's lake; the writer creates it, readers need it to exist.

    A lake of the older format (dataset rows as tables in ``lake.duckdb``) is read as it is;
    only writers and Spark ask for ``jiancha lake convert``.
    """
    path = workspace.lake_path
    if read_only and not path.exists():
        raise WorkspaceError(
            tr(
                f"工作区 {workspace.home} 还没有数据湖（{path.name} 不存在）；"
                "请先运行 jiancha ingest DROP 导入数据。",
                f"Workspace {workspace.home} has no lake yet ({path.name} is missing); "
                "run `jiancha ingest DROP` first.",
            )
        )
    try:
        return connect(path, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(_lock_message(workspace, exc)) from exc
        if not read_only and read_only_fs(exc):
            raise read_only_workspace(path) from exc
        raise WorkspaceError(
            tr(f"无法打开数据湖 {path}：{exc}", f"Cannot open the lake {path}: {exc}")
        ) from exc


def lake_backend(workspace: Workspace) -> Backend:
    """The Ibis backend over a read-only lake connection (for models written as Ibis expressions).

    Ibis is imported here, not at module level, so commands that only list the lake start fast.
    """
    import ibis

    return ibis.duckdb.from_connection(open_lake(workspace, read_only=True))


def loaded_datasets(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Datasets of the contract that the lake holds (a view or a table), in contract order."""
    tables = table_names(con)
    return [name for name in datasets() if name in tables]


@dataclass(frozen=True)
class LoadedVersion:
    """A dataset's current version as a run records it: the file it came from, when, its sha256."""

    file_name: str
    finished_at: datetime
    sha256: str | None

    @property
    def load(self) -> DataLoad:
        return DataLoad(self.file_name, self.finished_at)


def loaded_versions(con: duckdb.DuckDBPyConnection) -> dict[str, LoadedVersion]:
    """Dataset → its current version (for run records and documents); empty before any ingest."""
    if "_loads" not in table_names(con):
        return {}
    present = set(loaded_datasets(con))
    rows = con.execute(
        f"SELECT dataset, file_name, finished_at, sha256 FROM ({CURRENT_LOADS}) ORDER BY dataset"
    ).fetchall()
    return {dataset: LoadedVersion(*rest) for dataset, *rest in rows if dataset in present}
