"""The clue store: where findings become clues, and where people work them.

``ClueStore(url)`` opens SQLite or PostgreSQL, upgrades the schema, and offers
the sink the engine writes to (:class:`jiancha.findings.ClueSink`), the queries
the web app and documents read, and the workflow actions people take. Every
change and every unmasked read of personal data is appended to the audit chain
in the same transaction as the change itself.

Writers are serialised: each write transaction first locks the audit head
(PostgreSQL row lock; SQLite ``BEGIN IMMEDIATE``), so two runs, or a run and a
user, never interleave half-way; the unique fingerprint constraint backs this up.
A run writes inside :meth:`ClueStore.together`: its clues, its record and the audit
entries for both commit as one transaction, so a run killed half-way leaves none of it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from jiancha.clues import dashboard as dash
from jiancha.clues import digest, provisions, queries, readings, tallies
from jiancha.clues.audit import AuditRecord, VerifyReport, append, lock_head, verify
from jiancha.clues.detail import clue_id_of, read_detail
from jiancha.clues.digest import Digest
from jiancha.clues.engine import (
    BUSY_TIMEOUT_S,
    WRITER,
    driver_rows,
    make_engine,
    refresh_statistics,
    statistics_rows,
    upgrade,
)
from jiancha.clues.masking import has_personal, personal_fields
from jiancha.clues.prepared import prepare
from jiancha.clues.schema import AuditEntry, AuditHead, Clue, ModelRun, PendingReading, Run, Suggestion, User
from jiancha.clues.seal import AuditSeal
from jiancha.clues.sync import ModelSync
from jiancha.clues.views import (
    ClueDetail,
    ClueFilter,
    ClueView,
    Dashboard,
    FunnelRow,
    HistoryEntry,
    Page,
    RunView,
    TransitionView,
    UserView,
)
from jiancha.clues.workflow import PUBLIC_INTEREST, SYSTEM_USER, Status, SuggestionTerms, check, due_after
from jiancha.disk import disk_full, no_space_left, out_of_space, read_only_fs, read_only_workspace
from jiancha.errors import JianchaError, WorkflowError, WorkspaceError
from jiancha.findings import DataLoad, Finding, Judged, RunRecord, SyncCounts
from jiancha.i18n import tr
from jiancha.law import Provision
from jiancha.pauses import AFTER_RUN, IN_RUN, pause
from jiancha.text.queue import QueuedDoubt, ReadingDecision

if TYPE_CHECKING:
    from jiancha.clues.routing import Router

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
ROLES = ("leadership", "prosecutor", "data_officer", "administrator")
USER_COLUMNS = (
    User.name,
    User.display_name,
    User.password_hash,
    User.role,
    User.office,
    User.active,
    User.failed_sign_ins,
    User.locked_until,
    User.session_generation,
)
MAX_FAILURES = 5  # wrong passwords in a row that lock an account (GB/T 22239: limit illegal sign-ins)
LOCK_MINUTES = 15
NO_TERMS = SuggestionTerms()  # actions other than issue_suggestion carry none
RESAMPLE_SHARE = 0.2  # refresh planner statistics once the table drifts this share from their sample


def local_now() -> datetime:
    """Naive local time (Asia/Shanghai), the convention of the whole project."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def _require_reason(reason: str, what: str) -> str:
    if not reason or not reason.strip():
        raise WorkflowError(
            tr(
                f"“{what}”需要写明理由；请补充理由后重试。",
                f"'{what}' needs a reason; give one and try again.",
            )
        )
    return reason.strip()


def _user_statement() -> Select:
    return select(*USER_COLUMNS).where(User.name == bindparam("name"))


