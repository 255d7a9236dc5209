"""The typed CSV read: canonical files load through it, anything else gives way to the text read.

Both paths must give the same lake rows and the same rejections, so each case checks
which path staged the file as well as the exact outcome.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from jiancha.contracts import dataset
from jiancha.ingest.coerce import install_macros
from jiancha.ingest.headers import map_headers
from jiancha.ingest.load import stage
from jiancha.ingest.progress import LoadProgress
from jiancha.ingest.readers import csv_source

from .helpers import ingest, rejections, rows, write_csv

GPS_HEADER = ["车牌号", "定位时间", "经度", "纬度", "速度(km/h)"]
CLEAN = ["冀F00001", "2024-03-01 08:00:00", "115.9", "38.95", "40.5"]


def staged_typed(path: Path) -> bool:
    """Stage the file on a scratch connection; whether the typed read staged it."""
    con = duckdb.connect()
    install_macros(con)
    ds = dataset("vehicle_gps")
    source = csv_source(path, path.name)
    header = map_headers(ds, source.headers, path.name)
    _, staged = stage(con, ds, source, header, path.name, LoadProgress(False))
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert "_stage_vehicle_gps" in tables
    return staged.guarded


def test_canonical_file_loads_typed_with_exact_rows_and_empty_required_cells(ws, drop):
    path = write_csv(
        drop / "vehicle_gps.csv",
        [
            GPS_HEADER,
            CLEAN,  # row 2
            ["冀F00002", "", "115.9", "38.95", ""],  # row 3: required time empty
            ["冀F00003", "2024-3-1 8:05:00", "116.1", "39.1", ""],  # row 4: optional speed empty
        ],
    )
    assert staged_typed(path)
    report = ingest(ws, drop)
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected, f.warnings) for f in report.files] == [(3, 2, 1, 0)]
    assert rejections(report) == [(3, "ts", None, "error")]
    assert report.rejections[0].reason == "必填字段为空"
    assert rows(ws, "SELECT vehicle_plate, ts, lon, lat, speed_kmh, _file, _row FROM vehicle_gps") == [
        ("冀F00001", dt.datetime(2024, 3, 1, 8, 0), 115.9, 38.95, 40.5, "vehicle_gps.csv", 2),
        ("冀F00003", dt.datetime(2024, 3, 1, 8, 5), 116.1, 39.1, None, "vehicle_gps.csv", 4),
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # the report quotes a coordinate outside the area as written, not as 116.8
        ({2: "116.80"}, (3, "lon", "116.80", "warning")),
        ({4: "NaN"}, (3, "speed_kmh", "NaN", "warning")),
        ({4: "-1.50"}, (3, "speed_kmh", "-1.50", "warning")),
        ({1: "2024-03-01 08:00:00+08:00"}, None),
        ({1: "2024/03/01 08:00"}, None),
        ({2: "1,15.9"}, (3, "lon", "1,15.9", "error")),
        # DuckDB's strptime reads these as 1900-01-01; the text read refuses them
        ({1: "infinity"}, (3, "ts", "infinity", "error")),
        ({1: "epoch"}, (3, "ts", "epoch", "error")),
    ],
)
def test_a_cell_the_typed_read_cannot_report_gives_way_to_the_text_read(ws, drop, cells, expected):
    second = [cells.get(i, cell) for i, cell in enumerate(CLEAN)]
    path = write_csv(drop / "vehicle_gps.csv", [GPS_HEADER, CLEAN, second])
    assert not staged_typed(path)
    report = ingest(ws, drop)
    assert rejections(report) == ([expected] if expected else [])
    assert rows(ws, "SELECT ts, _row FROM vehicle_gps WHERE _row = 3") == (
        [] if expected and expected[3] == "error" else [(dt.datetime(2024, 3, 1, 8, 0), 3)]
    )


def test_a_malformed_line_gives_way_and_keeps_row_numbers(ws, drop):
    text = "\n".join(
        [",".join(GPS_HEADER), ",".join(CLEAN), "冀F00002,2024-03-01 08:01:00", ",".join(CLEAN), ""]
    )
    path = drop / "vehicle_gps.csv"
    path.write_text(text, encoding="utf-8")
    assert not staged_typed(path)
    report = ingest(ws, drop)
    assert rejections(report) == [(3, None, "冀F00002,2024-03-01 08:01:00", "error")]
    assert rows(ws, "SELECT _row FROM vehicle_gps") == [(2,), (4,)]


def test_a_real_1900_date_gives_way_and_loads(ws, drop):
    second = [CLEAN[0], "1900-01-01 00:00:00", *CLEAN[2:]]
    path = write_csv(drop / "vehicle_gps.csv", [GPS_HEADER, CLEAN, second])
    assert not staged_typed(path)
    ingest(ws, drop)
    assert rows(ws, "SELECT ts FROM vehicle_gps WHERE _row = 3") == [(dt.datetime(1900, 1, 1),)]
