"""Dashboard aggregates: counts by dimension and the clue → case → suggestion → rectified funnel."""

from __future__ import annotations

from dataclasses import replace

from jiancha.clues.audit import AuditRecord
from jiancha.clues.views import FunnelRow


def test_counts_and_funnel_come_from_clues_and_the_trail(store, make_finding, clock):
    store.sync_findings("r1", "water.facility_idle", [make_finding(f"F{i}") for i in range(4)])
    clock.now = clock.now.replace(month=5)
    other = "water.sludge_unaccounted"
    store.sync_findings(
        "r2", other, [make_finding("F9", "2024-Q1", model_id=other, severity="medium", lon=116.06, lat=39.05)]
    )
    ids = [c.id for c in store.list_clues().items if c.model_id == "water.facility_idle"]
    for action in ("triage", "review", "file_case"):
        for clue_id in ids[:3]:
            store.transition(clue_id, action, "p", "审查")
    for n, clue_id in enumerate(ids[:2]):
        store.transition(clue_id, "issue_suggestion", "p", "制发", document_no=f"D-{n}")
        store.transition(clue_id, "deliver", "p", "送达")
    store.transition(ids[0], "confirm_rectified", "p", "整改到位")
    store.transition(ids[0], "close", "p", "结案")

    d = store.dashboard()
    assert d.total == 5
    assert d.by_model == {"water.facility_idle": 4, "water.sludge_unaccounted": 1}
    assert d.by_office == {"容城县人民检察院": 4, "高铁枢纽片区检察室": 1}
    assert d.by_status == {"awaiting_reply": 1, "case_filed": 1, "closed": 1, "new": 2}
    assert d.by_severity == {"high": 4, "medium": 1}
    assert d.by_month == {"2024-04": 4, "2024-05": 1}
    assert d.funnel == (
        FunnelRow("water.facility_idle", clues=4, case_filed=3, suggestion_issued=2, rectified=1),
        FunnelRow("water.sludge_unaccounted", clues=1, case_filed=0, suggestion_issued=0, rectified=0),
    )


def test_actions_taken_elsewhere_join_the_chain(store):
    store.append_audit(
        [AuditRecord("entity_link", "data_officer1", reason="同一企业", data={"decision_id": 7})]
    )
    report = store.verify_audit()
    assert (report.ok, report.entries) == (True, 1)


def test_dashboard_and_funnel_for_one_office(store, make_finding):
    rongcheng, railway = "容城县人民检察院", "高铁枢纽片区检察室"
    store.sync_findings("r1", "water.facility_idle", [make_finding(f"F{i}") for i in range(3)])
    sludge = "water.sludge_unaccounted"
    store.sync_findings("r1", sludge, [make_finding("F9", model_id=sludge, lon=116.06)])
    mine = store.list_clues().items[-1].id
    store.transition(mine, "triage", "p", "初核")

    d = store.dashboard(rongcheng)
    assert (d.total, d.by_office, d.by_status) == (3, {rongcheng: 3}, {"new": 2, "triaged": 1})
    assert d.by_model == {"water.facility_idle": 3}
    assert d.funnel == (FunnelRow("water.facility_idle", 3, 0, 0, 0),)
    other = store.dashboard(railway)
    assert (other.total, other.by_status, other.by_month) == (1, {"new": 1}, {"2024-04": 1})
    assert store.dashboard().total == 4
    assert store.funnel(railway) == (FunnelRow("water.sludge_unaccounted", 1, 0, 0, 0),)
    assert [r.clues for r in store.funnel()] == [3, 1]


def test_clues_count_in_the_month_of_their_conduct(store, make_finding, clock):
    """A month's clue counts in that month, a quarter's in its first month, a clue without a
    period in the month its model's dating column gives, else the month it was first seen."""
    store.sync_findings("r1", "water.facility_idle", [make_finding("F1", "2024-01")])
    store.sync_findings(
        "r1", "water.sludge_unaccounted", [make_finding("F2", "2024-Q3", model_id="water.sludge_unaccounted")]
    )
    manifest = replace(make_finding("M1", None, model_id="water.manifest_unclosed"), conduct_month="2023-11")
    store.sync_findings("r1", "water.manifest_unclosed", [manifest])
    store.sync_findings("r1", "custom.undated", [make_finding("U1", None, model_id="custom.undated")])
    d = store.dashboard()
    assert d.by_conduct == {"2023-11": 1, "2024-01": 1, "2024-04": 1, "2024-07": 1}
    assert d.by_month == {"2024-04": 4}


def test_the_summary_gives_the_live_numbers_after_runs_and_every_act(store, make_finding, clock):
    """Each write keeps the summary in step: after syncs, acts, a move, a re-run and a vanished
    finding, the stored figures equal those computed from the clues, for all and per office."""

    def same() -> None:
        for office in (None, "容城县人民检察院", "雄县人民检察院"):
            assert store.dashboard(office) == store.dashboard(office, live=True)

    findings = [
        make_finding(f"F{i}", f"2024-0{1 + i % 3}", severity=("high", "low")[i % 2]) for i in range(6)
    ]
    store.sync_findings("r1", "water.facility_idle", findings)
    same()
    ids = sorted(c.id for c in store.list_clues().items)
    for action in ("triage", "review", "file_case"):
        store.transition(ids[0], action, "p", "审查")
        same()
    store.transition(ids[0], "issue_suggestion", "p", "制发", document_no="D-1")
    store.move(ids[1], "雄县人民检察院", "p", "管辖调整")
    store.transition(ids[2], "dismiss", "p", "不属实")
    same()
    clock.advance(days=40)
    store.sync_findings("r2", "water.facility_idle", [*findings[2:], make_finding("F9", "2024-03")])
    same()
    assert store.dashboard().total == 7
    assert store.dashboard().funnel[0].case_filed == 1
