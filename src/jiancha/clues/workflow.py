"""The clue workflow as an explicit state machine, with the legal deadlines each step starts.

new → triaged → under_review → dismissed | case_filed → suggestion_issued →
awaiting_reply (two months; 15 days when urgent) → replied / rectified | overdue →
follow_up → lawsuit → closed. The table :data:`ACTIONS` is the whole machine:
the store refuses anything not in it, and the web app draws its buttons from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from jiancha.errors import WorkflowError
from jiancha.i18n import tr


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    UNDER_REVIEW = "under_review"
    DISMISSED = "dismissed"
    CASE_FILED = "case_filed"
    SUGGESTION_ISSUED = "suggestion_issued"
    AWAITING_REPLY = "awaiting_reply"
    REPLIED = "replied"
    RECTIFIED = "rectified"
    OVERDUE = "overdue"
    FOLLOW_UP = "follow_up"
    LAWSUIT = "lawsuit"
    CLOSED = "closed"


STATUS_TITLES: dict[Status, tuple[str, str]] = {
    Status.NEW: ("新线索", "new"),
    Status.TRIAGED: ("已初核", "triaged"),
    Status.UNDER_REVIEW: ("审查中", "under review"),
    Status.DISMISSED: ("已排除", "dismissed"),
    Status.CASE_FILED: ("已立案", "case filed"),
    Status.SUGGESTION_ISSUED: ("已制发检察建议", "suggestion issued"),
    Status.AWAITING_REPLY: ("待回复", "awaiting reply"),
    Status.REPLIED: ("已回复", "replied"),
    Status.RECTIFIED: ("已整改", "rectified"),
    Status.OVERDUE: ("逾期未回复", "overdue"),
    Status.FOLLOW_UP: ("跟进调查", "follow-up"),
    Status.LAWSUIT: ("已提起诉讼", "lawsuit"),
    Status.CLOSED: ("已结案", "closed"),
}

#: States in which a clue is still someone's work (deadlines and "open" counts look here).
OPEN_STATUSES = frozenset(Status) - {Status.DISMISSED, Status.CLOSED}

REPLY_PERIOD = relativedelta(months=2)
URGENT_REPLY_PERIOD = timedelta(days=15)
CASE_PERIOD = relativedelta(months=3)  # from filing to a suggestion or closing the review
LAWSUIT_DECISION_PERIOD = relativedelta(months=2)  # after the reply period expires


@dataclass(frozen=True)
class Action:
    """One workflow action: from which states it may be taken and the state it leads to."""

    name: str
    zh: str
    en: str
    sources: frozenset[Status]
    target: Status

    @property
    def title(self) -> str:
        return tr(self.zh, self.en)


def _action(name: str, zh: str, en: str, sources: set[Status], target: Status) -> Action:
    return Action(name, zh, en, frozenset(sources), target)


S = Status
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _action("triage", "初核", "triage", {S.NEW}, S.TRIAGED),
        _action("review", "进入审查", "start review", {S.TRIAGED}, S.UNDER_REVIEW),
        _action("dismiss", "排除线索", "dismiss", {S.NEW, S.TRIAGED, S.UNDER_REVIEW}, S.DISMISSED),
        _action("file_case", "立案", "file a case", {S.UNDER_REVIEW}, S.CASE_FILED),
        _action(
            "issue_suggestion", "制发检察建议", "issue a suggestion", {S.CASE_FILED}, S.SUGGESTION_ISSUED
        ),
        _action("deliver", "送达检察建议", "deliver the suggestion", {S.SUGGESTION_ISSUED}, S.AWAITING_REPLY),
        _action("record_reply", "收到书面回复", "record the reply", {S.AWAITING_REPLY, S.OVERDUE}, S.REPLIED),
        _action(
            "confirm_rectified",
            "确认整改到位",
            "confirm rectification",
            {S.AWAITING_REPLY, S.REPLIED, S.FOLLOW_UP},
            S.RECTIFIED,
        ),
        _action("mark_overdue", "标记逾期未回复", "mark overdue", {S.AWAITING_REPLY}, S.OVERDUE),
        _action("follow_up", "跟进调查", "follow up", {S.OVERDUE, S.REPLIED}, S.FOLLOW_UP),
        _action("file_lawsuit", "提起公益诉讼", "file a lawsuit", {S.FOLLOW_UP}, S.LAWSUIT),
        _action("close", "结案", "close", {S.CASE_FILED, S.RECTIFIED, S.FOLLOW_UP, S.LAWSUIT}, S.CLOSED),
    )
}


def allowed_actions(status: str) -> list[Action]:
    """The actions a clue in ``status`` may take, in workflow order."""
    return [a for a in ACTIONS.values() if status in a.sources]


def status_title(status: str) -> str:
    zh, en = STATUS_TITLES[Status(status)]
    return tr(zh, en)


def check(clue_id: str, status: str, action_name: str) -> Action:
    """The action if it is legal in ``status``; otherwise a WorkflowError that lists the legal ones."""
    action = ACTIONS.get(action_name)
    allowed = allowed_actions(status)
    names = "、".join(f"{a.name}（{a.title}）" for a in allowed) or tr("无（已终结）", "none (final)")
    if action is None:
        known = "、".join(ACTIONS)
        raise WorkflowError(
            tr(
                f"没有名为“{action_name}”的操作；已知操作：{known}。",
                f"There is no action called '{action_name}'; the actions are: {known}.",
            )
        )
    if status not in action.sources:
        raise WorkflowError(
            tr(
                f"线索 {clue_id} 当前状态为“{status_title(status)}”，不能执行“{action.title}”；"
                f"当前可执行：{names}。",
                f"Clue {clue_id} is '{status_title(status)}' and cannot take the action "
                f"'{action.title}'; allowed now: {names}.",
            )
        )
    return action


def reply_due(issued_on: date, urgent: bool) -> date:
    """The date by which the organ must reply in writing: two months, 15 days when urgent."""
    return issued_on + (URGENT_REPLY_PERIOD if urgent else REPLY_PERIOD)


def due_after(action: Action, on: date, current_due: date | None, urgent: bool = False) -> date | None:
    """The deadline the clue carries once ``action`` is taken on ``on``.

    Filing starts the three-month period to issue a suggestion or close; issuing
    starts the reply period, which runs on through delivery; once it has expired,
    the procuratorate has two months to decide on a lawsuit.
    """
    target = action.target
    if target is Status.CASE_FILED:
        return on + CASE_PERIOD
    if target is Status.SUGGESTION_ISSUED:
        return reply_due(on, urgent)
    if target is Status.OVERDUE and current_due is not None:
        return current_due + LAWSUIT_DECISION_PERIOD
    if target in (Status.AWAITING_REPLY, Status.FOLLOW_UP):
        return current_due
    return None
