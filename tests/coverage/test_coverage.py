"""Coverage: what each load covers, models judging only up to it, and stopped feeds as findings."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues.store import ClueStore
from jiancha.coverage import coverage_gaps, read_coverage, workspace_gaps
from jiancha.errors import WorkspaceError
from jiancha.ingest import ingest_drop
from jiancha.lake import connect
from jiancha.web.templating import templates
from jiancha.workspace import Workspace

runner = CliRunner()
FACILITY_FIELDS = ["facility_id", "name", "facility_type", "supervisor_agency", "county", "lon", "lat"]
FACILITIES = [
    [*FACILITY_FIELDS, "design_capacity_m3d", "status"],
    ["F1", "雄县一号站", "rural_station", "雄县住建局", "雄县", "116.10", "38.99", "100", "operating"],
    ["F2", "雄县二号站", "rural_station", "雄县住建局", "雄县", "116.11", "38.98", "100", "operating"],
    ["F3", "容城县一号站", "rural_station", "容城县住建局", "容城县", "115.86", "39.05", "100", "operating"],
]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def write(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def feed_rows(last: dict[str, date], idle: set[tuple[str, date]]) -> tuple[list, list]:
    """Effluent and power rows from 2024-10-01 to each facility's last day; idle days report 0."""
    effluent = [["facility_id", "date", "flow_m3", "data_flag"]]
    power = [["facility_id", "date", "kwh"]]
    for fid, end in last.items():
        for d in days(date(2024, 10, 1), end):
            stopped = (fid, d) in idle
            effluent.append([fid, d.isoformat(), 0 if stopped else 80, "N"])
            power.append([fid, d.isoformat(), 0.2 if stopped else 40])
    return effluent, power


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Workspace:
    """Data ending 2024-12-31: F1 idle on 25 days of November; F3's feed stops after October."""
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    drop = tmp_path / "drop"
    drop.mkdir()
    write(drop / "sewage_facilities.csv", FACILITIES)
    idle = {("F1", d) for d in days(date(2024, 11, 3), date(2024, 11, 27))}
    effluent, power = feed_rows(
        {"F1": date(2024, 12, 31), "F2": date(2024, 12, 31), "F3": date(2024, 10, 31)}, idle
    )
    write(drop / "effluent_daily.csv", effluent)
    write(drop / "power_daily.csv", power)
    workspace = Workspace.resolve(tmp_path / "home")
    ingest_drop(workspace, drop, progress=False)
    return workspace


def lake(ws: Workspace) -> duckdb.DuckDBPyConnection:
    return connect(ws.lake_path)


def test_each_load_records_its_period_per_dataset_and_facility(ws):
    with lake(ws) as con:
        rows = con.execute(
            "SELECT dataset, subject, first_date, last_date, rows FROM _coverage "
            "ORDER BY dataset, subject NULLS FIRST"
        ).fetchall()
        coverage = read_coverage(con)
    assert rows[:4] == [
        ("effluent_daily", None, date(2024, 10, 1), date(2024, 12, 31), 92 * 2 + 31),
        ("effluent_daily", "F1", date(2024, 10, 1), date(2024, 12, 31), 92),
        ("effluent_daily", "F2", date(2024, 10, 1), date(2024, 12, 31), 92),
        ("effluent_daily", "F3", date(2024, 10, 1), date(2024, 10, 31), 31),
    ]
    assert set(coverage.feeds) == {"effluent_daily", "power_daily"}  # the registry is no feed
    feed = coverage.feeds["effluent_daily"]
    assert feed.stopped("F3") == date(2024, 11, 1) and feed.stopped("F1") is None
    assert coverage.judged_until(["sewage_facilities", "effluent_daily"], date(2025, 6, 30)) == date(
        2024, 12, 31
    )


def test_gaps_name_the_county_and_the_datasets_title(ws):
    with lake(ws) as con:
        at_year_end = [g.sentence() for g in coverage_gaps(con, date(2024, 12, 31))]
        later = [g.sentence() for g in coverage_gaps(con, date(2025, 6, 30))]
    assert at_year_end == [
        "容城县 出水在线监测日均值 自2024年11月1日起无数据",
        "容城县 设施用电日数据 自2024年11月1日起无数据",
    ]
    assert "雄县 出水在线监测日均值 自2025年1月1日起无数据" in later
    assert "雄县 设施用电日数据 自2025年1月1日起无数据" in later and len(later) == 4


def test_some_facilities_of_a_county_are_named(tmp_path, ws):
    drop = tmp_path / "drop2"
    drop.mkdir()
    effluent, _ = feed_rows(
        {"F1": date(2024, 12, 31), "F2": date(2024, 11, 30), "F3": date(2024, 12, 31)}, set()
    )
    write(drop / "effluent_daily.csv", effluent)
    ingest_drop(ws, drop, progress=False)
    with lake(ws) as con:
        sentences = [g.sentence() for g in coverage_gaps(con, date(2024, 12, 31))]
    assert "雄县 雄县二号站 的出水在线监测日均值 自2024年12月1日起无数据" in sentences


