"""A workspace: the folder that holds one procuratorate's lake, clue store and config.

Chosen by ``--home DIR`` or ``JIANCHA_HOME`` (default ``./jiancha-home``). The lake
(DuckDB) is analytic and single-writer; the clue store (SQLite by default,
PostgreSQL via ``JIANCHA_DATABASE_URL``) is shared by the CLI and the web app.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiancha.errors import WorkspaceError

if TYPE_CHECKING:
    from jiancha.clues.seal import AuditSeal

DEFAULT_HOME = "jiancha-home"


@dataclass(frozen=True)
class Workspace:
    """Paths and settings of one workspace; creating it makes the folder."""

    home: Path

    @classmethod
    def resolve(cls, home: str | Path | None = None) -> Workspace:
        """The workspace named by the argument, else JIANCHA_HOME, else ./jiancha-home."""
        chosen = Path(home or os.environ.get("JIANCHA_HOME") or DEFAULT_HOME).expanduser().resolve()
        if chosen.exists() and not chosen.is_dir():
            raise WorkspaceError(f"工作区路径 {chosen} 不是文件夹；请用 --home 指定一个文件夹。")
        chosen.mkdir(parents=True, exist_ok=True)
        return cls(chosen)

    @property
    def lake_path(self) -> Path:
        """The DuckDB file holding every loaded dataset, lineage and rejections."""
        return self.home / "lake.duckdb"

    @property
    def store_url(self) -> str:
        """SQLAlchemy URL of the clue store."""
        return os.environ.get("JIANCHA_DATABASE_URL") or f"sqlite:///{self.store_file}"

    @property
    def store_file(self) -> Path | None:
        """The clue store's SQLite file; None when ``JIANCHA_DATABASE_URL`` names the database."""
        return None if os.environ.get("JIANCHA_DATABASE_URL") else self.home / "store.sqlite"

    @property
    def config_path(self) -> Path:
        return self.home / "jiancha.toml"

    @property
    def artifacts_dir(self) -> Path:
        """Documents, reports and exports written on the user's behalf."""
        path = self.home / "artifacts"
        path.mkdir(exist_ok=True)
        return path

    def audit_seal(self) -> AuditSeal:
        """The clue store's audit key and anchor file (``[audit] key_file`` or ``audit.key`` here).

        Imported here, so commands that never open the store stay light.
        """
        from jiancha.clues.seal import AuditSeal

        return AuditSeal.for_workspace(self.home, self.config())

    def config(self) -> dict[str, Any]:
        """The workspace config file (TOML), or an empty config when there is none."""
        if not self.config_path.exists():
            return {}
        try:
            return tomllib.loads(self.config_path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"配置文件 {self.config_path} 不是有效的 TOML：{exc}") from exc
