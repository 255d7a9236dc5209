"""A lake of the older format (rows as tables in ``lake.duckdb``): read as it is, refused by ingest
with the command that converts it, and converted in place to the same rows."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.contracts import dataset
from jiancha.errors import WorkspaceError
from jiancha.ingest import ingest_drop
from jiancha.lake import connect, open_lake
from jiancha.lake.layout import lake_folder, native_datasets
from jiancha.models.engine import DuckDBEngine
from jiancha.models.lake_tables import create_table_sql

from .helpers import ingest, rows, write_csv
from .test_atomic import NEW, OLD

WEATHER = [["县", "日期", "降水量(mm)"], ["雄县", "2024-03-01", "1.5"], ["安新县", "2024-04-02", ""]]
QUERIES = (
    "SELECT * FROM power_daily ORDER BY _row",
    "SELECT * FROM weather_daily ORDER BY _row",
    "SELECT facility_id, name, _file, _row FROM sewage_facilities ORDER BY _row",
    "SELECT dataset, count(*) FROM _coverage GROUP BY ALL ORDER BY ALL",
)


def _old_format(ws) -> None:
    """Turn the workspace's lake into what format 1 wrote: every dataset a native table, no folder;
    plus a table built by hand, which no load describes."""
    con = connect(ws.lake_path, read_only=False)
    (database,) = con.execute("SELECT current_database()").fetchone()
    for name in ("power_daily", "weather_daily"):
        con.execute(f'CREATE TABLE "{database}".main.{name} AS SELECT * FROM {name}')
    con.execute(create_table_sql(dataset("sewage_facilities")))
    con.execute(
        "INSERT INTO sewage_facilities (facility_id, name, _file, _row) VALUES ('F1', '一厂', 'f.csv', 2)"
    )
    con.close()
    shutil.rmtree(lake_folder(ws.lake_path))


def _results(ws) -> list[list[tuple]]:
    return [rows(ws, sql) for sql in QUERIES]


@pytest.fixture
def old_lake(ws, drop):
    write_csv(drop / "power_daily.csv", OLD)
    write_csv(drop / "weather_daily.csv", WEATHER)
    ingest(ws, drop)
    write_csv(drop / "power_daily.csv", NEW)
    ingest_drop(ws, drop, progress=False, merge=True)  # power_daily gains _source_row
    _old_format(ws)
    return ws


def test_an_old_lake_is_read_as_it_is_and_refused_by_ingest(old_lake, drop):
    con = open_lake(old_lake)
    assert native_datasets(con) == ["sewage_facilities", "power_daily", "weather_daily"]
    con.close()
    assert rows(old_lake, QUERIES[0])[0][-1] == 2  # _source_row of a kept row
    engine = DuckDBEngine(old_lake.lake_path)  # a model run reads it as before, too
    try:
        assert engine.query("SELECT count(*) AS n FROM power_daily").column("n")[0].as_py() == 3
    finally:
        engine.close()
    assert not (lake_folder(old_lake.lake_path) / "manifest.json").exists()  # a cluster refuses it
    with pytest.raises(WorkspaceError, match="lake convert"):
        ingest(old_lake, drop)


def test_convert_keeps_every_row_and_every_query_result(old_lake, drop):
    before = _results(old_lake)
    done = CliRunner().invoke(app, ["--lang", "en", "--home", str(old_lake.home), "lake", "convert"])
    assert done.exit_code == 0, done.output
    assert "Converted power_daily: 3 rows" in done.output
    assert "Converted sewage_facilities: 1 rows" in done.output
    assert _results(old_lake) == before
    con = open_lake(old_lake)
    assert native_datasets(con) == []
    con.close()
    body = json.loads((lake_folder(old_lake.lake_path) / "manifest.json").read_text("utf-8"))
    assert {"power_daily", "weather_daily", "sewage_facilities", "_loads"} <= set(body["tables"])
    assert body["tables"]["power_daily"]["columns"][-1] == ["_source_row", "BIGINT"]
    assert rows(old_lake, "SELECT status, message FROM _loads WHERE dataset = 'sewage_facilities'") == [
        ("loaded", "converted from lake format 1")
    ]
    again = CliRunner().invoke(app, ["--lang", "en", "--home", str(old_lake.home), "lake", "convert"])
    assert "no change" in again.output
    write_csv(drop / "power_daily.csv", OLD)
    assert [f.status for f in ingest(old_lake, drop).files] == ["loaded", "unchanged"]  # sha kept
