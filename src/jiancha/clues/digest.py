"""Digests: for each office and model, what changed since a day, and which replies are due.

Nobody hears of new clues unless told: a digest lists, per (office, model), the clues
raised, updated and superseded since ``since`` (read from the audit log, so nothing
is missed between two digests), and the open clues whose reply deadline has passed
or falls within :data:`DUE_SOON_DAYS`. Digests are cut by office, so each recipient
is given only its own office's (``jiancha.notify``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiancha.clues.dashboard import in_office
from jiancha.clues.engine import chunks
from jiancha.clues.queries import LIST_COLUMNS, view_of
from jiancha.clues.schema import AuditEntry, Clue
from jiancha.clues.views import ClueView
from jiancha.clues.workflow import OPEN_STATUSES
from jiancha.i18n import tr

#: A reply deadline this near counts as due.
DUE_SOON_DAYS = 7
#: Audit actions a digest reports, and under which heading.
EVENTS = {"clue.created": "new", "clue.updated": "changed", "clue.no_longer_holds": "superseded"}
KINDS = ("new", "changed", "superseded", "due", "overdue")
TITLES = {
    "new": ("新增线索", "new clues"),
    "changed": ("证据有更新", "updated"),
    "superseded": ("已不成立", "superseded"),
    "due": ("答复即将到期", "reply due soon"),
    "overdue": ("答复已逾期", "reply overdue"),
}


@dataclass(frozen=True)
class Digest:
    """One office's news about one model."""

    office: str
    model_id: str
    new: tuple[ClueView, ...] = ()
    changed: tuple[ClueView, ...] = ()
    superseded: tuple[ClueView, ...] = ()
    due: tuple[ClueView, ...] = ()
    overdue: tuple[ClueView, ...] = ()

    def lines(self, title: str | None = None) -> list[str]:
        """The digest as text: a heading with the counts, then one line per clue."""
        counts = "；".join(f"{tr(*TITLES[k])} {len(getattr(self, k))}" for k in KINDS if getattr(self, k))
        out = [f"{self.office} · {title or self.model_id}：{counts}"]
        for kind in KINDS:
            for c in getattr(self, kind):
                due = f" {tr('期限', 'due')} {c.due_on}" if kind in ("due", "overdue") else ""
                out.append(f"  [{tr(*TITLES[kind])}] {c.id} {c.subject_id} {c.period}{due}".rstrip())
        return out

    def as_json(self) -> dict:
        """The digest for a webhook: office, model and each list's clue id, subject, period, deadline."""
        return {
            "office": self.office,
            "model_id": self.model_id,
            **{
                kind: [
                    {
                        "clue_id": c.id,
                        "subject_id": c.subject_id,
                        "period": c.period,
                        "due_on": _iso(c.due_on),
                    }
                    for c in getattr(self, kind)
                ]
                for kind in KINDS
            },
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _events(session: Session, since: datetime) -> dict[str, str]:
    """Each clue's news since ``since``: ``new`` when raised then and still holding, else what its
    latest event says (a clue raised and superseded within the window is no news)."""
    rows = session.execute(
        select(AuditEntry.clue_id, AuditEntry.action)
        .where(AuditEntry.action.in_(list(EVENTS)), AuditEntry.at >= since.isoformat())
        .order_by(AuditEntry.seq)
    )
    latest: dict[str, str] = {}
    raised: set[str] = set()
    for clue_id, action in rows:
        latest[clue_id] = EVENTS[action]
        if action == "clue.created":
            raised.add(clue_id)
    news = {}
    for clue_id, kind in latest.items():
        if clue_id not in raised:
            news[clue_id] = kind
        elif kind != "superseded":
            news[clue_id] = "new"
    return news


def collect(session: Session, since: datetime, today: date, office: str | None = None) -> list[Digest]:
    """The digests of every office (or one), by office and model, for news since ``since``."""
    news = _events(session, since)
    grouped: dict[tuple[str, str], dict[str, list[ClueView]]] = defaultdict(lambda: defaultdict(list))
    ids = list(news)
    for chunk in chunks(ids):
        rows = session.execute(in_office(select(*LIST_COLUMNS), office).where(Clue.id.in_(chunk)))
        for clue in map(view_of, rows):
            grouped[clue.office, clue.model_id][news[clue.id]].append(clue)
    deadline = today + timedelta(days=DUE_SOON_DAYS)
    pending = session.execute(
        in_office(select(*LIST_COLUMNS), office)
        .where(Clue.status.in_([s.value for s in OPEN_STATUSES]), Clue.due_on <= deadline)
        .order_by(Clue.due_on, Clue.id)
    )
    for clue in map(view_of, pending):
        grouped[clue.office, clue.model_id]["overdue" if clue.due_on < today else "due"].append(clue)
    return [
        Digest(office_name, model_id, **{kind: tuple(clues) for kind, clues in lists.items()})
        for (office_name, model_id), lists in sorted(grouped.items())
    ]
