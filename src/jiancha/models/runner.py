"""Running models: one run over the lake, each model isolated, every outcome recorded.

For each chosen model the runner skips it when a dataset it reads is absent,
resolves its parameters (command line > workspace config > default), registers the
reference and derived tables it needs, runs its query on the engine under a time
limit, turns the rows into findings with their evidence, and hands them to the
clue sink. A model that fails is recorded with its error and the next one runs.
The whole run is kept as a :class:`~jiancha.findings.RunRecord`.

Every model computes before anything is written; the findings, the readings the
derived tables queued and the run record are then written in one transaction of
the sink where it offers one (``ClueStore.together``), so a run killed half-way
leaves the store as it was.
"""

from __future__ import annotations

import getpass
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyarrow import csv

from jiancha.coverage import LakeCoverage
from jiancha.errors import JianchaError, ModelError, WorkspaceError
from jiancha.findings import ClueSink, Finding, Judged, ModelRunRecord, RunRecord
from jiancha.i18n import tr
from jiancha.law import LawCatalogue
from jiancha.models.asof import latest_date
from jiancha.models.catalog import Catalog, Model
from jiancha.models.compile import compile_query, model_sql
from jiancha.models.engine import Engine, QueryTimeout
from jiancha.models.evidence import fetch_evidence
from jiancha.models.limits import DEFAULT_TIME_LIMIT
from jiancha.models.parameters import resolve
from jiancha.models.results import check_columns, evidence_keys, to_findings
from jiancha.models.skipped import skipped_subjects
from jiancha.models.values import json_rows, json_safe
from jiancha.text.queue import QueuedDoubt, ReadingDecision, ReadingQueue


@dataclass(frozen=True)
class RunSettings:
    """What a run is asked to do beyond which models: dates, parameters, limits."""

    as_of: date | None = None
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # --param, by model id
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # jiancha.toml [parameters]
    time_limit: float | None = DEFAULT_TIME_LIMIT
    user: str = field(default_factory=lambda: _current_user())
    law: LawCatalogue | None = None  # the workspace's legal-basis catalogue (built-in only when None)
    feeds: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # jiancha.toml [coverage]


@dataclass
class _Session:
    """Per-run state: the engine, what it holds, and the derived tables computed so far."""

    engine: Engine
    catalog: Catalog
    settings: RunSettings
    run_id: str
    as_of: date
    tables: set[str]
    coverage: LakeCoverage = field(default_factory=lambda: LakeCoverage({}))
    derived: dict[str, ModelError | None] = field(default_factory=dict)
    sink: _HeldQueue | None = None  # handed to derived tables that keep state in the store

    def readable(self, model: Model) -> set[str]:
        """The tables a model may read: what it declares, and the reference tables."""
        return {*model.spec.datasets, *model.spec.derived, *self.catalog.references}

    def missing(self, model: Model) -> list[str]:
        """The model's datasets that are not loaded (the model is skipped when there are any)."""
        return [d for d in model.spec.datasets if d not in self.tables]

    def prepare_derived(self, models: list[Model]) -> None:
        """Compute the derived tables runnable models read before any runs, so a model's time is its own.

        A failure is remembered and reported by each model that reads the table.
        """
        for name in dict.fromkeys(n for m in models if not self.missing(m) for n in m.spec.derived):
            with suppress(ModelError):
                self.ensure_derived(name)

    def ensure_derived(self, name: str) -> None:
        """Compute and register a derived table once per run; a failure is remembered and re-raised."""
        if name not in self.derived:
            try:
                self.engine.add_derived(name, self.sink)
                self.tables.add(name)
                self.derived[name] = None
            except ModelError as exc:
                self.derived[name] = exc
            except Exception as exc:
                self.derived[name] = ModelError(f"派生表 {name} 计算失败：{type(exc).__name__}: {exc}")
        error = self.derived[name]
        if error is not None:
            raise error


ModelCallback = Callable[[Model, ModelRunRecord], None]


@dataclass(frozen=True)
class _Pending:
    """A model's findings, computed and waiting for the run's write."""

    findings: list[Finding]
    judged: Judged


