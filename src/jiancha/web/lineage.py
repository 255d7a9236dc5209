"""The datasets page's data: load history and rejections from the lake's ``_loads`` and ``_rejections``.

The clue store keeps no copy of lineage, so this is the one place the web app
touches the lake: a read-only DuckDB connection opened for the request and
closed at once (a held connection would block the next ``jiancha ingest``).
A lake locked by a running ingest, or not created yet, becomes a sentence on
the page instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jiancha.clues.masking import mask_value, personal_fields
from jiancha.contracts import datasets
from jiancha.coverage import Gap, coverage_gaps
from jiancha.errors import WorkspaceError
from jiancha.lake import CURRENT_LOADS, open_lake
from jiancha.lake.layout import table_names
from jiancha.workspace import Workspace

LOAD_COLUMNS = (
    "load_id, dataset, file_name, sha256, encoding, rows_read, rows_loaded, rows_rejected, warnings, "
    "started_at, finished_at, os_user, status, message"
)
MAX_LOADS = 200
MAX_REJECTIONS = 500


@dataclass(frozen=True)
class Lineage:
    """What the datasets page shows; ``unavailable`` says why the lake could not be read."""

    current: dict[str, dict[str, Any]] = field(default_factory=dict)
    loads: list[dict[str, Any]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)
    #: Feeds that have stopped (``jiancha.coverage``): a data-quality finding in itself.
    gaps: list[Gap] = field(default_factory=list)
    unavailable: str | None = None

    @property
    def titles(self) -> dict[str, str]:
        """Dataset name → its Chinese title from the contract."""
        return {name: ds.title for name, ds in datasets().items()}


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _masked(rejection: dict[str, Any]) -> dict[str, Any]:
    """A rejected value of a personal field is shown masked, like evidence rows."""
    if rejection["field"] in personal_fields(rejection["dataset"]):
        return {**rejection, "value": mask_value(rejection["value"])}
    return rejection


def read_lineage(workspace: Workspace, today: date, dataset: str | None = None) -> Lineage:
    """Current versions, the latest load attempts and rejections (optionally of one dataset), and
    the feeds stopped by ``today``."""
    try:
        con = open_lake(workspace, read_only=True)
    except WorkspaceError as exc:
        return Lineage(unavailable=str(exc))
    try:
        if "_loads" not in table_names(con):
            return Lineage()
        where, params = ("WHERE dataset = ?", [dataset]) if dataset else ("", [])
        current = {r["dataset"]: r for r in _rows(con, f"SELECT {LOAD_COLUMNS} FROM ({CURRENT_LOADS})")}
        loads = _rows(
            con, f"SELECT {LOAD_COLUMNS} FROM _loads {where} ORDER BY load_id DESC LIMIT {MAX_LOADS}", params
        )
        rejections = _rows(
            con,
            'SELECT load_id, dataset, file, "row", field, value, reason, severity FROM _rejections '
            f'{where} ORDER BY load_id DESC, "row" LIMIT {MAX_REJECTIONS}',
            params,
        )
        gaps = coverage_gaps(con, today, workspace.config().get("coverage", {}))
        return Lineage(current, loads, [_masked(r) for r in rejections], gaps)
    finally:
        con.close()
