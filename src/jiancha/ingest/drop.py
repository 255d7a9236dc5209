"""A data drop: the folder an agency delivers, and loading every dataset file in it.

Files are matched to datasets by name (``<dataset>.csv|.csv.gz|.xlsx|.parquet``). A name
the contract does not know is reported and skipped; a dataset delivered twice
in one drop (say as .csv and .xlsx) is reported and neither file is loaded,
because nothing says which one is right — the lake keeps its previous version.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from jiancha.contracts import Dataset, dataset, datasets
from jiancha.disk import disk_full, out_of_space, read_only_fs, read_only_workspace
from jiancha.errors import ContractError
from jiancha.i18n import tr
from jiancha.ingest.coerce import install_macros
from jiancha.ingest.encoding import (
    FileFacts,
    check_text,
    gunzip,
    hash_file,
    plain_utf8_head,
    scan_csv,
    to_utf8,
)
from jiancha.ingest.headers import map_headers
from jiancha.ingest.lineage import current_load, ensure_lineage, next_load_id
from jiancha.ingest.load import (
    Attempt,
    Outcome,
    commit,
    drop_stage,
    publish,
    record_outcome,
    stage,
    unchanged,
)
from jiancha.ingest.progress import LoadProgress
from jiancha.ingest.readers import Source, csv_source, parquet_source, release_sources, xlsx_source
from jiancha.ingest.report import FileResult, IngestReport, Rejection
from jiancha.ingest.sniff import GZIP, check_kind, empty
from jiancha.lake import open_lake
from jiancha.lake.convert import refuse_old_format
from jiancha.lake.layout import lake_folder
from jiancha.lake.manifest import repair
from jiancha.lake.versions import remove_orphans
from jiancha.pauses import AFTER_LOAD, pause
from jiancha.workspace import Workspace

#: The name endings read, longest first (``.csv.gz`` is a gzip-compressed CSV).
SUFFIXES = (".csv.gz", ".csv", ".xlsx", ".parquet")

#: Rejections an ingest hands back in memory (and so in the report file); all stay in the lake.
MAX_LISTED = 200_000

#: DuckDB settings for ingest: bounded memory (spilling to disk) and query progress for the bar.
SETTINGS = (
    "SET memory_limit = '1GB'",
    "SET preserve_insertion_order = true",
    "SET enable_progress_bar = true",
    "SET enable_progress_bar_print = false",
)


@dataclass(frozen=True)
class DropFile:
    """A file of the drop that names a dataset of the contract."""

    path: Path
    dataset: str

    @property
    def format(self) -> str:
        """The name ending that says how to read it (one of :data:`SUFFIXES`)."""
        return file_format(self.path) or ""


def file_format(path: Path) -> str | None:
    """The ending of ``path`` among :data:`SUFFIXES` (case-insensitive), or None."""
    name = path.name.lower()
    return next((suffix for suffix in SUFFIXES if name.endswith(suffix)), None)


def _skipped(path: Path, dataset_name: str | None, message: str) -> FileResult:
    return FileResult(path.name, dataset_name, "skipped", message=message)


def plan_drop(drop_dir: Path) -> tuple[list[DropFile], list[FileResult]]:
    """The files to load, and the files skipped with the reason (unknown name, dataset given twice)."""
    if not drop_dir.is_dir():
        raise ContractError(
            tr(f"数据目录 {drop_dir} 不存在或不是文件夹。", f"The drop folder {drop_dir} does not exist.")
        )
    known = datasets()
    by_dataset: dict[str, list[Path]] = defaultdict(list)
    skipped: list[FileResult] = []
    for path in sorted(p for p in drop_dir.iterdir() if not p.name.startswith((".", "~$"))):
        suffix = file_format(path)
        stem = path.name[: -len(suffix)] if suffix else ""
        if path.is_file() and stem in known:
            by_dataset[stem].append(path)
            continue
        skipped.append(
            _skipped(
                path,
                None,
                tr(
                    f"{path.name} 不是契约中的数据集文件"
                    "（应为 <数据集>.csv/.csv.gz/.xlsx/.parquet），已跳过。",
                    f"{path.name} is not a dataset file of the contract "
                    "(<dataset>.csv/.csv.gz/.xlsx/.parquet); skipped.",
                ),
            )
        )
    files = []
    for name in known:
        paths = by_dataset.get(name, [])
        if len(paths) == 1:
            files.append(DropFile(paths[0], name))
        for path in paths if len(paths) > 1 else []:
            listed = "、".join(p.name for p in paths)
            skipped.append(
                _skipped(
                    path,
                    name,
                    tr(
                        f"数据集 {name} 在本批数据中有多个文件（{listed}），无法判断以哪个为准，均未导入；"
                        "请只保留一个后重新导入。",
                        f"Dataset {name} comes in several files in this drop ({listed}); none was loaded "
                        "because nothing says which is right. Keep one and ingest again.",
                    ),
                )
            )
    return files, skipped


def _facts(item: DropFile, bars: LoadProgress) -> FileFacts:
    size = item.path.stat().st_size
    with bars.bytes(tr(f"校验 {item.path.name}", f"Hashing {item.path.name}"), size) as advance:
        if item.format == ".csv":
            return scan_csv(item.path, advance)
        return hash_file(item.path, advance)


def _source(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    item: DropFile,
    facts: FileFacts | None,
    bars: LoadProgress,
    tmp: Path,
) -> Source:
    """The file as a relation; a CSV whose ``facts`` are not known yet is read as UTF-8."""
    path, name = item.path, item.path.name
    match item.format:
        case ".xlsx":
            return xlsx_source(con, ds, path, name)
        case ".parquet":
            return parquet_source(con, path, name)
        case ".csv.gz":
            return _gzip_source(item, bars, tmp)
    if facts is None:
        return csv_source(path, name)
    return _text_source(path, name, facts, bars, tmp)


def _gzip_source(item: DropFile, bars: LoadProgress, tmp: Path) -> Source:
    """A gzip-compressed CSV, decompressed into ``tmp`` and then read as any CSV file."""
    name = item.path.name
    check_kind(item.path, name, GZIP)
    plain = tmp / "decompressed.csv"
    with bars.bytes(tr(f"解压 {name}", f"Decompressing {name}"), item.path.stat().st_size) as advance:
        gunzip(item.path, plain, name, advance)
    return _text_source(plain, name, scan_csv(plain, lambda _n: None), bars, tmp)


def _text_source(path: Path, name: str, facts: FileFacts, bars: LoadProgress, tmp: Path) -> Source:
    """A CSV whose bytes were checked: refused unless text, transcoded from GB18030 if need be."""
    if facts.size_bytes == 0:
        raise empty(name)
    check_text(name, facts)
    if facts.encoding == "gb18030":
        utf8 = tmp / "transcoded.csv"
        with bars.bytes(
            tr(f"转码 {name}（GB18030→UTF-8）", f"Transcoding {name}"), facts.size_bytes
        ) as advance:
            to_utf8(path, utf8, advance)
        path = utf8
    return csv_source(path, name)


def _header_only(name: str) -> ContractError:
    return ContractError(
        tr(
            f"文件 {name} 只有表头、没有数据行；未导入，原有数据保留。",
            f"File {name} has a header but no data rows; nothing was loaded and the previous data stays.",
        )
    )


class _Misread(Exception):
    """A CSV read as UTF-8 on the strength of its first chunk turned out not to be UTF-8 throughout."""


def _stage_while_hashing(con: duckdb.DuckDBPyConnection, ds: Dataset, item: DropFile) -> bool:
    """Whether the file may be loaded while its bytes are still being hashed and checked.

    Not when it has the current version's size (it may be unchanged: hash first), nor
    for a CSV whose first chunk is not plain UTF-8 (it needs its encoding settled first).
    """
    current = current_load(con, ds.name)
    if current is not None and current.size_bytes == item.path.stat().st_size:
        return False
    return item.format != ".csv" or plain_utf8_head(item.path)


def _load(
    con: duckdb.DuckDBPyConnection,
    ds: Dataset,
    item: DropFile,
    facts: Future[FileFacts],
    started: datetime,
    bars: LoadProgress,
    tmp: Path,
    load_id: int,
    *,
    early: bool,
    merge: bool = False,
) -> Outcome:
    """Stage one file, or settle why it was unchanged or refused: its outcome, under ``load_id``.

    ``early``: the file is staged while ``facts`` are still being worked out, as UTF-8
    if it is a CSV; should they say otherwise, :class:`_Misread` is raised before
    anything is committed or recorded.
    """

    def attempt() -> Attempt:
        return Attempt(ds.name, item.path.name, facts.result(), started)

    def confirm() -> None:
        if early and facts.result().encoding not in (None, "utf-8"):
            raise _Misread

    if not early and unchanged(con, attempt()):
        message = tr(
            "与当前版本内容相同（sha256 一致），无需重新导入。", "Same bytes as the current version; no-op."
        )
        return record_outcome(attempt(), "unchanged", message, load_id)
    try:
        source = _source(con, ds, item, None if early else facts.result(), bars, tmp)
        header = map_headers(ds, source.headers, item.path.name)
        rows_read, staged = stage(con, ds, source, header, item.path.name, bars)
        confirm()
        if rows_read == 0:
            raise _header_only(item.path.name)
        return commit(con, ds, staged, attempt(), rows_read, load_id, bars, merge=merge)
    except ContractError as exc:
        drop_stage(con, ds)
        confirm()
        return record_outcome(attempt(), "rejected_file", str(exc), load_id)
    except duckdb.Error as exc:
        if out_of_space(exc) or read_only_fs(exc):  # not the file's fault: the whole ingest stops
            with suppress(duckdb.Error):
                drop_stage(con, ds)
            raise
        drop_stage(con, ds)
        confirm()
        message = tr(
            f"文件 {item.path.name} 读取或写入时出错，未导入，原有数据保留：{exc}",
            f"File {item.path.name} could not be read or written; nothing was loaded and the "
            f"previous data stays: {exc}",
        )
        return record_outcome(attempt(), "rejected_file", message, load_id)
    finally:
        release_sources(con, tmp)


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    item: DropFile,
    bars: LoadProgress,
    tmp: Path,
    load_id: int,
    *,
    merge: bool = False,
) -> Outcome:
    """Stage one dataset file, or settle why it is unchanged or refused (:func:`publish` makes it visible).

    The file's sha256 and encoding check (a Python pass over every byte, about a sixth
    of a CSV load) run in a thread beside DuckDB's scan whenever the outcome cannot
    depend on them; hashing releases the interpreter lock, so both cores work.
    """
    ds = dataset(item.dataset)
    started = datetime.now()
    with ThreadPoolExecutor(1, thread_name_prefix="jiancha-facts") as pool:
        facts = pool.submit(_facts, item, bars)
        if _stage_while_hashing(con, ds, item):
            try:
                return _load(con, ds, item, facts, started, bars, tmp, load_id, early=True, merge=merge)
            except _Misread:
                drop_stage(con, ds)
        return _load(con, ds, item, facts, started, bars, tmp, load_id, early=False, merge=merge)


def _drop_leftover_stages(con: duckdb.DuckDBPyConnection) -> None:
    """Remove stage tables a killed ingest of the older format left in ``lake.duckdb`` (they never
    held a visible version; stages are TEMP tables now)."""
    for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE starts_with(table_name, '_stage_')"
    ).fetchall():
        con.execute(f'DROP TABLE "{name}"')


def _rejections(con: duckdb.DuckDBPyConnection, load_ids: list[int]) -> tuple[list[Rejection], int]:
    """This ingest's rejections (at most :data:`MAX_LISTED`, in load and row order) and their total."""
    if not load_ids:
        return [], 0
    where = f"WHERE load_id IN ({', '.join(str(i) for i in load_ids)})"
    total = con.execute(f"SELECT count(*) FROM _rejections {where}").fetchone()[0]
    rows = con.execute(
        f'SELECT dataset, file, "row", field, value, reason, severity FROM _rejections {where} '
        f'ORDER BY load_id, "row" NULLS FIRST, rowid LIMIT {MAX_LISTED}'
    ).fetchall()
    return [Rejection(*row) for row in rows], int(total)