class _HeldQueue:
    """The store as derived tables see it during a run: people's decisions are read at once, the
    doubts the reader queues wait for the run's one write (so a killed run queues none)."""

    def __init__(self, queue: ReadingQueue) -> None:
        self.queue = queue
        self.doubts: list[QueuedDoubt] = []

    def reading_decisions(self) -> Sequence[ReadingDecision]:
        return self.queue.reading_decisions()

    def queue_readings(self, doubts: Sequence[QueuedDoubt]) -> int:
        """Hold the doubts for the run's write; how many were held."""
        self.doubts.extend(doubts)
        return len(doubts)


def _one_write(sink: ClueSink) -> AbstractContextManager[object]:
    """The sink's single transaction for all of a run's writes, where it has one."""
    together = getattr(sink, "together", None)
    return together() if together is not None else nullcontext()


def run_models(
    engine: Engine,
    catalog: Catalog,
    sink: ClueSink,
    model_ids: list[str] | None = None,
    settings: RunSettings | None = None,
    on_model: ModelCallback | None = None,
    on_start: Callable[[Model], None] | None = None,
) -> RunRecord:
    """Run the chosen models (all when ``model_ids`` is None) and record the run with ``sink``.

    ``on_model`` hears each model's record once it has computed (its sync counts come with the
    returned run, written after every model has computed).
    """
    settings = settings or RunSettings()
    models = catalog.select(model_ids)
    _check_parameter_targets(catalog, settings)
    started = datetime.now()
    tables = engine.tables()
    for name, path in catalog.references.items():
        engine.register(name, _read_reference(name, path))
        tables.add(name)
    held = _HeldQueue(sink) if isinstance(sink, ReadingQueue) else None
    session = _Session(
        engine,
        catalog,
        settings,
        uuid.uuid4().hex,
        settings.as_of or latest_date(engine, tables),
        tables,
        engine.coverage(settings.feeds),
        sink=held,
    )
    session.prepare_derived(models)
    computed = []
    for model in models:
        if on_start:
            on_start(model)
        record, pending = _run_one(session, model)
        computed.append((model, record, pending))
        if on_model:
            on_model(model, record)
    versions, loads = engine.lineage()
    with _one_write(sink):
        if held is not None and held.doubts:
            held.queue.queue_readings(held.doubts)
        records = [_sync(session, model, record, pending, sink) for model, record, pending in computed]
        if model_ids is None:
            records.extend(_load_problem(path, message) for path, message in catalog.problems.items())
        run = RunRecord(
            run_id=session.run_id,
            started_at=started,
            finished_at=datetime.now(),
            as_of=session.as_of,
            data_versions=versions,
            models=records,
            user=settings.user,
            loads=loads,
        )
        sink.record_run(run)
    return run


def _sync(
    session: _Session, model: Model, record: ModelRunRecord, pending: _Pending | None, sink: ClueSink
) -> ModelRunRecord:
    """Hand a computed model's findings to the sink; its record with the counts (or the sink's error)."""
    if pending is None:
        return record
    start = time.perf_counter()
    try:
        counts = sink.sync_findings(session.run_id, model.id, pending.findings, judged=pending.judged)
    except WorkspaceError:  # the store cannot be written (full disk, read-only): the run stops
        raise
    except JianchaError as exc:
        return _failed(model, record.parameters, start - record.seconds, str(exc), record.sql)
    except Exception as exc:  # a store error: record it with the model, sync the next one
        message = f"模型 {model.id}（{model.query_origin}）运行出错：{exc}"
        return _failed(model, record.parameters, start - record.seconds, message, record.sql)
    return replace(record, counts=counts, seconds=record.seconds + time.perf_counter() - start)


