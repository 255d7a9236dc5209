"""Rows that break the contract are rejected with exact row numbers; the rest of the file loads."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from jiancha.errors import ContractError
from jiancha.ingest import IngestReport, write_report
from jiancha.ingest import drop as drop_module
from jiancha.ingest.report import Rejection

from .helpers import ingest, rejections, rows, write_csv

EFFLUENT_HEADER = ["设施编号", "监测日期", "日处理水量(吨)", "化学需氧量(mg/L)", "数据标记"]


def test_each_rule_rejects_or_warns_with_the_spreadsheet_row(ws, drop):
    write_csv(
        drop / "effluent_daily.csv",
        [
            EFFLUENT_HEADER,
            ["F1", "2024-03-01", "100", "20", "N"],  # row 2: clean
            ["F1", "2024-02-30", "100", "20", "N"],  # row 3: impossible date in a required field
            ["", "2024-03-02", "100", "20", "正常"],  # row 4: required field empty
            ["F1", "2024-03-03", "-5", "20", "X"],  # row 5: negative optional value, unknown enum
            ["F1", "2024-03-01", "90", "20", "N"],  # row 6: repeats the key of row 2
            ["F2", "2024/3/1", "1,200.5", "二十", "停运"],  # row 7: unreadable optional number
        ],
    )
    report = ingest(ws, drop)
    assert [(f.rows_read, f.rows_loaded, f.rows_rejected, f.warnings) for f in report.files] == [(6, 3, 3, 3)]
    assert rejections(report) == [
        (3, "date", "2024-02-30", "error"),
        (4, "facility_id", None, "error"),
        (5, "flow_m3", "-5", "warning"),
        (5, "data_flag", "X", "warning"),
        (6, "facility_id,date", "F1|2024-03-01", "error"),
        (7, "cod_mgl", "二十", "warning"),
    ]
    assert report.rejections[4].reason == "与第 2 行的键（facility_id, date）重复，保留第一行"
    assert rows(ws, "SELECT facility_id, date, flow_m3, cod_mgl, data_flag, _row FROM effluent_daily") == [
        ("F1", dt.date(2024, 3, 1), 100.0, 20.0, "N", 2),
        ("F1", dt.date(2024, 3, 3), None, 20.0, None, 5),
        ("F2", dt.date(2024, 3, 1), 1200.5, None, "F", 7),
    ]
    stored = rows(ws, 'SELECT "row", field, severity FROM _rejections ORDER BY "row", field')
    assert len(stored) == 6 and stored[0] == (3, "date", "error")


def test_negative_required_quantity_rejects_the_row(ws, drop):
    write_csv(
        drop / "sludge_manifests.csv",
        [
            ["联单编号", "设施编号", "转移日期", "转移量(吨)", "接收单位"],
            ["M1", "F1", "2024-03-01", "-3.5", "某处置公司"],
            ["M2", "F1", "2024-03-01", "3.5", "某处置公司"],
        ],
    )
    report = ingest(ws, drop)
    assert rejections(report) == [(2, "weight_t", "-3.5", "error")]
    assert report.rejections[0].reason == "小于允许的最小值 0"
    assert rows(ws, "SELECT manifest_no FROM sludge_manifests") == [("M2",)]


def test_coordinates_outside_the_area_are_kept_with_a_warning(ws, drop):
    write_csv(
        drop / "grid_events.csv",
        [["事件编号", "上报时间", "经度", "纬度"], ["E1", "2024-03-01 08:00", "120", "39"]],
    )
    report = ingest(ws, drop)
    assert rejections(report) == [(2, "lon", "120", "warning")]
    assert rows(ws, "SELECT lon, lat FROM grid_events") == [(120.0, 39.0)]


def test_malformed_csv_lines_keep_later_row_numbers_exact(ws, drop):
    text = (
        "设施编号,日期,用电量(千瓦时)\n"
        "F1,2024-03-01,1\n"  # row 2
        'F1,2024-03-02,"1\n0"\n'  # row 3: a quoted line break is one spreadsheet row
        "F1,2024-03-03\n"  # row 4: a column missing
        "F1,2024-03-04,4,extra\n"  # row 5: a column too many
        "F1,2024-03-05,5\n"  # row 6
    )
    (drop / "power_daily.csv").write_text(text, encoding="utf-8")
    report = ingest(ws, drop)
    assert rejections(report) == [
        (3, "kwh", "1\n0", "error"),
        (4, None, "F1,2024-03-03", "error"),
        (5, None, "F1,2024-03-04,4,extra", "error"),
    ]
    assert rows(ws, "SELECT date, kwh, _row FROM power_daily") == [
        (dt.date(2024, 3, 1), 1.0, 2),
        (dt.date(2024, 3, 5), 5.0, 6),
    ]
    assert report.files[0].rows_read == 5


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_report_file_lists_every_rejection(ws, drop, tmp_path, suffix):
    write_csv(drop / "power_daily.csv", [["设施编号", "日期", "用电量(千瓦时)"], ["F1", "2024-02-30", "1"]])
    write_csv(drop / "notes.csv", [["x"], ["y"]])
    report = ingest(ws, drop)
    out = tmp_path / f"report{suffix}"
    write_report(report, out)
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            got = list(csv.reader(fh))
    else:
        got = [[("" if c is None else str(c)) for c in r] for r in openpyxl.load_workbook(out).active.values]
    assert got[0] == ["数据集", "文件", "行号", "字段", "值", "原因", "级别"]
    assert [r[:5] + r[6:] for r in got[1:]] == [
        ["", "notes.csv", "", "", "", "拒绝"],
        ["power_daily", "power_daily.csv", "2", "date", "2024-02-30", "拒绝"],
    ]


def test_report_file_must_be_csv_or_xlsx(ws, drop, tmp_path):
    with pytest.raises(ContractError, match=r"\.csv 或 \.xlsx"):
        write_report(ingest(ws, drop), tmp_path / "r.txt")


def test_only_so_many_rejections_are_listed_but_all_are_kept(ws, drop, monkeypatch):
    monkeypatch.setattr(drop_module, "MAX_LISTED", 2)
    body = [["F1", f"2024-02-3{d}", "1"] for d in range(2)] + [["F1", "bad", "1"], ["F1", "2024-03-01", "x"]]
    write_csv(drop / "power_daily.csv", [["设施编号", "日期", "用电量(千瓦时)"], *body])
    write_csv(drop / "notes.csv", [["x"]])
    report = ingest(ws, drop)
    assert (len(report.rejections), report.rejections_total, report.unlisted) == (3, 5, 2)
    assert [r.row for r in report.rejections] == [None, 2, 3]
    assert rows(ws, "SELECT count(*) FROM _rejections") == [(4,)]


def test_report_masks_values_of_personal_fields(tmp_path):
    """An ID number in a rejection is masked in the report file, whatever the lake holds."""
    report = IngestReport(
        rejections=[
            Rejection("admin_penalties", "p.csv", 5, "party_id_no", "130629199001011234", "示例", "error"),
            Rejection("admin_penalties", "p.csv", 6, "fine_yuan", "-5", "小于允许的最小值 0", "warning"),
        ]
    )
    out = tmp_path / "report.csv"
    write_report(report, out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        values = [row[4] for row in csv.reader(fh)][1:]
    assert values == ["130629********1234", "-5"]


def test_rejections_in_the_lake_hold_personal_values_masked(ws, drop):
    """A line of a dataset with personal fields that cannot be split is kept masked whole."""
    header = ["处罚决定书文号", "处罚机关", "当事人名称", "身份证号", "处罚决定日期"]
    text = (
        ",".join(header) + "\n"
        "雄环罚〔2024〕1号,雄安新区生态环境局,张三,130629199001011234,2024-03-01\n"  # row 2: clean
        "雄环罚〔2024〕2号,雄安新区生态环境局,李四,130629198802021111,2024-03-02,多余\n"  # row 3: extra
    )
    (drop / "admin_penalties.csv").write_text(text, encoding="utf-8")
    report = ingest(ws, drop)
    stored = rows(ws, "SELECT value FROM _rejections WHERE dataset = 'admin_penalties'")
    assert len(stored) == 1 and "130629198802021111" not in stored[0][0]
    assert stored[0][0].startswith("雄环罚〔20") and set(stored[0][0][6:-4]) == {"*"}
    assert [r.value for r in report.rejections] == [stored[0][0]]
    assert rows(ws, "SELECT party_id_no FROM admin_penalties") == [("130629199001011234",)]