def ingest_drop(
    workspace: Workspace, drop_dir: str | Path, *, progress: bool = True, merge: bool = False
) -> IngestReport:
    """Load every dataset file of a drop into the workspace's lake; returns what happened to each file.

    ``merge``: each file is merged into its dataset's current version rather than replacing it
    (``jiancha.ingest.merge``), for drops that each carry a further period. Every file is staged
    first; one transaction then publishes them all, so a killed ingest leaves the lake as before.
    """
    files, skipped = plan_drop(Path(drop_dir))
    report = IngestReport(files=list(skipped))
    report.rejections += [
        Rejection(s.dataset, s.file, None, None, None, s.message or "", "error") for s in skipped
    ]
    con = open_lake(workspace, read_only=False)
    try:
        _ingest(con, workspace.lake_path, files, report, progress, merge)
    except (duckdb.Error, OSError) as exc:
        _clear_unpublished(con, workspace.lake_path)
        if out_of_space(exc):
            raise disk_full(
                workspace.lake_path,
                "本次导入未做任何更改，数据湖保持导入前的状态；",
                "nothing of this ingest was kept and the lake is as it was before it.",
            ) from exc
        if read_only_fs(exc):
            raise read_only_workspace(workspace.lake_path) from exc
        raise
    finally:
        con.close()
    return report


