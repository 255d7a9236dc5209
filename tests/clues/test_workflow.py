"""The workflow state machine: every legal step, refusals, deadlines, assignment, moves."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha.clues import ClueFilter, ClueNotFound
from jiancha.clues.workflow import ACTIONS, Status, allowed_actions, check, due_after, reply_due
from jiancha.errors import JianchaError, WorkflowError
from jiancha.findings import RunRecord

MODEL = "water.facility_idle"

#: Paths through the machine that between them take every action at least once.
PATHS = [
    ["dismiss"],
    ["triage", "dismiss"],
    ["triage", "review", "dismiss"],
    ["triage", "review", "file_case", "close"],
    [
        "triage",
        "review",
        "file_case",
        "issue_suggestion",
        "deliver",
        "record_reply",
        "confirm_rectified",
        "close",
    ],
    ["triage", "review", "file_case", "issue_suggestion", "deliver", "confirm_rectified", "close"],
    ["triage", "review", "file_case", "issue_suggestion", "deliver", "record_reply", "follow_up", "close"],
    [
        "triage",
        "review",
        "file_case",
        "issue_suggestion",
        "deliver",
        "mark_overdue",
        "follow_up",
        "file_lawsuit",
        "close",
    ],
    ["triage", "review", "file_case", "issue_suggestion", "deliver", "mark_overdue", "record_reply"],
    [
        "triage",
        "review",
        "file_case",
        "issue_suggestion",
        "deliver",
        "mark_overdue",
        "follow_up",
        "confirm_rectified",
    ],
]


def test_the_paths_take_every_legal_transition():
    taken = set()
    for path in PATHS:
        status = Status.NEW
        for name in path:
            taken.add((status, name))
            status = ACTIONS[name].target
    assert taken == {(source, a.name) for a in ACTIONS.values() for source in a.sources}


@pytest.fixture
def clue_id(store, make_finding):
    store.sync_findings("r1", MODEL, [make_finding("F1")])
    return store.list_clues().items[0].id


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(p))
def test_every_legal_path_is_taken_and_recorded(store, clue_id, path):
    for n, action in enumerate(path):
        view = store.transition(
            clue_id, action, "prosecutor1", f"理由{n}", document_no=f"雄检行公建〔2024〕{n}号"
        )
        assert view.status == ACTIONS[action].target.value
    history = store.get_clue(clue_id, "reader").history
    steps = [h for h in history if h.action.startswith("workflow.")]
    assert [h.action for h in steps] == [f"workflow.{a}" for a in path]
    assert [h.status_to for h in steps] == [ACTIONS[a].target.value for a in path]
    assert {h.user for h in steps} == {"prosecutor1"}
    assert [h.reason for h in steps] == [f"理由{n}" for n in range(len(path))]
    assert steps[0].data["from"] == "new"
    assert steps[0].at == "2024-04-01T09:00:00.000000"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("new", "file_case"),
        ("new", "close"),
        ("dismissed", "triage"),
        ("closed", "review"),
        ("awaiting_reply", "file_lawsuit"),
        ("case_filed", "deliver"),
        ("rectified", "mark_overdue"),
    ],
)
def test_illegal_actions_are_refused_by_the_machine(status, action):
    with pytest.raises(WorkflowError) as caught:
        check("C1", status, action)
    allowed = [a.name for a in allowed_actions(status)]
    message = str(caught.value)
    assert message.startswith("线索 C1 当前状态为“")
    assert f"不能执行“{ACTIONS[action].zh}”" in message
    assert all(name in message for name in allowed)


def test_illegal_action_message_names_state_action_and_allowed(store, clue_id):
    with pytest.raises(WorkflowError) as caught:
        store.transition(clue_id, "file_case", "prosecutor1", "直接立案")
    assert str(caught.value) == (
        f"线索 {clue_id} 当前状态为“新线索”，不能执行“立案”；"
        "当前可执行：triage（初核）、dismiss（排除线索）。"
    )
    assert store.get_clue(clue_id, "reader").clue.status == "new"


def test_unknown_action_and_missing_reason_are_refused(store, clue_id):
    with pytest.raises(WorkflowError, match="没有名为“approve”的操作"):
        store.transition(clue_id, "approve", "prosecutor1", "x")
    with pytest.raises(WorkflowError, match="“初核”需要写明理由"):
        store.transition(clue_id, "triage", "prosecutor1", "  ")


def _to_case(store, clue_id):
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "prosecutor1", "依程序", on=date(2024, 1, 10))


def test_filing_starts_three_months_and_suggestion_two_months(store, clue_id):
    _to_case(store, clue_id)
    assert store.get_clue(clue_id, "r").clue.due_on == date(2024, 4, 10)
    store.transition(
        clue_id, "issue_suggestion", "p", "制发", on=date(2024, 1, 31), document_no="雄检行公建〔2024〕3号"
    )
    detail = store.get_clue(clue_id, "r")
    assert detail.clue.due_on == date(2024, 3, 31)
    [s] = detail.suggestions
    assert (s.document_no, s.issued_on, s.urgent, s.reply_due, s.issued_by) == (
        "雄检行公建〔2024〕3号",
        date(2024, 1, 31),
        False,
        date(2024, 3, 31),
        "p",
    )
    store.transition(clue_id, "deliver", "p", "已送达", on=date(2024, 2, 1))
    assert store.get_clue(clue_id, "r").clue.due_on == date(2024, 3, 31)
    store.transition(clue_id, "record_reply", "p", "收到回复", on=date(2024, 3, 20))
    detail = store.get_clue(clue_id, "r")
    assert detail.clue.due_on is None
    assert detail.suggestions[0].replied_on == date(2024, 3, 20)


def test_urgent_suggestion_gives_fifteen_days(store, clue_id):
    _to_case(store, clue_id)
    view = store.transition(
        clue_id, "issue_suggestion", "p", "损害持续扩大", on=date(2024, 2, 20), document_no="D-1", urgent=True
    )
    assert (view.urgent, view.due_on) == (True, date(2024, 3, 6))
    assert reply_due(date(2024, 2, 20), urgent=False) == date(2024, 4, 20)


def test_an_urgent_social_governance_suggestion_runs_to_the_prosecutors_date(store, clue_id, clock):
    _to_case(store, clue_id)
    store.transition(
        clue_id,
        "issue_suggestion",
        "p",
        "隐患紧迫",
        on=date(2024, 3, 1),
        document_no="雄检社建〔2024〕1号",
        kind="social_governance",
        urgent=True,
        reply_by=date(2024, 3, 11),
    )
    detail = store.get_clue(clue_id, "r")
    [s] = detail.suggestions
    assert (s.kind, s.urgent, s.reply_due, detail.clue.due_on) == (
        "social_governance",
        True,
        date(2024, 3, 11),
        date(2024, 3, 11),
    )
    assert detail.history[-1].data["kind"] == "social_governance"
    store.transition(clue_id, "deliver", "p", "送达", on=date(2024, 3, 2))
    clock.now = clock.now.replace(year=2024, month=3, day=12)
    assert [c.id for c in store.overdue()] == [clue_id]
    assert store.flag_overdue() == [clue_id]


def test_an_urgent_public_interest_suggestion_is_not_overdue_before_fifteen_days(store, clue_id, clock):
    _to_case(store, clue_id)
    store.transition(
        clue_id, "issue_suggestion", "p", "制发", on=date(2024, 3, 1), document_no="D-3", urgent=True
    )
    store.transition(clue_id, "deliver", "p", "送达", on=date(2024, 3, 2))
    clock.now = clock.now.replace(year=2024, month=3, day=12)
    assert store.flag_overdue() == []
    assert store.get_clue(clue_id, "r").suggestions[0].kind == "public_interest"


@pytest.mark.parametrize(
    ("kind", "urgent", "reply_by", "sentence"),
    [
        ("public_interest", True, date(2024, 3, 5), "不能另定日期"),
        ("social_governance", False, date(2024, 3, 5), "只有情况紧急时才能另定回复期限"),
        ("social_governance", True, None, "须由检察官确定回复期限"),
        ("correcting_illegality", True, date(2024, 2, 28), "不晚于制发日"),
        ("social_governance", True, date(2024, 5, 2), "长于通常的两个月"),
    ],
)
def test_reply_terms_that_do_not_fit_leave_the_clue_as_it_was(
    store, clue_id, kind, urgent, reply_by, sentence
):
    _to_case(store, clue_id)
    with pytest.raises(WorkflowError, match=sentence):
        store.transition(
            clue_id,
            "issue_suggestion",
            "p",
            "制发",
            on=date(2024, 3, 1),
            document_no="D-4",
            kind=kind,
            urgent=urgent,
            reply_by=reply_by,
        )
    detail = store.get_clue(clue_id, "r")
    assert (detail.clue.status, detail.suggestions) == ("case_filed", ())


def test_confirmed_unverified_provisions_are_audited_with_the_issue(store, clue_id):
    _to_case(store, clue_id)
    store.transition(
        clue_id,
        "issue_suggestion",
        "张检察官",
        "制发",
        document_no="D-5",
        confirmed_provisions=("scrap.filing.art7",),
    )
    history = store.get_clue(clue_id, "r").history
    entries = [h for h in history if h.action == "provisions.unverified_confirmed"]
    assert [(e.user, e.data) for e in entries] == [
        ("张检察官", {"document_no": "D-5", "provisions": ["scrap.filing.art7"]})
    ]
    assert store.verify_audit().ok


def test_document_number_is_required_and_unique(store, make_finding, clue_id):
    _to_case(store, clue_id)
    with pytest.raises(WorkflowError, match="需要文号"):
        store.transition(clue_id, "issue_suggestion", "p", "制发")
    store.transition(clue_id, "issue_suggestion", "p", "制发", document_no="D-7")
    store.sync_findings("r2", MODEL, [make_finding("F1"), make_finding("F2")])
    other = next(c.id for c in store.list_clues().items if c.subject_id == "F2")
    _to_case(store, other)
    with pytest.raises(WorkflowError, match=f"文号 D-7 已用于线索 {clue_id}"):
        store.transition(other, "issue_suggestion", "p", "制发", document_no="D-7")


def test_overdue_replies_are_surfaced_and_flagged(store, clue_id, clock):
    _to_case(store, clue_id)
    store.transition(
        clue_id, "issue_suggestion", "p", "制发", on=date(2024, 3, 1), document_no="D-9", urgent=True
    )
    store.transition(clue_id, "deliver", "p", "送达", on=date(2024, 3, 2))
    assert store.get_clue(clue_id, "r").clue.due_on == date(2024, 3, 16)
    clock.now = clock.now.replace(year=2024, month=3, day=16)
    assert store.overdue() == ()
    assert store.flag_overdue() == []
    clock.now = clock.now.replace(day=17)
    assert [c.id for c in store.overdue()] == [clue_id]
    assert store.flag_overdue() == [clue_id]
    view = store.get_clue(clue_id, "r").clue
    assert (view.status, view.due_on) == ("overdue", date(2024, 5, 16))
    assert store.get_clue(clue_id, "r").history[-1].user == "system"
    assert [c.id for c in store.dashboard().overdue] == []


def test_due_after_is_none_for_steps_without_a_deadline():
    assert due_after(ACTIONS["triage"], date(2024, 1, 1), None) is None
    assert due_after(ACTIONS["close"], date(2024, 1, 1), date(2024, 2, 1)) is None
    assert Status.CLOSED not in {s for a in ACTIONS.values() for s in a.sources}


def test_assign_needs_an_active_user_and_is_recorded(store, clue_id):
    with pytest.raises(JianchaError, match="没有可用的用户 li"):
        store.assign(clue_id, "li", "chief", "承办")
    store.add_user("li", "$argon2id$stub", "prosecutor", display_name="李检察官", office="容城县院")
    assert store.get_user("li").office == "容城县人民检察院"
    assert store.assign(clue_id, "li", "chief", "承办").assigned_to == "li"
    assert store.list_clues(filter=None).items[0].assigned_to == "li"
    assert store.list_clues(ClueFilter(assigned_to="li")).total == 1
    store.set_user_active("li", False, "admin")
    with pytest.raises(JianchaError, match="没有可用的用户 li"):
        store.assign(clue_id, "li", "chief", "再次分派")
    assert store.get_clue(clue_id, "r").history[-1].data == {"from": None, "to": "li"}


def test_unknown_role_is_refused(store):
    with pytest.raises(JianchaError, match="角色 judge 无效"):
        store.add_user("x", "h", "judge")


def test_move_reroutes_with_reason_and_audit(store, clue_id):
    assert store.list_clues().items[0].office == "容城县人民检察院"
    with pytest.raises(WorkflowError, match="需要写明理由"):
        store.move(clue_id, "安新县院", "chief", "")
    view = store.move(clue_id, "安新县院", "chief", "设施实际位于安新县")
    assert view.office == "安新县人民检察院"
    detail = store.get_clue(clue_id, "r")
    assert detail.routing_note == "chief 人工改派：设施实际位于安新县"
    assert detail.history[-1].data == {"from": "容城县人民检察院", "to": "安新县人民检察院"}


def test_a_run_marks_expired_replies_overdue(store, clue_id, clock):
    _to_case(store, clue_id)
    store.transition(clue_id, "issue_suggestion", "p", "制发", on=date(2024, 3, 1), document_no="D-3")
    store.transition(clue_id, "deliver", "p", "送达", on=date(2024, 3, 2))
    clock.now = clock.now.replace(month=5, day=2)
    finished = clock.now
    store.record_run(RunRecord("r2", finished, finished, finished.date(), {}, [], "data_officer1"))
    view = store.get_clue(clue_id, "r").clue
    assert (view.status, view.due_on) == ("overdue", date(2024, 7, 1))


def test_clues_are_found_by_id_or_unique_prefix(store, clue_id):
    assert store.transition(clue_id[:6].upper(), "triage", "p", "初核").id == clue_id
    with pytest.raises(ClueNotFound, match="没有编号为 abc 的线索"):
        store.get_clue("abc", "r")
    with pytest.raises(ClueNotFound, match="没有编号为 ffffffffff 的线索"):
        store.get_clue("ffffffffff", "r")


def test_every_action_outside_the_table_is_refused():
    refused = 0
    for status in Status:
        for action in ACTIONS.values():
            if status in action.sources:
                assert check("C1", status.value, action.name) is action
                continue
            with pytest.raises(WorkflowError):
                check("C1", status.value, action.name)
            refused += 1
    assert refused == len(Status) * len(ACTIONS) - sum(len(a.sources) for a in ACTIONS.values())