def test_lateness_and_cadence_come_from_the_workspace_config(ws):
    overrides = {"effluent_daily": {"late_days": 90}, "power_daily": {"cadence": "monthly"}}
    with lake(ws) as con:
        sentences = [g.sentence() for g in coverage_gaps(con, date(2024, 12, 31), overrides)]
        with pytest.raises(WorkspaceError, match=r'\[coverage."power_daily"\] 的设置无效'):
            read_coverage(con, {"power_daily": {"cadence": "weekly"}})
    assert sentences == ["容城县 设施用电日数据 自2024年11月1日起无数据"]


def test_workspace_gaps_for_the_web_and_its_block(ws, tmp_path):
    (ws.home / "jiancha.toml").write_text('[coverage."power_daily"]\nlate_days = 400\n', "utf-8")
    gaps = workspace_gaps(ws, date(2025, 6, 30))
    assert [g.dataset for g in gaps] == ["effluent_daily", "effluent_daily"]
    html = templates.env.get_template("_coverage_gaps.html").render(coverage_gaps=gaps)
    assert "雄县 出水在线监测日均值 自2025年1月1日起无数据" in html and "数据中断" in html
    assert templates.env.get_template("_coverage_gaps.html").render(coverage_gaps=[]).strip() == ""
    assert workspace_gaps(Workspace.resolve(tmp_path / "none")) == []


def invoke(ws: Workspace, *args: str) -> str:
    result = runner.invoke(app, ["--home", str(ws.home), "--lang", "zh", *args], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


def idle_clues(ws: Workspace) -> list[tuple]:
    with ClueStore(ws.store_url) as store:
        return sorted(
            (c.subject_id, c.period, c.severity, c.related_ids, d.details["idle_days"])
            for c in store.iter_clues()
            for d in [store.get_clue(c.id, "test")]
        )


def test_facility_idle_judges_only_what_the_feeds_cover(ws, tmp_path):
    """The done-test of issue 16: the same clues at 2025-06-30 as at 2024-12-31 on data ending
    2024-12-31, and the gap is reported instead."""
    invoke(ws, "run", "--models", "water.facility_idle", "--as-of", "2024-12-31")
    at_year_end = idle_clues(ws)
    assert [(s, p) for s, p, *_ in at_year_end] == [("F1", "2024-11")]  # F3's silent months: no clue
    later = Workspace.resolve(tmp_path / "later")
    later.home.mkdir(exist_ok=True)
    later.lake_path.write_bytes(ws.lake_path.read_bytes())
    shutil.copytree(ws.home / "lake", later.home / "lake")
    out = invoke(later, "run", "--models", "water.facility_idle", "--as-of", "2025-06-30")
    assert idle_clues(later) == at_year_end
    assert "认定日期 2025-06-30 晚于以下数据的覆盖期：出水在线监测日均值（至 2024-12-31）" in out
    listed = invoke(later, "datasets", "--as-of", "2025-06-30")
    assert "数据中断：雄县 出水在线监测日均值 自2025年1月1日起无数据" in listed
    assert "数据中断：容城县 出水在线监测日均值 自2024年11月1日起无数据" in listed
    with ClueStore(later.store_url) as store:
        (record,) = store.runs(limit=1)[0].models
    assert record["message"] == "数据只覆盖到 2024-12-31，本模型判断到该日为止"


def test_the_as_of_warning_names_only_the_feeds_the_chosen_models_read(ws):
    out = invoke(ws, "run", "--models", "water.sludge_receiver_unqualified", "--as-of", "2025-06-30")
    assert "晚于以下数据的覆盖期" not in out


def test_dated_records_count_as_covering_as_far_as_the_series(ws, tmp_path):
    """Transfers are sparse: one in October does not mean the transfer data end in October."""
    drop = tmp_path / "records"
    drop.mkdir()
    write(drop / "case_transfers.csv", [["transfer_no", "agency", "party_name", "transfer_date"],
                                        ["T1", "雄县生态环境分局", "某公司", "2024-10-08"]])  # fmt: skip
    ingest_drop(ws, drop, progress=False)
    with lake(ws) as con:
        coverage = read_coverage(con)
    transfers = coverage.feeds["case_transfers"]
    assert transfers.records and transfers.span.last == date(2024, 10, 31)
    assert coverage.end(transfers) == date(2024, 12, 31)
    assert coverage.judged_until(["case_transfers"], date(2025, 6, 30)) == date(2024, 12, 31)


def test_a_misspelt_feed_in_the_config_is_refused_with_the_feeds_named() -> None:
    from jiancha.coverage import settings

    with pytest.raises(WorkspaceError, match=r"efluent_daily.*effluent_daily"):
        settings({"efluent_daily": {"late_days": 10}})