def _clear_unpublished(con: duckdb.DuckDBPyConnection, workspace_lake: Path) -> None:
    """Delete the version files of a failed ingest (staged, never committed) now, so a full disk
    gets its space back; if even that fails, the next writer's :func:`repair` removes them."""
    with suppress(duckdb.Error, OSError):
        remove_orphans(con, lake_folder(workspace_lake))


def _ingest(
    con: duckdb.DuckDBPyConnection,
    workspace_lake: Path,
    files: list[DropFile],
    report: IngestReport,
    progress: bool,
    merge: bool,
) -> None:
    """Stage every file, publish them in one transaction, and add what happened to ``report``."""
    refuse_old_format(con, workspace_lake)
    for setting in SETTINGS:
        con.execute(setting)
    install_macros(con)
    ensure_lineage(con)
    _drop_leftover_stages(con)
    repair(con, lake_folder(workspace_lake))
    first_id = next_load_id(con)
    with LoadProgress(progress) as bars, tempfile.TemporaryDirectory(prefix="jiancha-ingest-") as tmp:
        outcomes = [
            ingest_file(con, item, bars, Path(tmp), first_id + n, merge=merge) for n, item in enumerate(files)
        ]
    publish(con, outcomes)
    pause(AFTER_LOAD)
    report.files += [outcome.result for outcome in outcomes]
    listed, total = _rejections(con, [f.load_id for f in report.files if f.load_id is not None])
    report.rejections += listed
    report.rejections_total = len(report.rejections) - len(listed) + total
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error as exc:  # the drop is committed (in the WAL); a later write checkpoints it
        if not out_of_space(exc):
            raise
