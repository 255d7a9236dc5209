"""The workspace's analytic lake: one DuckDB file, one writer at a time.

Every stage after ingest reads the lake through these functions, so a missing
lake or a lake locked by a running ingest becomes one clear sentence instead of
a DuckDB traceback. Dataset tables, ``_loads`` and ``_rejections`` follow the
conventions in ARCHITECTURE.md ("Lake conventions").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb

from jiancha.contracts import datasets
from jiancha.errors import WorkspaceError
from jiancha.findings import DataLoad
from jiancha.i18n import tr
from jiancha.workspace import Workspace

if TYPE_CHECKING:
    from ibis.backends.duckdb import Backend

#: Each dataset's current version: its latest ``loaded`` row of ``_loads`` (written by ingest).
CURRENT_LOADS = """
SELECT * FROM _loads WHERE status = 'loaded'
QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY load_id DESC) = 1
"""


def _lock_message(workspace: Workspace, exc: duckdb.Error) -> str:
    pid = re.search(r"PID (\d+)", str(exc))
    holder = tr(f"（进程 {pid.group(1)}）", f" (process {pid.group(1)})") if pid else ""
    return tr(
        f"数据湖 {workspace.lake_path} 正被另一个进程{holder}占用（例如正在导入数据或运行模型）；"
        "请等它结束后再试。",
        f"The lake {workspace.lake_path} is in use by another process{holder} "
        "(an ingest or a model run, for example); try again when it has finished.",
    )


def open_lake(workspace: Workspace, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the workspace's lake; the writer creates it, readers need it to exist."""
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
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WorkspaceError(_lock_message(workspace, exc)) from exc
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
    """Datasets of the contract that have a table in the lake, in contract order."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [name for name in datasets() if name in tables]


def current_loads(con: duckdb.DuckDBPyConnection) -> dict[str, DataLoad]:
    """Dataset → its current load (file name, time loaded), for run records and documents."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_loads'").fetchone()[0]:
        return {}
    present = set(loaded_datasets(con))
    rows = con.execute(
        f"SELECT dataset, file_name, finished_at FROM ({CURRENT_LOADS}) ORDER BY dataset"
    ).fetchall()
    return {dataset: DataLoad(file, at) for dataset, file, at in rows if dataset in present}


def data_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Dataset → sha256 of the file its current version was loaded from (for run records)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_loads'").fetchone()[0]:
        return {}
    present = set(loaded_datasets(con))
    rows = con.execute(f"SELECT dataset, sha256 FROM ({CURRENT_LOADS}) ORDER BY dataset").fetchall()
    return {dataset: sha for dataset, sha in rows if dataset in present}
