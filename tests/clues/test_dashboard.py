"""Dashboard aggregates: counts by dimension and the clue → case → suggestion → rectified funnel."""

from __future__ import annotations

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
