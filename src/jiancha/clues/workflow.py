"""The clue workflow as an explicit state machine, with the legal deadlines each step starts.

new → triaged → under_review → dismissed | case_filed → suggestion_issued →
awaiting_reply (two months; when urgent, 15 days for a 公益诉讼 suggestion or the date the
prosecutor sets for the others) → replied / rectified | overdue →
follow_up → lawsuit → closed. The table :data:`ACTIONS` is the whole machine:
the store refuses anything not in it, and the web app draws its buttons from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from jiancha.errors import JianchaError, WorkflowError
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

PUBLIC_INTEREST = "public_interest"  # the kind of suggestion whose urgent period the law fixes
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
#: The name audit entries carry for what runs do on their own (no person acted).
SYSTEM_USER = "system"

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


@dataclass(frozen=True)
class SuggestionTerms:
    """What issuing a suggestion records: its number, kind and reply terms, and the
    unverified provisions the prosecutor confirmed citing (audited with the issue)."""

    document_no: str | None = None
    kind: str = PUBLIC_INTEREST
    urgent: bool = False
    reply_by: date | None = None  # the prosecutor's date (urgent, not 公益诉讼)
    confirmed_provisions: tuple[str, ...] = ()

    def reply_due(self, issued_on: date) -> date:
        return reply_due(issued_on, self.urgent, kind=self.kind, due=self.reply_by)


def parse_reply_date(text: str | None, named: str | None = None) -> date | None:
    """The prosecutor's reply date as typed (CLI ``--reply-by``, the form's date input): empty is
    none, YYYY-MM-DD a date; anything else a sentence naming where it was typed (``named``,
    default 回复期限) and the form expected."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise JianchaError(
            tr(
                f"{named or '回复期限'}“{text}”不是日期；请写成 2024-10-20 这样的形式。",
                f"{named or 'The reply date'} '{text}' is not a date; write it like 2024-10-20.",
            )
        ) from None


def reply_due(
    issued_on: date, urgent: bool = False, *, kind: str = PUBLIC_INTEREST, due: date | None = None
) -> date:
    """The date by which the organ must reply in writing, from the kind of suggestion.

    A 公益诉讼 (诉前) suggestion: two months, 15 days when urgent (法释〔2018〕6号 第二十一条).
    Any other kind: two months, or the date the prosecutor sets when the case is urgent
    (《人民检察院检察建议工作规定》第十九条). Terms that do not fit are refused with a sentence.
    """
    if kind == PUBLIC_INTEREST:
        if due is not None:
            raise WorkflowError(
                tr(
                    "公益诉讼检察建议的回复期限由司法解释规定（两个月，紧急时十五日），不能另定日期；"
                    "请去掉回复期限日期。",
                    "A public-interest suggestion's reply period is fixed by law (two months, 15 days "
                    "when urgent); leave the reply date out.",
                )
            )
        return issued_on + (URGENT_REPLY_PERIOD if urgent else REPLY_PERIOD)
    if not urgent:
        if due is not None:
            raise WorkflowError(
                tr(
                    f"只有情况紧急时才能另定回复期限；未标记紧急的检察建议回复期限为两个月"
                    f"（{issued_on + REPLY_PERIOD:%Y-%m-%d}）。请勾选紧急，或去掉日期。",
                    "A reply date may be set only when the case is urgent; otherwise the period is "
                    f"two months ({issued_on + REPLY_PERIOD:%Y-%m-%d}). Mark it urgent, or leave the "
                    "date out.",
                )
            )
        return issued_on + REPLY_PERIOD
    return _urgent_date(issued_on, due)


def _urgent_date(issued_on: date, due: date | None) -> date:
    """The prosecutor's date for an urgent suggestion: after the issue day, within two months."""
    latest = issued_on + REPLY_PERIOD
    if due is None:
        raise WorkflowError(
            tr(
                "情况紧急的社会治理等检察建议须由检察官确定回复期限；请填写回复期限日期"
                f"（{issued_on:%Y-%m-%d} 之后，不晚于 {latest:%Y-%m-%d}）。",
                "An urgent suggestion of this kind needs the reply date the prosecutor sets; give a "
                f"date after {issued_on:%Y-%m-%d} and no later than {latest:%Y-%m-%d}.",
            )
        )
    if due <= issued_on:
        raise WorkflowError(
            tr(
                f"回复期限 {due:%Y-%m-%d} 不晚于制发日 {issued_on:%Y-%m-%d}；请填写以后的日期。",
                f"The reply date {due:%Y-%m-%d} is not after the issue date {issued_on:%Y-%m-%d}; "
                "give a later date.",
            )
        )
    if due > latest:
        raise WorkflowError(
            tr(
                f"紧急回复期限 {due:%Y-%m-%d} 长于通常的两个月（{latest:%Y-%m-%d}）；"
                "请填写更早的日期，或不标记紧急。",
                f"The urgent reply date {due:%Y-%m-%d} is later than the usual two months "
                f"({latest:%Y-%m-%d}); give an earlier date, or do not mark it urgent.",
            )
        )
    return due


def due_after(action: Action, on: date, current_due: date | None, reply: date | None = None) -> date | None:
    """The deadline the clue carries once ``action`` is taken on ``on``.

    Filing starts the three-month period to issue a suggestion or close; issuing starts
    the reply period (``reply``, as :func:`reply_due` settled it), which runs on through
    delivery; once it has expired, the procuratorate has two months to decide on a lawsuit.
    """
    target = action.target
    if target is Status.CASE_FILED:
        return on + CASE_PERIOD
    if target is Status.SUGGESTION_ISSUED:
        return reply or reply_due(on)
    if target is Status.OVERDUE and current_due is not None:
        return current_due + LAWSUIT_DECISION_PERIOD
    if target in (Status.AWAITING_REPLY, Status.FOLLOW_UP):
        return current_due
    return None
