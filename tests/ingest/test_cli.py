"""The commands: ``jiancha ingest DROP --report FILE`` and ``jiancha datasets``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.cli.app import console

from .helpers import write_csv

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """A terminal wide enough that table rows do not wrap."""
    monkeypatch.setattr(console, "_width", 200)


def test_ingest_prints_results_and_writes_the_report(ws, drop, tmp_path):
    write_csv(
        drop / "power_daily.csv",
        [["设施编号", "日期", "用电量(千瓦时)"], ["F1", "2024-03-01", "10"], ["F1", "2024-02-30", "11"]],
    )
    out = tmp_path / "rejections.csv"
    result = runner.invoke(app, ["--home", str(ws.home), "ingest", str(drop), "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导入" in result.output
    assert "2024-02-30" in result.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1][:5] == ["power_daily", "power_daily.csv", "3", "date", "2024-02-30"]

    listed = runner.invoke(app, ["--home", str(ws.home), "datasets"])
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.output.splitlines() if "power_daily" in line)
    assert "设施用电日数据" in line and "│    1 │" in line and "power_daily.csv" in line


def test_datasets_in_english(ws, drop):
    write_csv(
        drop / "weather_daily.csv", [["county", "date"], ["雄县", "2024-03-01"], ["安新县", "2024-03-01"]]
    )
    assert runner.invoke(app, ["--home", str(ws.home), "ingest", str(drop)]).exit_code == 0
    listed = runner.invoke(app, ["--home", str(ws.home), "--lang", "en", "datasets"])
    assert "Datasets in the lake" in listed.output
    assert "weather_daily" in listed.output and "│    2 │" in listed.output


def test_datasets_as_csv_and_json_keep_the_full_hash(ws, drop):
    write_csv(drop / "weather_daily.csv", [["county", "date"], ["雄县", "2024-03-01"]])
    assert runner.invoke(app, ["--home", str(ws.home), "ingest", str(drop)]).exit_code == 0
    out = runner.invoke(app, ["--home", str(ws.home), "datasets", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["dataset"], r["title"], r["rows"]) for r in rows] == [("weather_daily", "气象日数据", "1")]
    assert len(rows[0]["sha256"]) == 64
    as_json = runner.invoke(app, ["--home", str(ws.home), "datasets", "--format", "json"])
    (listed,) = json.loads(as_json.stdout)
    assert listed["covers_from"] == listed["covers_to"] == "2024-03-01"
    assert "数据中断：雄县 气象日数据 自2024年3月2日起无数据" in as_json.stderr
    assert listed["sha256"] == rows[0]["sha256"] and listed["rejected"] == 0
