"""Fingerprints: re-runs update, vanished findings are marked, recurrences link back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiancha.clues import ClueFilter
from jiancha.clues.sync import clue_id_for
from jiancha.errors import JianchaError
from jiancha.findings import DataLoad, EvidenceRow, ModelRunRecord, RunRecord, SkippedSubject, SyncCounts

MODEL = "water.facility_idle"


def test_first_run_creates_one_clue_per_fingerprint(store, make_finding):
    counts = store.sync_findings("r1", MODEL, [make_finding("F1"), make_finding("F2"), make_finding("F1")])
    assert counts == SyncCounts(new=2)
    page = store.list_clues()
    assert page.total == 2
    assert {c.id for c in page.items} == {
        clue_id_for(MODEL, "F1", "2024-03"),
        clue_id_for(MODEL, "F2", "2024-03"),
    }
    clue = store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester")
    assert clue.clue.status == "new"
    assert clue.clue.related_ids == ("F1@2024-03-02", "F1@2024-03-03")
    assert clue.details == {"idle_days": 22}
    assert [(e.dataset, e.file, e.row) for e in clue.evidence] == [
        ("effluent_daily", "effluent.csv", 12),
        ("power_daily", "power.xlsx", 40),
    ]
    assert [h.action for h in clue.history] == ["clue.created"]


def test_rerun_updates_evidence_and_last_seen_without_duplicates(store, make_finding, clock):
    store.sync_findings("r1", MODEL, [make_finding("F1"), make_finding("F2")])
    clock.advance(days=1)
    changed = make_finding(
        "F1",
        idle_days=25,
        evidence=(EvidenceRow("effluent_daily", "effluent-v2.csv", 99, {"flow_m3": None}),),
    )
    counts = store.sync_findings("r2", MODEL, [changed, make_finding("F2")])
    assert counts == SyncCounts(updated=1, unchanged=1)
    assert store.list_clues().total == 2
    clue = store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester")
    assert clue.details == {"idle_days": 25}
    assert [(e.file, e.row, e.values) for e in clue.evidence] == [("effluent-v2.csv", 99, {"flow_m3": None})]
    assert clue.clue.first_seen == datetime(2024, 4, 1, 9, 0)
    assert clue.clue.last_seen == datetime(2024, 4, 2, 9, 0)
    assert clue.last_run_id == "r2" and clue.first_run_id == "r1"
    untouched = store.get_clue(clue_id_for(MODEL, "F2", "2024-03"), "tester")
    assert untouched.clue.last_seen == datetime(2024, 4, 2, 9, 0)
    assert [h.action for h in clue.history] == ["clue.created", "clue.updated"]


def test_vanished_finding_is_marked_not_deleted_and_can_hold_again(store, make_finding):
    store.sync_findings("r1", MODEL, [make_finding("F1"), make_finding("F2")])
    assert store.sync_findings("r2", MODEL, [make_finding("F2")]) == SyncCounts(
        unchanged=1, no_longer_holds=1
    )
    gone = store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester")
    assert gone.clue.holds is False
    assert store.list_clues(ClueFilter(holds=False)).total == 1
    assert store.list_clues().total == 2
    assert store.sync_findings("r3", MODEL, [make_finding("F2")]) == SyncCounts(unchanged=1)
    assert store.sync_findings("r4", MODEL, [make_finding("F1"), make_finding("F2")]) == SyncCounts(
        updated=1, unchanged=1
    )
    assert store.get_clue(gone.clue.id, "tester").clue.holds is True


def test_other_models_are_not_touched(store, make_finding):
    store.sync_findings("r1", MODEL, [make_finding("F1")])
    other = "water.sludge_unaccounted"
    assert store.sync_findings("r1", other, [make_finding("F1", "2024-Q1", model_id=other)]) == SyncCounts(
        new=1
    )
    with pytest.raises(
        ValueError, match=r"water\.facility_idle were handed to the sync of water\.sludge_unaccounted"
    ):
        store.sync_findings("r1", other, [make_finding("F9")])
    assert store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester").clue.holds is True


def test_closed_clue_whose_condition_returns_in_a_new_period_is_a_new_linked_clue(store, make_finding):
    store.sync_findings("r1", MODEL, [make_finding("F1", "2024-02")])
    old = clue_id_for(MODEL, "F1", "2024-02")
    for action in ("triage", "review", "file_case", "close"):
        store.transition(old, action, "prosecutor1", "审查完毕")
    counts = store.sync_findings("r2", MODEL, [make_finding("F1", "2024-03")])
    assert counts == SyncCounts(new=1, no_longer_holds=1)
    new = store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester")
    assert new.clue.status == "new"
    assert new.previous_id == old
    assert store.get_clue(old, "tester").clue.status == "closed"


def test_periodless_findings_and_run_records(store, make_finding):
    counts = store.sync_findings(
        "r1", "water.manifest_unclosed", [make_finding("M-1", None, model_id="water.manifest_unclosed")]
    )
    assert counts == SyncCounts(new=1)
    assert store.list_clues().items[0].period == ""
    run = RunRecord(
        run_id="r1",
        started_at=datetime(2024, 4, 1, 9, 0),
        finished_at=datetime(2024, 4, 1, 9, 1),
        as_of=date(2024, 3, 31),
        data_versions={"effluent_daily": "sha256:ab"},
        models=[
            ModelRunRecord(
                "water.manifest_unclosed",
                "ok",
                {"days": 15},
                1.5,
                findings=1,
                counts=counts,
                skipped_subjects=(SkippedSubject("F7", "执行标准为空"),),
            ),
            ModelRunRecord("water.facility_idle", "error", {}, 0.1, message="查询失败"),
        ],
        user="data_officer1",
        loads={"effluent_daily": DataLoad("出水.csv", datetime(2024, 3, 31, 17, 5, 9))},
    )
    store.record_run(run)
    assert store.run_loads("r1") == {"effluent_daily": DataLoad("出水.csv", datetime(2024, 3, 31, 17, 5, 9))}
    assert store.run_loads("no-such-run") == {}
    with pytest.raises(JianchaError, match="运行 r1 已有记录"):
        store.record_run(run)
    [view] = store.runs()
    assert (view.run_id, view.as_of, view.user, view.data_versions) == (
        "r1",
        date(2024, 3, 31),
        "data_officer1",
        {"effluent_daily": "sha256:ab"},
    )
    assert [
        (m["model_id"], m["status"], m["new"], m["message"], m["skipped_subjects"]) for m in view.models
    ] == [
        ("water.manifest_unclosed", "ok", 1, None, [{"subject_id": "F7", "reason": "执行标准为空"}]),
        ("water.facility_idle", "error", 0, "查询失败", []),
    ]


def test_evidence_values_of_any_lake_type_are_stored(store, make_finding):
    row = EvidenceRow(
        "effluent_daily",
        "effluent.csv",
        3,
        {
            "date": date(2024, 3, 2),
            "cod_mg_l": float("nan"),
            "at": datetime(2024, 3, 2, 8, 30),
            "flags": ["N"],
        },
    )
    store.sync_findings("r1", MODEL, [make_finding("F1", evidence=(row,))])
    [evidence] = store.get_clue(clue_id_for(MODEL, "F1", "2024-03"), "tester").evidence
    assert evidence.values == {
        "date": "2024-03-02",
        "cod_mg_l": None,
        "at": "2024-03-02 08:30:00",
        "flags": ["N"],
    }
