"""A clue store holding one filed case, ready for a suggestion."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from jiancha.clues.store import ClueStore
from jiancha.findings import DataLoad, EvidenceRow, Finding, Location, RunRecord

TODAY = datetime(2024, 10, 8, 9, 30)
LOADED = datetime(2024, 9, 2, 10, 5)


def idle_finding(subject: str = "AX-017") -> Finding:
    return Finding(
        model_id="water.facility_idle",
        subject_type="facility",
        subject_id=subject,
        period="2024-08",
        severity="high",
        target_agency="安新县住房和城乡建设局",
        legal_basis="城镇排水与污水处理条例 第五十二条",
        related_ids=(f"{subject}@2024-08-01", f"{subject}@2024-08-02"),
        evidence=(
            EvidenceRow(
                "sewage_facilities",
                "sewage_facilities.csv",
                18,
                {"facility_id": subject, "name": "端村镇污水处理站", "status": "operating"},
            ),
            EvidenceRow(
                "power_daily",
                "power_daily.csv",
                4411,
                {"facility_id": subject, "date": "2024-08-01", "kwh": 0.2},
            ),
        ),
        location=Location(115.95, 38.86, "安新县"),
        details={
            "facility_name": "端村镇污水处理站",
            "operator_name": "安新县运林环保科技有限公司",
            "facility_type": "rural_station",
            "idle_days": 29,
            "days_assessed": 31,
            "no_flow_days": 29,
            "f_flag_days": 27,
            "low_power_days": 29,
            "first_idle_date": "2024-08-01",
            "idle_kwh": 1,
        },
    )


def run_record(run_id: str) -> RunRecord:
    """The run that raised the clue, with the loads it read (the evidence list names them)."""
    loads = {name: DataLoad(f"{name}.csv", LOADED) for name in ("sewage_facilities", "power_daily")}
    return RunRecord(run_id, TODAY, TODAY, TODAY.date(), {}, (), "system", loads)


@pytest.fixture
def finding():
    """Make the idle finding for a subject (tests change its details to see what a letter does)."""
    return idle_finding


@pytest.fixture
def store(tmp_path):
    with ClueStore(f"sqlite:///{tmp_path / 'store.sqlite'}", clock=lambda: TODAY) as opened:
        yield opened


@pytest.fixture
def new_clue(store):
    """Sync a facility_idle finding for a subject; returns its clue id."""

    def make(subject: str = "AX-017") -> str:
        run_id = f"run-{subject}-{uuid.uuid4().hex[:8]}"  # a fixture may raise the same clue twice
        store.sync_findings(run_id, "water.facility_idle", [idle_finding(subject)])
        store.record_run(run_record(run_id))
        return next(c.id for c in store.iter_clues() if c.subject_id == subject)

    return make


@pytest.fixture
def filed_case(store, new_clue):
    """A clue walked to case_filed, ready for a suggestion; returns its id."""

    def make(subject: str = "AX-017") -> str:
        clue_id = new_clue(subject)
        for action in ("triage", "review", "file_case"):
            store.transition(clue_id, action, "张检察官", "经初核属实", on=date(2024, 10, 8))
        return clue_id

    return make


@pytest.fixture
def dealer_case(store):
    """A scrap-dealer clue (its model cites one unverified provision) walked to case_filed."""
    finding = Finding(
        model_id="crime.unlicensed_scrap_dealer",
        subject_type="dealer",
        subject_id="GE-0042",
        period=None,
        severity="high",
        target_agency="安新县公安局",
        legal_basis="",
        evidence=(EvidenceRow("grid_events", "grid_events.csv", 7, {"category": "废品收购点"}),),
        location=Location(115.95, 38.86, "安新县"),
    )
    run_id = f"run-{uuid.uuid4().hex[:8]}"
    store.sync_findings(run_id, "crime.unlicensed_scrap_dealer", [finding])
    store.record_run(run_record(run_id))
    clue_id = next(iter(store.iter_clues())).id
    for action in ("triage", "review", "file_case"):
        store.transition(clue_id, action, "张检察官", "经初核属实", on=date(2024, 10, 8))
    return clue_id
