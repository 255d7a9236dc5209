"""One clue in full, read with plain SQL over the database driver's own connection.

``jiancha clues show`` reads one clue and exits; importing SQLAlchemy and its ORM would
cost it more than half a second, most of its time. So these queries take a :data:`Run`,
any callable that executes a statement with ``?`` marks and returns its rows: the stdlib
``sqlite3`` connection of :func:`jiancha.clues.database.open_sqlite` for the CLI, or the store
session's driver connection (:meth:`ClueStore.get_clue`, which the web app calls). Both
read through here, so a clue shows the same everywhere. The driver's values are converted
to what the ORM gave: SQLite keeps JSON, dates and times as text and booleans as 0 and 1;
psycopg returns them as Python values already.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from jiancha.clues.masking import has_personal, mask_values
from jiancha.clues.views import ClueDetail, ClueView, EvidenceView, HistoryEntry, SuggestionView
from jiancha.clues.workflow import allowed_actions
from jiancha.errors import JianchaError
from jiancha.i18n import tr

#: Executes one statement (``?`` marks) with its parameters and returns every row as a tuple.
Run = Callable[[str, Sequence[Any]], Sequence[Sequence[Any]]]

MIN_PREFIX = 6  # shortest clue-id prefix accepted in place of the whole id
VIEW_COLUMNS = tuple(ClueView.__dataclass_fields__)
DETAIL_COLUMNS = (
    "details",
    "lon",
    "lat",
    "county",
    "routing_note",
    "previous_id",
    "first_run_id",
    "last_run_id",
)
HISTORY_COLUMNS = ("seq", "at", "user", "action", "status_to", "reason", "data", "clue_id")
_EVIDENCE_COLUMNS = ("dataset", "file", "row", "values")
_SUGGESTION_COLUMNS = ("document_no", "issued_on", "urgent", "reply_due", "replied_on", "issued_by", "kind")


class ClueNotFound(JianchaError):
    """No clue has the id the user gave."""


def names(columns: Sequence[str]) -> str:
    """Quoted column names: ``user``, ``row`` and ``values`` are keywords in PostgreSQL."""
    return ", ".join(f'"{c}"' for c in columns)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def clue_id_of(run: Run, clue_id: str) -> str:
    """The id of the clue named by ``clue_id`` or by a unique prefix of it (at least 6 characters)."""
    wanted = clue_id.strip().lower()
    if run('SELECT 1 FROM clues WHERE "id" = ?', (wanted,)):
        return wanted
    if len(wanted) >= MIN_PREFIX:
        pattern = wanted.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        found = run('SELECT "id" FROM clues WHERE "id" LIKE ? ESCAPE \'/\' LIMIT 2', (pattern,))
        if len(found) > 1:
            raise ClueNotFound(
                tr(
                    f"线索编号前缀 {clue_id} 对应多条线索；请输入更长的编号。",
                    f"The id prefix {clue_id} matches several clues; type more of the id.",
                )
            )
        if found:
            return found[0][0]
    raise ClueNotFound(
        tr(
            f"没有编号为 {clue_id} 的线索；请用 jiancha clues list 查看线索编号。",
            f"There is no clue {clue_id}; list the clue ids with 'jiancha clues list'.",
        )
    )


def history_entry(row: Sequence[Any]) -> HistoryEntry:
    """An audit entry from a row of :data:`HISTORY_COLUMNS` (``data`` is JSON text on every backend)."""
    seq, at, user, action, status_to, reason, data, clue_id = row
    return HistoryEntry(seq, at, user, action, status_to, reason, json.loads(data), clue_id)


def _view(values: dict[str, Any]) -> ClueView:
    values["related_ids"] = tuple(_json(values["related_ids"]) or ())
    for flag in ("holds", "needs_review", "urgent"):
        values[flag] = bool(values[flag])
    values["due_on"] = _date(values["due_on"])
    values["first_seen"] = _datetime(values["first_seen"])
    values["last_seen"] = _datetime(values["last_seen"])
    return ClueView(**values)


def _evidence(run: Run, clue_id: str, unmask: bool) -> tuple[EvidenceView, ...]:
    out = []
    sql = f'SELECT {names(_EVIDENCE_COLUMNS)} FROM clue_evidence WHERE clue_id = ? ORDER BY "position"'
    for dataset, file, row, raw in run(sql, (clue_id,)):
        values = _json(raw) or {}
        masked = not unmask and has_personal(dataset, values)
        out.append(
            EvidenceView(dataset, file, row, mask_values(dataset, values) if masked else values, masked)
        )
    return tuple(out)


def _suggestions(run: Run, clue_id: str) -> tuple[SuggestionView, ...]:
    sql = f'SELECT {names(_SUGGESTION_COLUMNS)} FROM suggestions WHERE clue_id = ? ORDER BY "id"'
    return tuple(
        SuggestionView(no, _date(issued), bool(urgent), _date(due), _date(replied), by, kind)
        for no, issued, urgent, due, replied, by, kind in run(sql, (clue_id,))
    )


def read_detail(run: Run, clue_id: str, unmask: bool) -> ClueDetail:
    """Everything about one clue (id or unique prefix); personal evidence masked unless ``unmask``.

    Auditing an unmasked read is the caller's part (:meth:`ClueStore.get_clue`).
    """
    found = clue_id_of(run, clue_id)
    columns = VIEW_COLUMNS + DETAIL_COLUMNS
    (row,) = run(f'SELECT {names(columns)} FROM clues WHERE "id" = ?', (found,))
    values = dict(zip(columns, row, strict=True))
    rest = {c: values.pop(c) for c in DETAIL_COLUMNS}
    clue = _view(values)
    history = run(f"SELECT {names(HISTORY_COLUMNS)} FROM audit_log WHERE clue_id = ? ORDER BY seq", (found,))
    return ClueDetail(
        clue=clue,
        details=dict(_json(rest.pop("details")) or {}),
        **rest,
        evidence=_evidence(run, found, unmask),
        history=tuple(map(history_entry, history)),
        suggestions=_suggestions(run, found),
        allowed_actions=tuple(a.name for a in allowed_actions(clue.status)),
    )
