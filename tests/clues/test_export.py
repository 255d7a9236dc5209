"""Clue export: the contract's columns, then the model's title; UTF-8 CSV, xlsx with Chinese titles."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from jiancha.clues.export import COLUMNS, write

CONTRACT_COLUMNS = [
    "clue_id",
    "model_id",
    "subject_type",
    "subject_id",
    "related_ids",
    "period",
    "severity",
    "office",
    "target_agency",
    "legal_basis",
    "status",
    "first_seen",
]
TITLES = {"water.facility_idle": "污水处理设施建而不用"}


def test_csv_has_the_contract_columns_then_the_model_title(store, make_finding, tmp_path):
    store.sync_findings("r1", "water.facility_idle", [make_finding("F2"), make_finding("F1", None)])
    path = tmp_path / "clues.csv"
    assert write(store.iter_clues(), path, "csv", TITLES) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"clue_id,")  # UTF-8 without a byte-order mark
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert rows[0] == [*CONTRACT_COLUMNS, "model_title"]
    assert rows[1][1:] == [
        "water.facility_idle",
        "facility",
        "F1",
        "F1@2024-03-02;F1@2024-03-03",
        "",
        "high",
        "容城县人民检察院",
        "容城县住房和城乡建设局",
        "城镇排水与污水处理条例 第五十二条",
        "new",
        "2024-04-01 09:00:00",
        "污水处理设施建而不用",
    ]
    assert [r[3] for r in rows[1:]] == ["F1", "F2"]
    assert len(rows[1][0]) == 16


def test_xlsx_has_the_same_table_with_chinese_titles(store, make_finding, tmp_path):
    store.sync_findings("r1", "water.facility_idle", [make_finding("F1")])
    path = tmp_path / "clues.xlsx"
    assert write(store.iter_clues(), path, "xlsx", TITLES) == 1
    sheet = load_workbook(path, read_only=True)["线索"]
    header, row = list(sheet.iter_rows(values_only=True))
    assert list(header) == [*(COLUMNS[c] for c in CONTRACT_COLUMNS), "模型名称"]
    assert row[:2][1] == "water.facility_idle" and row[-1] == "污水处理设施建而不用"
    assert header[0] == "线索编号" and header[7] == "承办检察机关"
    assert row[3:8] == ("F1", "F1@2024-03-02;F1@2024-03-03", "2024-03", "high", "容城县人民检察院")


def test_a_model_missing_from_the_titles_keeps_its_id(store, make_finding, tmp_path):
    store.sync_findings("r1", "water.facility_idle", [make_finding("F1")])
    path = tmp_path / "clues.csv"
    write(store.iter_clues(), path, "csv")
    assert path.read_text("utf-8").splitlines()[1].endswith(",water.facility_idle")