def _run_one(session: _Session, model: Model) -> tuple[ModelRunRecord, _Pending | None]:
    """One model, isolated: whatever goes wrong becomes its record's error, never the run's.

    The findings come back for the run's write (None when the model was skipped or failed).
    """
    start = time.perf_counter()
    missing = session.missing(model)
    if missing:
        message = tr(f"缺少数据集：{'、'.join(missing)}", f"datasets not loaded: {', '.join(missing)}")
        return ModelRunRecord(model.id, "skipped", {}, time.perf_counter() - start, message=message), None
    values: dict[str, Any] = {}
    sql = None
    try:
        legal_basis = model.legal_basis_text(session.settings.law)
        values = resolve(
            model, session.settings.config.get(model.id), session.settings.parameters.get(model.id)
        )
        for name in model.spec.derived:
            session.ensure_derived(name)
        as_of = session.coverage.judged_until(model.spec.datasets, session.as_of)
        backend = session.engine.backend if model.spec.ibis else None  # Ibis loads only for Ibis models
        sql = model_sql(model, backend, values, as_of)
        readable = session.readable(model)
        judged = _judged(session, model, as_of)
        found = _findings(
            session, model, compile_query(model, sql, values, as_of, readable).wrapped, legal_basis
        )
        findings = [f for f in found if judged(f.subject_id, f.period)]
        skipped = skipped_subjects(
            session.engine, model, values, as_of, readable, session.settings.time_limit
        )
    except QueryTimeout as exc:
        return _failed(model, values, start, f"模型 {model.id}（{model.query_origin}）：{exc}", sql), None
    except JianchaError as exc:
        return _failed(model, values, start, str(exc), sql), None
    except Exception as exc:  # a model's own bug or a backend error: record it, run the next model
        message = f"模型 {model.id}（{model.query_origin}）运行出错：{exc}"
        return _failed(model, values, start, message, sql), None
    record = ModelRunRecord(
        model.id,
        "ok",
        json_safe(values),
        time.perf_counter() - start,
        len(findings),
        sql=sql,
        skipped_subjects=skipped,
        message=_judged_until(as_of) if as_of < session.as_of else None,
    )
    return record, _Pending(findings, judged)


def _judged_until(as_of: date) -> str:
    return tr(
        f"数据只覆盖到 {as_of}，本模型判断到该日为止",
        f"the data reach only {as_of}; judged up to that day",
    )


def _judged(session: _Session, model: Model, as_of: date) -> Judged:
    """Which (subject, period) the model judges: periods all its feeds cover up to ``as_of``, and
    for a facility, not past where its own data stop (that is a coverage gap, shown as such:
    ``jiancha.coverage.coverage_gaps``). Findings elsewhere are not raised; clues elsewhere stay."""
    names = model.spec.datasets
    facility = model.spec.subject_type == "facility"
    coverage = session.coverage

    def judged(subject: str, period: str | None) -> bool:
        return coverage.judges(names, subject if facility else None, period, as_of)

    return judged


def _findings(session: _Session, model: Model, wrapped: str, legal_basis: str) -> list[Finding]:
    limit = session.settings.time_limit
    table = session.engine.query(wrapped, limit)
    check_columns(model, table.schema)
    rows = json_rows(table)
    keys = evidence_keys(model, rows)
    evidence = fetch_evidence(session.engine, model, set(keys.values()), limit)
    return to_findings(model, rows, keys, evidence, legal_basis)


def _failed(
    model: Model, values: Mapping[str, Any], start: float, message: str, sql: str | None
) -> ModelRunRecord:
    return ModelRunRecord(
        model.id, "error", json_safe(dict(values)), time.perf_counter() - start, message=message, sql=sql
    )


def _load_problem(path: Path, message: str) -> ModelRunRecord:
    """A model file that did not load appears in the run as an error under its file name."""
    return ModelRunRecord(path.stem, "error", {}, 0.0, message=message)


def _current_user() -> str:
    """The operating-system user running the command (recorded with the run)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry, as in some containers
        return "unknown"


def _check_parameter_targets(catalog: Catalog, settings: RunSettings) -> None:
    """A --param for a model that does not exist is a typo: say so before running anything."""
    for model_id in settings.parameters:
        if model_id not in catalog.models:
            raise ModelError(f"--param 指定的模型 {model_id} 不存在；用 jiancha models list 查看模型编号。")


def _read_reference(name: str, path: Path) -> pa.Table:
    """A reference CSV as an Arrow table (read in Python: the engine itself cannot read files)."""
    try:
        return csv.read_csv(path)
    except Exception as exc:
        raise ModelError(f"参照表 {name}（{path}）无法读取：{exc}") from exc
