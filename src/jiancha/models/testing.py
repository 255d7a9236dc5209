"""Golden tests for models: a tiny lake built from rows written in the test.

::

    lake = GoldenLake(tmp_path)
    lake.add("sewage_facilities", [{"facility_id": "F1", ...}])
    found = lake.run("water.facility_idle", as_of="2024-06-30", params={"min_days": 20})
    assert {(f.subject_id, f.period) for f in found} == {("F1", "2024-03")}

The lake follows the lake conventions and layout (each ``add`` writes the dataset's next
Parquet version and its ``_loads`` row; contract fields with their lake types,
``_file`` = ``<dataset>.csv``, ``_row`` = 2, 3, … in the order added), datasets not
added are absent, and :meth:`GoldenLake.run` goes through the same runner as
``jiancha run`` — only the clue store is replaced by :class:`CollectingSink`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jiancha.contracts import dataset as contract_dataset
from jiancha.errors import ModelError
from jiancha.findings import Finding, Judged, ModelRunRecord, RunRecord, SyncCounts
from jiancha.ingest.lineage import ensure_lineage, record_loaded
from jiancha.lake import connect
from jiancha.lake.layout import Version, lake_folder, table_names
from jiancha.lake.manifest import publish
from jiancha.lake.versions import write_version
from jiancha.law import LawCatalogue
from jiancha.models.catalog import Catalog
from jiancha.models.engine import DuckDBEngine
from jiancha.models.lake_tables import columns_sql, quote
from jiancha.models.limits import DEFAULT_TIME_LIMIT
from jiancha.models.runner import RunSettings, run_models

FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it


class CollectingSink:
    """A clue sink that keeps what it is given, for tests: findings by model and the run records."""

    def __init__(self) -> None:
        self.findings: dict[str, list[Finding]] = {}
        self.runs: list[RunRecord] = []

    def sync_findings(
        self, run_id: str, model_id: str, findings: Sequence[Finding], *, judged: Judged | None = None
    ) -> SyncCounts:
        self.findings[model_id] = list(findings)
        return SyncCounts(new=len(findings))

    def record_run(self, run: RunRecord) -> None:
        self.runs.append(run)


class GoldenLake:
    """A fresh DuckDB lake in ``folder`` that tests fill row by row and run models on."""

    def __init__(self, folder: Path, models_dir: Path | None = None) -> None:
        self.path = Path(folder) / "lake.duckdb"
        self.models_dir = models_dir
        self.last_run: RunRecord | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(self.path)) as con:
            ensure_lineage(con)

    def add(self, dataset: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append rows (contract field names → Python values; missing fields are NULL).

        Each call writes the dataset's next Parquet version (what it held plus the rows), as an
        ingest would, so models read the lake exactly as a workspace's.
        """
        spec = contract_dataset(dataset)
        rows = list(rows)
        unknown = sorted({k for row in rows for k in row} - set(spec.field_names))
        if unknown:
            raise ModelError(
                f"数据集 {dataset} 没有字段 {'、'.join(unknown)}（契约字段：{'、'.join(spec.field_names)}）。"
            )
        with connect(self.path, read_only=False) as con:
            exists = dataset in table_names(con)
            if exists and not rows:
                return
            con.execute(f"CREATE TEMP TABLE golden ({columns_sql(spec)})")
            if exists:
                con.execute(f"INSERT INTO golden BY NAME SELECT * FROM {quote(dataset)}")
            start = con.execute(
                f"SELECT coalesce(max(_row), {FIRST_DATA_ROW - 1}) + 1 FROM golden"
            ).fetchone()[0]
            if rows:
                self._insert(
                    con, spec.name, [n for n in spec.field_names if any(n in r for r in rows)], rows, start
                )
            folder = lake_folder(self.path)
            count = con.execute("SELECT count(*) FROM golden").fetchone()[0]
            load_id = record_loaded(con, dataset, f"{dataset}.csv", "golden test rows")
            write_version(
                con, folder, Version(dataset, "dataset", str(load_id)), "SELECT * FROM golden", rows=count
            )
            publish(con, folder)

    @staticmethod
    def _insert(
        con: duckdb.DuckDBPyConnection,
        dataset: str,
        columns: list[str],
        rows: list[Mapping[str, Any]],
        start: int,
    ) -> None:
        try:
            table = pa.table(
                {
                    **{name: pa.array([row.get(name) for row in rows]) for name in columns},
                    "_file": pa.array([f"{dataset}.csv"] * len(rows), pa.string()),
                    "_row": pa.array(range(start, start + len(rows)), pa.int64()),
                }
            )
            con.register("golden_rows", table)
            con.execute("INSERT INTO golden BY NAME SELECT * FROM golden_rows")
        except (pa.ArrowException, duckdb.Error) as exc:
            raise ModelError(
                f"数据集 {dataset} 的测试行写不进湖仓：{exc}（值应与契约字段的类型相符，"
                "日期用 date、时间用 datetime、列表字段用 list[str]）。"
            ) from exc

    def run(
        self,
        model_id: str,
        as_of: str | date | None = None,
        params: Mapping[str, Any] | None = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        law: LawCatalogue | None = None,
    ) -> list[Finding]:
        """Run one model as ``jiancha run --models ID`` would; its findings (empty when skipped).

        A model that fails raises its ModelError; :attr:`last_run` holds the run record
        (``last_record`` the model's own, with its skip reason). ``law`` is the legal-basis
        catalogue its keys resolve in (built-in only when None; a model citing the workspace's
        own provisions passes e.g. ``builtin_catalogue().with_additions([...])``).
        """
        settings = RunSettings(
            as_of=date.fromisoformat(as_of) if isinstance(as_of, str) else as_of,
            parameters={model_id: dict(params or {})},
            time_limit=time_limit,
            law=law,
        )
        sink = CollectingSink()
        engine = DuckDBEngine(self.path)
        try:
            self.last_run = run_models(engine, Catalog.load(self.models_dir), sink, [model_id], settings)
        finally:
            engine.close()
        record = self.last_record
        if record.status == "error":
            raise ModelError(record.message or model_id)
        return sink.findings.get(model_id, [])

    @property
    def last_record(self) -> ModelRunRecord:
        """The record of the model run last."""
        if self.last_run is None:
            raise ModelError("GoldenLake.run 尚未运行过任何模型。")
        return self.last_run.models[0]
