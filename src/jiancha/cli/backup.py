"""``jiancha backup DIR`` and ``jiancha restore DIR``: the whole workspace, copied consistently."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jiancha.cli.app import app, console, workspace
from jiancha.i18n import tr


def _pg_note() -> None:
    from jiancha.backup import PG_RECIPE

    console.print(
        tr(
            "线索库在 PostgreSQL 中，不在工作区内：请用 pg_dump / pg_restore 备份与恢复（DIR 为备份目录）：",
            "The clue store is in PostgreSQL, outside the workspace: back it up and restore it with "
            "pg_dump / pg_restore (DIR is the backup folder):",
        )
    )
    console.print(PG_RECIPE, markup=False, highlight=False)


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="新的或空的备份目录 (a new or empty folder)")],
) -> None:
    """备份整个工作区：数据湖、线索库、密钥、配置与文书 (back up the workspace).

    Safe while the web app and model runs read it; an ingest waits until the lake is copied.
    Example: jiancha backup /mnt/backup/jiancha-2024-12-31
    """
    from jiancha.backup import backup_workspace

    with console.status(tr("正在备份工作区…", "Backing up the workspace…")):
        result = backup_workspace(workspace(ctx), target)
    console.print(
        tr(
            f"已备份到 {result.path}：{len(result.files)} 个文件，清单与校验值见 backup.json。",
            f"Backed up to {result.path}: {len(result.files)} files; backup.json lists them with checksums.",
        )
    )
    if result.key_outside:
        console.print(
            tr(
                f"注意：审计密钥 {result.key_outside} 在工作区之外，未包含在备份中；请另行妥善备份。",
                f"Note: the audit key {result.key_outside} lies outside the workspace and is not in the "
                "backup; keep a copy of it safely elsewhere.",
            )
        )
    if result.store_in_postgres:
        _pg_note()


@app.command("restore")
def restore(
    ctx: typer.Context,
    source: Annotated[
        Path, typer.Argument(help="jiancha backup 写出的目录 (a folder made by jiancha backup)")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="覆盖不为空的工作区 (replace a non-empty workspace)")
    ] = False,
) -> None:
    """从备份恢复工作区，并校验审计日志 (restore the workspace from a backup, then verify the audit log).

    Example: jiancha --home ./jiancha-home restore /mnt/backup/jiancha-2024-12-31
    """
    from jiancha.backup import restore_workspace

    ws = workspace(ctx)
    with console.status(tr("正在恢复工作区…", "Restoring the workspace…")):
        manifest = restore_workspace(source, ws.home, force=force)
    console.print(
        tr(
            f"已从 {source} 恢复工作区 {ws.home}（{len(manifest['files'])} 个文件，"
            f"备份于 {manifest['created_at']}）。",
            f"Restored workspace {ws.home} from {source} ({len(manifest['files'])} files, backed up "
            f"{manifest['created_at']}).",
        )
    )
    if manifest["store"] == "postgresql":
        _pg_note()
        return
    from jiancha.cli.audit import verify

    verify(ctx)