class ClueStore:
    """The clue store over one database URL (SQLite file or PostgreSQL)."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], datetime] = local_now,
        router: Router | None = None,
        seal: AuditSeal | None = None,
    ) -> None:
        """``seal`` holds the audit key and the anchor file; by default the workspace of a SQLite
        file, or ``JIANCHA_AUDIT_KEY`` (:meth:`AuditSeal.for_url`)."""
        self.url = url
        self.engine = make_engine(url)
        try:
            upgrade(self.engine)
        except OperationalError as exc:  # the first connection: a full disk shows here first
            self._refuse_storage(exc)
            raise
        self.seal = seal or AuditSeal.for_url(url)
        self.clock = clock
        self._router = router
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(**{WRITER: True}), expire_on_commit=False)
        # ``.opened``: the transaction of a :meth:`together` block open in this thread, if any.
        self._shared = threading.local()
        self._check_keyring()

    def _check_keyring(self) -> None:
        """Refuse to sign with a keyring that lacks the key of the newest entry.

        That happens when the key file was lost or replaced (a new one is made where none is
        found): carrying on would sign new entries with a key unrelated to the old ones.
        """
        with self._read() as session:
            newest = session.scalar(select(AuditEntry.key_id).order_by(AuditEntry.seq.desc()).limit(1))
        if newest is not None and self.seal.keyring.secret(newest) is None:
            raise WorkspaceError(
                tr(
                    f"审计日志最新的记录由密钥 {newest} 签名，但 {self.seal.keyring.source} 中没有该密钥；"
                    "请从备份恢复原密钥文件（或在其中补回该密钥）后重试。",
                    f"The newest audit entries are signed with key {newest}, which "
                    f"{self.seal.keyring.source} does not hold; restore the original key file from a "
                    "backup (or add that key back).",
                )
            )

    @property
    def router(self) -> Router:
        """The jurisdiction router, read on first use: reading a clue needs no office polygons."""
        if self._router is None:
            from jiancha.clues.routing import default_router

            self._router = default_router()
        return self._router

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> ClueStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, AuditHead]]:
        """A writer transaction holding the chain's lock; once it commits, the new head is anchored.

        Inside :meth:`together` it is a savepoint of the block's transaction instead: a write
        that fails undoes only itself, and nothing is visible before the block commits.
        """
        shared = getattr(self._shared, "opened", None)
        if shared is not None:
            try:
                with shared[0].begin_nested():
                    yield shared
            except OperationalError as exc:  # the block's transaction is lost: stop it at once
                self._refuse_storage(exc)
                raise WorkspaceError(
                    tr(
                        f"线索库 {self._where()} 的写入中断（{exc.orig}）；本次运行未写入任何内容，"
                        "线索库保持原样，请检查数据库连接后重新运行。",
                        f"Writing to the clue store {self._where()} broke off ({exc.orig}); this run "
                        "wrote nothing and the store is as it was. Check the connection and run again.",
                    )
                ) from exc
            return
        with self._transaction() as opened:
            yield opened

    @contextmanager
    def _transaction(self, *, run: bool = False) -> Iterator[tuple[Session, AuditHead]]:
        """One writer transaction; ``run``: a run's, where crash tests may pause it (``jiancha.pauses``)."""
        try:
            with self._writer.begin() as session:
                head = lock_head(session)
                before = head.seq
                yield session, head
                moved = (head.seq, head.hash, head.keyed_from) if head.seq != before else None
                if moved:  # clues changed: bring the dashboard's summary up to date
                    tallies.refresh_after(session, before)
                if run:
                    pause(IN_RUN)
            if run:
                pause(AFTER_RUN)
            if moved:
                self.seal.anchor(*moved)
        except OperationalError as exc:
            self._refuse_storage(exc)
            if "locked" not in str(exc.orig):
                raise
            raise WorkspaceError(
                tr(
                    f"线索库 {self.engine.url.render_as_string()} 被其他进程长时间占用写入"
                    f"（已等待 {BUSY_TIMEOUT_S} 秒）；请等其完成后重试。",
                    f"The clue store {self.engine.url.render_as_string()} stayed locked by another writer "
                    f"for {BUSY_TIMEOUT_S} s; try again once it has finished.",
                )
            ) from exc

    def _refuse_storage(self, exc: OperationalError) -> None:
        """Raise the sentence for a full disk or a read-only store, if ``exc`` is either."""
        sqlite = self.engine.url.get_backend_name() == "sqlite"
        if out_of_space(exc) or (sqlite and no_space_left(Path(self._where()).parent)):
            raise disk_full(
                self._where(),
                "这次写入未做任何更改，线索库保持原样；",
                "this write was undone and the store is as it was.",
            ) from exc
        if read_only_fs(exc):
            raise read_only_workspace(self._where()) from exc

    def _where(self) -> str:
        """The store as a place on disk: its SQLite file, or the PostgreSQL database's URL."""
        url = self.engine.url
        return (
            str(url.database).removeprefix("file:")
            if url.get_backend_name() == "sqlite"
            else url.render_as_string()
        )

    @contextmanager
    def together(self) -> Iterator[None]:
        """Make every write inside one transaction, committed when the block ends.

        A run computes its findings first and then writes inside this block (each model's sync,
        the readings it queued, the run record, the overdue flags), so its clues, its record and
        their audit entries become visible together, or, if the process dies first, not at all.
        The chain's lock is held only while the block runs, not while the models compute.
        """
        with self._transaction(run=True) as opened:
            self._shared.opened = opened
            try:
                yield
            finally:
                self._shared.opened = None
        self._resample()

    def _resample(self, expected: int | None = None) -> None:
        """Refresh the planner's statistics when the clues drifted from their sample (``expected``:
        the clue count, when the caller knows it)."""
        if expected is None:
            with self._read() as session:
                expected = session.scalar(select(func.count()).select_from(Clue)) or 0
        sampled = statistics_rows(self.engine, Clue.__tablename__)
        if abs(expected - sampled) > RESAMPLE_SHARE * max(sampled, 1000):
            refresh_statistics(self.engine, Clue.__tablename__)

    def today(self) -> date:
        return self.clock().date()

    # -- the sink the engine writes to ---------------------------------------------------------

    def sync_findings(
        self,
        run_id: str,
        model_id: str,
        findings: Sequence[Finding],
        user: str = SYSTEM_USER,
        *,
        judged: Judged | None = None,
    ) -> SyncCounts:
        """Upsert this model's findings; supersede its holding clues absent from them in the
        periods the run ``judged`` (all when None): no longer holding, with the reason, never deleted."""
        now = self.clock()
        with self._write() as (session, head):
            before = session.scalar(select(func.count()).select_from(Clue)) or 0
            sync = ModelSync(session, self.router, now, run_id, model_id)
            counts = sync.run(findings, user, judged)
            self._append(session, head, sync.audit, now)
            if sync.redated:  # no audit entry says so, so the write's own refresh would miss it
                tallies.rebuild(session.connection(), [model_id])
        if getattr(self._shared, "opened", None) is None:  # together() resamples once it committed
            self._resample(before + counts.new)
        return counts

    def record_run(self, run: RunRecord) -> None:
        """Keep the run's record: data versions, and each model's parameters, timing and counts.

        A run is also when replies whose period has expired are marked overdue (see
        :meth:`flag_overdue`), so the overdue state never depends on someone remembering to look.
        """
        with self._write() as (session, head):
            if session.get(Run, run.run_id) is not None:
                raise JianchaError(
                    tr(
                        f"运行 {run.run_id} 已有记录；每次运行需要新的运行编号。",
                        f"Run {run.run_id} is already recorded; every run needs a new run id.",
                    )
                )
            session.add(
                Run(
                    run_id=run.run_id,
                    started_at=run.started_at,
                    finished_at=run.finished_at,
                    as_of=run.as_of,
                    data_versions=dict(run.data_versions),
                    loads={
                        name: {"file_name": load.file_name, "loaded_at": load.loaded_at.isoformat()}
                        for name, load in run.loads.items()
                    },
                    user=run.user,
                    models=[
                        ModelRun(
                            model_id=m.model_id,
                            status=m.status,
                            parameters=dict(m.parameters),
                            seconds=m.seconds,
                            findings=m.findings,
                            new=m.counts.new,
                            updated=m.counts.updated,
                            unchanged=m.counts.unchanged,
                            no_longer_holds=m.counts.no_longer_holds,
                            message=m.message,
                            sql=m.sql,
                            skipped_subjects=[
                                {"subject_id": k.subject_id, "reason": k.reason} for k in m.skipped_subjects
                            ],
                        )
                        for m in run.models
                    ],
                )
            )
            record = AuditRecord(
                "run.recorded", run.user, data={"run_id": run.run_id, "models": len(run.models)}
            )
            self._append(session, head, [record], self.clock())
        self.flag_overdue()

    # -- reading ------------------------------------------------------------------------------

    def list_clues(
        self,
        filter: ClueFilter | None = None,
        page: int = 1,
        size: int = 50,
        *,
        count_limit: int | None = None,
    ) -> Page:
        """One page of clues matching ``filter`` (newest first) and the total it matches.

        With ``count_limit`` the total stops there (``Page.capped``): the web list's cheap count.
        """
        with self._read() as session:
            return queries.list_clues(session, filter or ClueFilter(), page, size, count_limit)

    def iter_clues(self, filter: ClueFilter | None = None) -> Iterator[ClueView]:
        """Every clue matching ``filter``, streamed in (model, subject, period) order (for exports)."""
        with self._read() as session:
            yield from queries.iter_clues(session, filter or ClueFilter())

    def get_clue(self, clue_id: str, user: str, unmask: bool = False) -> ClueDetail:
        """One clue with evidence, history and suggestions; an unmasked read of personal data is audited."""
        with self._read() as session:
            result = read_detail(driver_rows(session), clue_id, unmask)
        personal = sorted(
            {f"{e.dataset}.{name}" for e in result.evidence for name in personal_fields(e.dataset)}
            if unmask and any(has_personal(e.dataset, e.values) for e in result.evidence)
            else set()
        )
        if personal:
            record = AuditRecord("personal_data.read", user, result.clue.id, data={"fields": personal})
            with self._write() as (session, head):
                self._append(session, head, [record], self.clock())
        return result

    def runs(self, limit: int = 50) -> tuple[RunView, ...]:
        """The latest runs with each model's outcome (run history, model effectiveness)."""
        with self._read() as session:
            return queries.runs(session, limit)

    def run_loads(self, run_id: str) -> dict[str, DataLoad]:
        """The load of each dataset a run read (empty for an unknown run or one before revision 0008)."""
        with self._read() as session:
            loads = session.scalar(select(Run.loads).where(Run.run_id == run_id)) or {}
        return {
            name: DataLoad(raw["file_name"], datetime.fromisoformat(raw["loaded_at"]))
            for name, raw in loads.items()
        }

    def document_numbers(self, prefix: str) -> list[str]:
        """Document numbers already issued that start with ``prefix`` (to number the next one)."""
        with self._read() as session:
            return list(
                session.scalars(
                    select(Suggestion.document_no).where(Suggestion.document_no.startswith(prefix))
                )
            )

    def transitions(self, start: date, end: date) -> list[TransitionView]:
        """Workflow moves whose effective date falls in [start, end], with the clue's model and office."""
        with self._read() as session:
            rows = session.execute(
                select(AuditEntry.clue_id, AuditEntry.status_to, AuditEntry.data, Clue.model_id, Clue.office)
                .join(Clue, Clue.id == AuditEntry.clue_id)
                .where(AuditEntry.action.startswith("workflow."))
                .order_by(AuditEntry.seq)
            ).all()
        moves = [
            TransitionView(clue_id, model_id, office, status_to, date.fromisoformat(json.loads(data)["on"]))
            for clue_id, status_to, data, model_id, office in rows
        ]
        return [m for m in moves if start <= m.on <= end]

    def dashboard(self, office: str | None = None, *, live: bool = False) -> Dashboard:
        """Counts by model, office, status, severity and month; the funnel; overdue clues.

        ``office`` (full name) limits every figure to that office's clues; None counts them all.
        The figures come from the summary every write keeps in step; ``live`` computes them
        from the clues instead (the same numbers, slower: a check, and what tests compare).
        """
        with self._read() as session:
            return dash.dashboard(session, self.today(), office, live=live)

    def funnel(self, office: str | None = None) -> tuple[FunnelRow, ...]:
        """Only the clue → case → suggestion → rectified counts per model (the models pages)."""
        with self._read() as session:
            return dash.funnel(session, office)

    def digests(self, since: datetime, office: str | None = None) -> list[Digest]:
        """Per office and model: clues raised, updated and superseded since ``since``, and open
        clues whose reply is due within a week or overdue (``jiancha.clues.digest``)."""
        with self._read() as session:
            return digest.collect(session, since, self.today(), office)

    def overdue(self) -> tuple[ClueView, ...]:
        """Open clues past their deadline (replies overdue first of all)."""
        with self._read() as session:
            return dash.overdue(session, self.today())

    # -- workflow -----------------------------------------------------------------------------

    def _clue(self, session: Session, clue_id: str) -> Clue:
        """The clue with this id, or with this unique id prefix (at least 6 characters)."""
        return session.get_one(Clue, clue_id_of(driver_rows(session), clue_id))

    def transition(
        self,
        clue_id: str,
        action: str,
        user: str,
        reason: str,
        *,
        on: date | None = None,
        document_no: str | None = None,
        urgent: bool = False,
        kind: str = PUBLIC_INTEREST,
        reply_by: date | None = None,
        confirmed_provisions: Sequence[str] = (),
    ) -> ClueView:
        """Take a workflow action on a clue.

        ``issue_suggestion`` needs the document number; its kind, urgency and (urgent, not
        公益诉讼) the prosecutor's ``reply_by`` date settle the reply deadline (``clue.due_on``).
        ``confirmed_provisions``: keys of unverified provisions the issuer confirmed citing,
        audited in the same transaction as ``provisions.unverified_confirmed``.
        """
        on = on or self.today()
        terms = SuggestionTerms(document_no, kind, urgent, reply_by, tuple(confirmed_provisions))
        with self._write() as (session, head):
            clue = self._clue(session, clue_id)
            self._apply(session, head, clue, action, user, reason, on, terms)
            return queries.view_of(clue)

    def _apply(
        self,
        session: Session,
        head: AuditHead,
        clue: Clue,
        action: str,
        user: str,
        reason: str,
        on: date,
        terms: SuggestionTerms = NO_TERMS,
    ) -> None:
        """One checked workflow step and its audit entry, inside the caller's write transaction."""
        act = check(clue.id, clue.status, action)
        reason = _require_reason(reason, act.title)
        data: dict[str, object] = {"from": clue.status, "on": on.isoformat()}
        records: list[AuditRecord] = []
        reply = None
        if act.target is Status.SUGGESTION_ISSUED:
            suggestion = self._issue(session, clue, terms, on, user)
            reply = suggestion.reply_due
            data.update(
                document_no=suggestion.document_no,
                kind=suggestion.kind,
                urgent=suggestion.urgent,
                reply_due=reply.isoformat(),
            )
            if terms.confirmed_provisions:
                keys = list(terms.confirmed_provisions)
                confirmed = {"document_no": suggestion.document_no, "provisions": keys}
                records.append(AuditRecord("provisions.unverified_confirmed", user, clue.id, data=confirmed))
        elif act.target is Status.REPLIED:
            self._record_reply(session, clue, on)
        clue.due_on = due_after(act, on, clue.due_on, reply)
        clue.status, clue.updated_at = act.target.value, self.clock()
        data["due_on"] = clue.due_on.isoformat() if clue.due_on else None
        record = AuditRecord(f"workflow.{act.name}", user, clue.id, act.target.value, reason, data)
        self._append(session, head, [record, *records], clue.updated_at)

    def _issue(self, session: Session, clue: Clue, terms: SuggestionTerms, on: date, user: str) -> Suggestion:
        """The suggestion record: a unique number and the reply date its kind and urgency give."""
        document_no = terms.document_no
        if not document_no or not document_no.strip():
            raise WorkflowError(
                tr(
                    f"线索 {clue.id} 制发检察建议需要文号（如 雄检行公建〔2024〕3号）。",
                    f"Issuing a suggestion on clue {clue.id} needs its document number.",
                )
            )
        document_no = document_no.strip()
        used = session.scalar(select(Suggestion.clue_id).where(Suggestion.document_no == document_no))
        if used:
            raise WorkflowError(
                tr(
                    f"文号 {document_no} 已用于线索 {used}；请换一个文号。",
                    f"Document number {document_no} is already used by clue {used}; choose another.",
                )
            )
        suggestion = Suggestion(
            clue_id=clue.id,
            document_no=document_no,
            issued_on=on,
            urgent=terms.urgent,
            kind=terms.kind,
            reply_due=terms.reply_due(on),
            issued_by=user,
        )
        clue.urgent = terms.urgent
        session.add(suggestion)
        return suggestion

    def _record_reply(self, session: Session, clue: Clue, on: date) -> None:
        latest = session.scalars(
            select(Suggestion).where(Suggestion.clue_id == clue.id).order_by(Suggestion.id.desc()).limit(1)
        ).first()
        if latest is not None:
            latest.replied_on = on

    def flag_overdue(self, user: str = SYSTEM_USER) -> list[str]:
        """Move every clue awaiting a reply past its due date to overdue; the ids moved.

        One write transaction: a clue another process answers meanwhile is not touched.
        """
        today = self.today()
        reason = tr("答复期限届满未回复", "the reply period expired without a reply")
        with self._write() as (session, head):
            late = session.scalars(
                select(Clue)
                .where(Clue.status == Status.AWAITING_REPLY.value, Clue.due_on < today)
                .order_by(Clue.due_on, Clue.id)
            ).all()
            for clue in late:
                self._apply(session, head, clue, "mark_overdue", user, reason, today)
            return [clue.id for clue in late]

    def assign(self, clue_id: str, assignee: str | None, user: str, reason: str = "") -> ClueView:
        """Give a clue to a user (``None`` to unassign); the user must exist and be active."""
        with self._write() as (session, head):
            clue = self._clue(session, clue_id)
            if assignee is not None:
                account = session.get(User, assignee)
                if account is None or not account.active:
                    raise JianchaError(
                        tr(
                            f"没有可用的用户 {assignee}；只能分派给已登记且启用的用户。",
                            f"There is no active user {assignee}; clues go only to registered, active users.",
                        )
                    )
            data = {"from": clue.assigned_to, "to": assignee}
            clue.assigned_to, clue.updated_at = assignee, self.clock()
            self._append(
                session,
                head,
                [AuditRecord("clue.assigned", user, clue.id, None, reason, data)],
                clue.updated_at,
            )
            return queries.view_of(clue)

    def move(self, clue_id: str, office: str, user: str, reason: str) -> ClueView:
        """Re-route a clue by hand to another office (full or short name); the reason is kept."""
        target = self.router.office_named(office)
        with self._write() as (session, head):
            clue = self._clue(session, clue_id)
            reason = _require_reason(reason, tr("改派", "move"))
            data = {"from": clue.office, "to": target}
            clue.office, clue.needs_review, clue.updated_at = target, False, self.clock()
            clue.routing_note = f"{user} 人工改派：{reason}"
            self._append(
                session, head, [AuditRecord("clue.moved", user, clue.id, None, reason, data)], clue.updated_at
            )
            return queries.view_of(clue)

    # -- users ---------------------------------------------------------------------------------

    def add_user(
        self,
        name: str,
        password_hash: str,
        role: str,
        *,
        display_name: str | None = None,
        office: str | None = None,
        by: str = SYSTEM_USER,
    ) -> UserView:
        """Register a user; ``password_hash`` is already hashed (argon2) by the caller."""
        if role not in ROLES:
            raise JianchaError(
                tr(
                    f"角色 {role} 无效；可选：{'、'.join(ROLES)}。",
                    f"Role {role} is not valid; choose one of: {', '.join(ROLES)}.",
                )
            )
        office = self.router.office_named(office) if office else None
        with self._write() as (session, head):
            if session.get(User, name) is not None:
                raise JianchaError(tr(f"用户 {name} 已存在。", f"User {name} already exists."))
            user = User(
                name=name,
                display_name=display_name or name,
                password_hash=password_hash,
                role=role,
                office=office,
                active=True,
                failed_sign_ins=0,
                session_generation=0,
                created_at=self.clock(),
            )
            session.add(user)
            record = AuditRecord("user.added", by, data={"name": name, "role": role, "office": office})
            self._append(session, head, [record], user.created_at)
        return UserView(*(getattr(user, c.key) for c in USER_COLUMNS))

    def get_user(self, name: str) -> UserView | None:
        """The user called ``name``, or None.

        The web app asks on every request (so a deactivation takes effect at once): a select
        compiled once (:mod:`jiancha.clues.prepared`), a fraction of loading an ORM object.
        """
        with self.engine.connect() as connection:
            found = prepare(_user_statement, self.engine.dialect).rows(connection, {"name": name})
        return UserView(*found[0]) if found else None

    def list_users(self) -> list[UserView]:
        with self._read() as session:
            return [UserView(*row) for row in session.execute(select(*USER_COLUMNS).order_by(User.name))]

    def set_user_active(self, name: str, active: bool, by: str) -> None:
        """Enable or disable a user (users are never deleted: the audit trail names them)."""
        with self._write() as (session, head):
            user = _named_user(session, name)
            user.active = active
            if not active:
                user.session_generation += 1  # re-enabling must not revive the old sessions
            self._append(
                session,
                head,
                [AuditRecord("user.active", by, data={"name": name, "active": active})],
                self.clock(),
            )

    def set_password(self, name: str, password_hash: str, by: str) -> None:
        """Store a new password hash (audited) and end every session and token issued before it."""
        with self._write() as (session, head):
            user = _named_user(session, name)
            user.password_hash = password_hash
            user.session_generation += 1
            user.failed_sign_ins, user.locked_until = 0, None
            record = AuditRecord("user.password_changed", by, data={"name": name})
            self._append(session, head, [record], self.clock())

    def end_sessions(self, name: str) -> None:
        """Sign ``name`` out everywhere: every session cookie and bearer token issued so far stops working.

        Sessions live in the client (a signed cookie, a signed token); each carries the
        generation it was issued under and the web app refuses any older than the user's.
        """
        with self._write() as (session, _head):
            user = session.get(User, name)
            if user is not None:
                user.session_generation += 1

    def record_failed_sign_in(self, name: str) -> datetime | None:
        """Count a wrong password for the existing user ``name``; return when its lock ends, if locked.

        The count lives in the store (not in a worker's memory), so guesses spread over web
        workers and restarts add up. The ``MAX_FAILURES``-th in a row locks the account for
        ``LOCK_MINUTES`` and restarts the count; the lock is audited. A failure while already
        locked (a request that raced the lock) changes nothing. Unknown names are not recorded.
        """
        now = self.clock()
        with self._write() as (session, head):
            user = session.get(User, name)
            if user is None:
                return None
            if user.locked_until is not None and now < user.locked_until:
                return user.locked_until
            user.failed_sign_ins += 1
            if user.failed_sign_ins < MAX_FAILURES:
                return None
            user.failed_sign_ins, user.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
            data = {"name": name, "failures": MAX_FAILURES, "until": user.locked_until.isoformat()}
            self._append(session, head, [AuditRecord("user.locked", SYSTEM_USER, data=data)], now)
            return user.locked_until

    def clear_failed_sign_ins(self, name: str) -> None:
        """Forget wrong passwords and an expired lock after a successful sign-in.

        Callers check the user's view first (``failed_sign_ins`` or ``locked_until`` set), so an
        ordinary sign-in writes nothing.
        """
        with self._write() as (session, _head):
            user = session.get(User, name)
            if user is not None:
                user.failed_sign_ins, user.locked_until = 0, None

    def unlock_user(self, name: str, by: str) -> None:
        """An administrator lifts a sign-in lock before it runs out (audited)."""
        with self._write() as (session, head):
            user = _named_user(session, name)
            user.failed_sign_ins, user.locked_until = 0, None
            self._append(session, head, [AuditRecord("user.unlocked", by, data={"name": name})], self.clock())

    # -- the workspace's own provisions --------------------------------------------------------

    def list_provisions(self) -> list[Provision]:
        """The provisions this workspace added to the legal-basis catalogue."""
        with self._read() as session:
            return provisions.list_provisions(session)

    def add_provision(self, provision: Provision, by: str) -> Provision:
        """Add a provision to the workspace's catalogue, unverified (audited)."""
        with self._write() as (session, head):
            added, record = provisions.add_provision(session, provision, by, self.clock())
            self._append(session, head, [record], self.clock())
            return added

    def verify_provision(self, key: str, by: str) -> Provision:
        """A reviewer (prosecutor or leadership) marks an added provision verified (audited)."""
        with self._write() as (session, head):
            verified, record = provisions.verify_provision(session, key, by, self.clock())
            self._append(session, head, [record], self.clock())
            return verified

    # -- audit ---------------------------------------------------------------------------------

    # -- the needs-reading queue (jiancha.text.queue.ReadingQueue) -----------------------------

    def queue_readings(self, doubts: Sequence[QueuedDoubt]) -> int:
        """Queue the penalty reader's doubts for a person; returns how many are new."""
        if not doubts:
            return 0
        with self._write() as (session, _head):
            return readings.queue(session, doubts, self.clock())

    def reading_decisions(self) -> list[ReadingDecision]:
        """What people decided, for the reader to apply."""
        with self._read() as session:
            return readings.decisions(session)

    def readings(self, status: str | None = None, limit: int = 200, offset: int = 0) -> list[PendingReading]:
        """One page of the queue, newest first."""
        with self._read() as session:
            return readings.listing(session, status, limit, offset)

    def readings_count(self, status: str | None = None) -> int:
        """How many items the queue holds (of ``status``)."""
        with self._read() as session:
            return readings.count(session, status)

    def reading(self, key: str) -> PendingReading:
        """One queued item."""
        with self._read() as session:
            return readings.get(session, key)

    def decide_reading(
        self, key: str, value: float | None, reason: str, user: str, change: bool = False
    ) -> PendingReading:
        """Record and audit a person's decision on a queued item (``change``: replace an earlier one)."""
        with self._write() as (session, head):
            item, record = readings.decide(session, key, value, reason, user, self.clock(), change)
            self._append(session, head, [record], self.clock())
            return item

    def append_audit(self, records: Sequence[AuditRecord]) -> None:
        """Chain entries for actions taken outside the store (entity decisions, documents written)."""
        with self._write() as (session, head):
            self._append(session, head, records, self.clock())

    def _append(
        self, session: Session, head: AuditHead, records: Sequence[AuditRecord], at: datetime
    ) -> None:
        append(session, head, records, at, self.seal.keyring)

    def audit_entries(
        self, limit: int = 100, *, clue_id: str | None = None, user: str | None = None
    ) -> tuple[HistoryEntry, ...]:
        """The latest audit entries, newest first (``jiancha audit list``); a clue may be
        named by a unique id prefix."""
        with self._read() as session:
            if clue_id is not None:
                clue_id = self._clue(session, clue_id).id
            return queries.audit_entries(session, limit, clue_id=clue_id, user=user)

    def verify_audit(self) -> VerifyReport:
        """Check the whole chain against the keys and the signed heads; sign the head when it holds.

        The report names every break (``first_bad`` the earliest); an intact chain's head is
        anchored again and returned in ``report.head``, for the report to print.
        """
        anchors = self.seal.anchors.read(self.seal.keyring) if self.seal.anchors else []
        with self._read() as session:
            report = verify(session, self.seal.keyring, anchors)
            head = session.get(AuditHead, 1)
            state = (head.seq, head.hash, head.keyed_from)
        return replace(report, head=self.seal.anchor(*state)) if report.ok else report


def _named_user(session: Session, name: str) -> User:
    """The user called ``name``, or the sentence saying there is none."""
    user = session.get(User, name)
    if user is None:
        raise JianchaError(tr(f"没有用户 {name}。", f"There is no user {name}."))
    return user
