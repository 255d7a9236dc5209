"""Each reader path and encoding ends in the same typed lake table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiancha.contracts import dataset
from jiancha.ingest import encoding
from jiancha.ingest.drop import DropFile, _stage_while_hashing
from jiancha.lake import open_lake

from .helpers import ingest, rejections, rows, set_cached_values, write_csv, write_xlsx

HEADER_TITLES = [
    "纬度",
    "设施编号",
    "设施名称",
    "设施类型",
    "监管部门",
    "经度",
    "设计处理能力（吨/日）",
    "投运日期",
    "片区备注",
]
FACILITIES = [
    [
        "39.0",
        "F001",
        "雄县城镇污水处理厂",
        "城镇污水处理厂",
        "雄县住建局",
        "116.1",
        "10,000",
        "2024年3月5日",
        "东区",
    ],
    [
        "39.1",
        "F002",
        "容城县南张镇污水站",
        "rural_station",
        "容城县生态环境分局",
        "115.9",
        "200",
        "2024/3/6",
        "",
    ],
]
EXPECTED = [
    (
        "F001",
        "雄县城镇污水处理厂",
        "town_plant",
        "雄县住建局",
        116.1,
        39.0,
        10000.0,
        dt.date(2024, 3, 5),
        "东区",
        2,
    ),
    (
        "F002",
        "容城县南张镇污水站",
        "rural_station",
        "容城县生态环境分局",
        115.9,
        39.1,
        200.0,
        dt.date(2024, 3, 6),
        None,
        3,
    ),
]
SELECT = (
    "SELECT facility_id, name, facility_type, supervisor_agency, lon, lat, design_capacity_m3d, "
    'commissioned_date, "片区备注", _row FROM sewage_facilities ORDER BY _row'
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_allowed_encoding(ws, drop, codec):
    write_csv(drop / "sewage_facilities.csv", [HEADER_TITLES, *FACILITIES], encoding=codec)
    report = ingest(ws, drop)
    assert [(f.status, f.rows_loaded) for f in report.files] == [("loaded", 2)]
    assert rows(ws, SELECT) == EXPECTED
    detected = "gb18030" if codec in ("gb18030", "gbk") else "utf-8"
    assert rows(ws, "SELECT encoding, file_name FROM _loads") == [(detected, "sewage_facilities.csv")]


def test_gb18030_character_split_across_chunks_is_kept(ws, drop, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 7)
    write_csv(drop / "sewage_facilities.csv", [HEADER_TITLES, *FACILITIES], encoding="gb18030")
    ingest(ws, drop)
    assert rows(ws, SELECT) == EXPECTED


def test_field_names_as_headers_in_any_order(ws, drop):
    header = [
        "lat",
        "facility_id",
        "name",
        "facility_type",
        "supervisor_agency",
        "lon",
        "design_capacity_m3d",
    ]
    header += ["commissioned_date", "片区备注"]
    write_csv(drop / "sewage_facilities.csv", [header, *FACILITIES])
    ingest(ws, drop)
    assert rows(ws, SELECT) == EXPECTED


def test_lake_columns_follow_the_conventions(ws, drop):
    write_csv(drop / "sewage_facilities.csv", [HEADER_TITLES, *FACILITIES])
    ingest(ws, drop)
    described = rows(ws, "SELECT column_name, column_type FROM (DESCRIBE sewage_facilities)")
    assert described[:3] == [("facility_id", "VARCHAR"), ("name", "VARCHAR"), ("facility_type", "VARCHAR")]
    assert described[-3:] == [("片区备注", "VARCHAR"), ("_file", "VARCHAR"), ("_row", "BIGINT")]
    assert dict(described)["commissioned_date"] == "DATE"
    assert dict(described)["sludge_storage_t"] == "DOUBLE"


def test_xlsx_first_sheet_below_a_merged_title_with_real_dates(ws, drop):
    path = drop / "sewage_facilities.xlsx"
    body = [[*r[:7], dt.date(2024, 3, 5 + i), r[8] or None] for i, r in enumerate(FACILITIES)]
    body[0][6] = 10000
    write_xlsx(path, [["雄安新区污水处理设施名录（2024年）"], HEADER_TITLES, *body], merge="A1:I1")
    report = ingest(ws, drop)
    assert [(f.status, f.rows_loaded) for f in report.files] == [("loaded", 2)]
    assert rows(ws, SELECT) == [(*e[:-1], e[-1] + 1) for e in EXPECTED]


def test_xlsx_formula_cells_give_cached_values_and_errors_are_unreadable(ws, drop):
    path = drop / "effluent_daily.xlsx"
    write_xlsx(
        path,
        [
            ["设施编号", "监测日期", "日处理水量(吨)", "化学需氧量(mg/L)"],
            ["F001", dt.date(2024, 3, 1), "=100*2", "=1/0"],
            ["F001", dt.date(2024, 3, 2), 150, "#REF!"],
        ],
    )
    set_cached_values(path, {"C2": ("", "200"), "D2": ("e", "#DIV/0!")})
    report = ingest(ws, drop)
    got = rows(ws, "SELECT facility_id, date, flow_m3, cod_mgl, _row FROM effluent_daily ORDER BY _row")
    assert got == [
        ("F001", dt.date(2024, 3, 1), 200.0, None, 2),
        ("F001", dt.date(2024, 3, 2), 150.0, None, 3),
    ]
    assert rejections(report) == [(2, "cod_mgl", "#DIV/0!", "warning"), (3, "cod_mgl", "#REF!", "warning")]
    assert report.rejections[0].reason == "单元格是 Excel 错误值（公式出错），无法读取"


def test_parquet_natively_typed_and_text_columns(ws, drop):
    shanghai = dt.timezone(dt.timedelta(hours=8))
    table = pa.table(
        {
            "车牌号": ["冀F12345", "冀F12345", "冀F67890"],
            "ts": pa.array(
                [
                    dt.datetime(2024, 3, 5, 6, 30, tzinfo=dt.UTC),
                    dt.datetime(2024, 3, 5, 14, 31, tzinfo=shanghai),
                    dt.datetime(2024, 3, 5, 0, 0, tzinfo=dt.UTC),
                ],
                pa.timestamp("us", tz="UTC"),
            ),
            "lon": pa.array([116.1, 116.2, 116.3], pa.float32()),
            "lat": ["39.0", "39,1", "39.2"],
            "speed_kmh": pa.array([40, -1, None], pa.int32()),
            "route": ["A", "B", None],
        }
    )
    pq.write_table(table, drop / "vehicle_gps.parquet")
    report = ingest(ws, drop)
    got = rows(ws, "SELECT vehicle_plate, ts, round(lon, 3), lat, speed_kmh, route, _row FROM vehicle_gps")
    assert got == [
        ("冀F12345", dt.datetime(2024, 3, 5, 14, 30), 116.1, 39.0, 40.0, "A", 2),
        ("冀F67890", dt.datetime(2024, 3, 5, 8, 0), 116.3, 39.2, None, None, 4),
    ]
    assert rejections(report) == [(3, "lat", "39,1", "error"), (3, "speed_kmh", "-1", "warning")]


def test_parquet_negative_native_value_is_nulled_with_a_warning(ws, drop):
    table = pa.table(
        {"设施编号": ["F1", "F1"], "日期": [dt.date(2024, 3, 1), dt.date(2024, 3, 2)], "kwh": [1.5, 2.0]}
    )
    table = table.append_column("用电量(千瓦时)", pa.array([-1.0, 3.0])).drop_columns(["kwh"])
    pq.write_table(table, drop / "power_daily.parquet")
    report = ingest(ws, drop)
    assert rows(ws, "SELECT facility_id, date, kwh, _row FROM power_daily") == [
        ("F1", dt.date(2024, 3, 2), 3.0, 3)
    ]
    assert rejections(report) == [(2, "kwh", "-1.0", "error")]


def test_unknown_columns_are_kept_as_text(ws, drop, tmp_path: Path):
    write_csv(
        drop / "power_daily.csv",
        [["设施编号", "日期", "用电量(千瓦时)", "抄表员", "Meter"], ["F1", "2024-03-01", "12", "王五", "7"]],
    )
    ingest(ws, drop)
    assert rows(ws, 'SELECT "抄表员", "Meter" FROM power_daily') == [("王五", "7")]


def test_blanks_around_cells_are_trimmed_inside_kept(ws, drop):
    write_csv(
        drop / "power_daily.csv",
        [
            ["\u3000设施编号 ", "日期", "用电量(千瓦时)"],
            ["\tF 1\u3000", " 2024-03-01", "\u300012 "],
            ["F2", "2024-03-02", " "],
        ],
    )
    report = ingest(ws, drop)
    assert rows(ws, "SELECT facility_id, date, kwh FROM power_daily") == [("F 1", dt.date(2024, 3, 1), 12.0)]
    assert rejections(report) == [(3, "kwh", None, "error")]


@pytest.mark.parametrize("with_error_cell", [False, True])
def test_xlsx_rows_keep_sheet_numbers_when_the_table_starts_lower_right(ws, drop, with_error_cell):
    path = drop / "power_daily.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"], sheet["D3"] = "设施编号", "日期", "用电量(千瓦时)"
    sheet["B4"], sheet["C4"], sheet["D4"] = "F1", "2024-03-01", 5
    sheet["B6"], sheet["C6"], sheet["D6"] = "F1", "2024-03-02", "=1/0" if with_error_cell else "x"
    book.save(path)
    if with_error_cell:
        set_cached_values(path, {"D6": ("e", "#DIV/0!")})
    report = ingest(ws, drop)
    assert rows(ws, "SELECT kwh, _row FROM power_daily") == [(5.0, 4)]
    assert rejections(report) == [(6, "kwh", "#DIV/0!" if with_error_cell else "x", "error")]


def test_xlsx_reads_only_the_first_sheet(ws, drop):
    path = drop / "power_daily.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["设施编号", "日期", "用电量(千瓦时)"])
    book.active.append(["F1", "2024-03-01", 7])
    notes = book.create_sheet("说明")
    notes.append(["设施编号", "日期", "用电量(千瓦时)"])
    notes.append(["F9", "2024-03-09", 9])
    book.save(path)
    ingest(ws, drop)
    assert rows(ws, "SELECT facility_id, kwh FROM power_daily") == [("F1", 7.0)]


def test_gb18030_only_characters_survive(ws, drop):
    name = "𠮷野家餐饮（雄县）有限公司"
    write_csv(
        drop / "scrap_dealer_filings.csv",
        [["统一社会信用代码", "名称", "备案日期"], ["91130638MA0A00000X", name, "2024-03-01"]],
        encoding="gb18030",
    )
    ingest(ws, drop)
    assert rows(ws, "SELECT name FROM scrap_dealer_filings") == [(name,)]


def test_csv_plain_at_the_start_and_gb18030_later_is_loaded_as_gb18030(ws, drop, monkeypatch):
    """Staged as UTF-8 while checked (its first chunk is plain), read again once the check says GB18030."""
    monkeypatch.setattr(encoding, "CHUNK", 64)
    plain = [["facility_id", "date", "kwh"]] + [["F1", f"2024-03-{d:02d}", "10"] for d in range(1, 11)]
    write_csv(drop / "power_daily.csv", [*plain, ["雄县F2", "2024-03-11", "12"]], encoding="gb18030")
    report = ingest(ws, drop)
    assert [(f.status, f.rows_loaded) for f in report.files] == [("loaded", 11)]
    assert rows(ws, "SELECT facility_id, _row FROM power_daily WHERE kwh = 12") == [("雄县F2", 12)]
    assert rows(ws, "SELECT encoding FROM _loads") == [("gb18030",)]


def test_a_file_is_staged_while_hashed_unless_it_may_be_unchanged_or_its_encoding_is_open(ws, drop, tmp_path):
    header = ["facility_id", "date", "kwh"]
    first = write_csv(drop / "power_daily.csv", [header, ["F1", "2024-03-01", "10"]])
    ingest(ws, drop)
    later = tmp_path / "later"
    later.mkdir()
    same_size = write_csv(
        later / "power_daily.csv", [["facility_id", "date", "kwh"], ["F2", "2024-03-01", "10"]]
    )
    assert same_size.stat().st_size == first.stat().st_size
    longer = write_csv(later / "sewage_facilities.csv", [HEADER_TITLES, *FACILITIES])
    chinese = write_csv(later / "effluent_daily.csv", [HEADER_TITLES], encoding="gb18030")
    con = open_lake(ws, read_only=True)
    try:
        decisions = {
            path.stem: _stage_while_hashing(con, dataset(path.stem), DropFile(path, path.stem))
            for path in (same_size, longer, chinese)
        }
    finally:
        con.close()
    assert decisions == {"power_daily": False, "sewage_facilities": True, "effluent_daily": False}
