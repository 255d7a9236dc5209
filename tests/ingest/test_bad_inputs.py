"""Bad inputs are refused with a clear sentence, and the lake keeps what it had."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from jiancha.ingest import drop as drop_module
from jiancha.ingest import encoding

from .helpers import ingest, rows, write_csv, write_xlsx

HEADER = ["设施编号", "日期", "用电量(千瓦时)"]
GOOD = [HEADER, ["F1", "2024-03-01", "10"], ["F1", "2024-03-02", "11"]]


@pytest.fixture
def loaded(ws, drop, tmp_path) -> Path:
    """A workspace already holding power_daily from a good file; returns a fresh drop folder."""
    write_csv(drop / "power_daily.csv", GOOD)
    assert ingest(ws, drop).files[0].status == "loaded"
    fresh = tmp_path / "drop2"
    fresh.mkdir()
    return fresh


def assert_previous_version_intact(ws) -> None:
    assert rows(ws, "SELECT facility_id, kwh, _row FROM power_daily ORDER BY _row") == [
        ("F1", 10.0, 2),
        ("F1", 11.0, 3),
    ]
    assert rows(ws, "SELECT count(*) FROM _loads WHERE status = 'loaded' AND dataset = 'power_daily'") == [
        (1,)
    ]


def refused(ws, drop) -> str:
    report = ingest(ws, drop)
    assert [f.status for f in report.files] == ["rejected_file"]
    assert_previous_version_intact(ws)
    stored = rows(ws, "SELECT status, message FROM _loads ORDER BY load_id DESC LIMIT 1")
    assert stored == [("rejected_file", report.files[0].message)]
    return report.files[0].message


def test_empty_file(ws, loaded):
    (loaded / "power_daily.csv").write_bytes(b"")
    assert refused(ws, loaded) == "文件 power_daily.csv 是空文件；未导入。"


def test_header_only_file(ws, loaded):
    write_csv(loaded / "power_daily.csv", [HEADER])
    assert refused(ws, loaded) == "文件 power_daily.csv 只有表头、没有数据行；未导入，原有数据保留。"


def test_header_only_xlsx(ws, loaded):
    write_xlsx(loaded / "power_daily.xlsx", [HEADER])
    assert refused(ws, loaded) == "文件 power_daily.xlsx 只有表头、没有数据行；未导入，原有数据保留。"


def test_binary_file_named_csv(ws, loaded):
    (loaded / "power_daily.csv").write_bytes(bytes(range(256)) * 40)
    assert "含有二进制数据" in refused(ws, loaded)


def test_xlsx_renamed_to_csv(ws, loaded, tmp_path):
    write_xlsx(tmp_path / "x.xlsx", GOOD)
    shutil.copy(tmp_path / "x.xlsx", loaded / "power_daily.csv")
    assert (
        refused(ws, loaded)
        == "文件 power_daily.csv 实际是 xlsx/zip 文件，只是扩展名为 .csv；请把扩展名改为 .xlsx。"
    )


def test_damaged_utf8_is_not_read_as_gb18030(ws, loaded):
    (loaded / "power_daily.csv").write_bytes("设施编号,日期,用电量(千瓦时)\n".encode() + b"F1,\xff\xff,1\n")
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 是 UTF-8 编码，但第 44 字节处有无效字节（文件可能损坏或混用了编码）；"
        "请修正后重新导入。"
    )


def test_bytes_neither_utf8_nor_gb18030_name_the_offset(ws, loaded):
    (loaded / "power_daily.csv").write_bytes(b"facility_id,date,kwh\nF1,2024-03-01,\xff\xff\n")
    assert refused(ws, loaded).startswith(
        "文件 power_daily.csv 在第 35 字节处既不是 UTF-8 也不是 GB18030 文本"
    )


def test_utf16_file(ws, loaded):
    write_csv(loaded / "power_daily.csv", GOOD, encoding="utf-16")
    assert refused(ws, loaded).startswith("文件 power_daily.csv 是 UTF-16 编码，不是契约允许的编码")


def test_missing_required_columns_name_them(ws, loaded):
    write_csv(loaded / "power_daily.csv", [["设施编号", "备注"], ["F1", "x"]])
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 缺少必填列：date（日期）、kwh（用电量(千瓦时)）；整个文件未导入。"
    )


def test_duplicate_column(ws, loaded):
    write_csv(
        loaded / "power_daily.csv",
        [["设施编号", "日期", "用电量(千瓦时)", "kwh"], ["F1", "2024-03-01", "1", "2"]],
    )
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 的表头有重复或保留的列（用电量(千瓦时)、kwh），无法判断该用哪一列；"
        "请删除重复列后重新导入。"
    )


def test_same_dataset_twice_in_one_drop(ws, loaded):
    write_csv(loaded / "power_daily.csv", GOOD)
    write_xlsx(loaded / "power_daily.xlsx", GOOD)
    report = ingest(ws, loaded)
    assert [(f.file, f.status) for f in report.files] == [
        ("power_daily.csv", "skipped"),
        ("power_daily.xlsx", "skipped"),
    ]
    assert report.files[0].message == (
        "数据集 power_daily 在本批数据中有多个文件（power_daily.csv、power_daily.xlsx），"
        "无法判断以哪个为准，均未导入；请只保留一个后重新导入。"
    )
    assert_previous_version_intact(ws)


def test_unknown_file_name_is_reported_and_skipped(ws, loaded):
    write_csv(loaded / "power.csv", GOOD)
    write_csv(loaded / "weather_daily.csv", [["县", "日期"], ["雄县", "2024-03-01"]])
    report = ingest(ws, loaded)
    assert [(f.file, f.status) for f in report.files] == [
        ("power.csv", "skipped"),
        ("weather_daily.csv", "loaded"),
    ]
    assert report.rejections[0].reason.startswith("power.csv 不是契约中的数据集文件")
    assert_previous_version_intact(ws)


def test_not_a_workbook(ws, loaded):
    (loaded / "power_daily.xlsx").write_text("not a zip", encoding="utf-8")
    assert refused(ws, loaded).startswith("文件 power_daily.xlsx 不是可读的 xlsx 工作簿")


def test_not_a_parquet_file(ws, loaded):
    (loaded / "power_daily.parquet").write_text("not parquet", encoding="utf-8")
    assert refused(ws, loaded).startswith("文件 power_daily.parquet 不是可读的 parquet 文件")


def test_an_engine_error_refuses_only_that_file(ws, loaded, monkeypatch):
    def broken(*_args, **_kwargs):
        raise duckdb.IOException("No space left on device")

    monkeypatch.setattr(drop_module, "stage", broken)
    write_csv(loaded / "power_daily.csv", [HEADER, ["F2", "2024-04-01", "1"]])
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 读取或写入时出错，未导入，原有数据保留：No space left on device"
    )


def test_utf8_damaged_far_from_any_chinese_is_still_not_read_as_gb18030(ws, loaded, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 64)
    good = "设施编号,日期,用电量(千瓦时)\n".encode() + b"F1,2024-03-01,1\n" * 20
    (loaded / "power_daily.csv").write_bytes(good + b"F\xe9,2024-03-02,1\n")
    assert refused(ws, loaded).startswith(f"文件 power_daily.csv 是 UTF-8 编码，但第 {len(good) + 1} 字节处")
