"""Bad inputs are refused with a clear sentence, and the lake keeps what it had."""

from __future__ import annotations

import csv
import gzip
import io
import random
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from jiancha.errors import WorkspaceError
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


def csv_bytes(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


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


def test_binary_without_nul_bytes_is_not_read_as_gb18030(ws, loaded):
    noise = random.Random(2)
    (loaded / "power_daily.csv").write_bytes(bytes(noise.randrange(1, 256) for _ in range(5000)))
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 含有二进制数据（空字节或控制字符），不是文本 CSV；请导出为 CSV 后重新导入。"
    )


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF 文档"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "旧版 Office 文件（如 Excel .xls）"),
        (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    ],
)
def test_other_formats_named_csv_are_named(ws, loaded, head, what):
    (loaded / "power_daily.csv").write_bytes(head + b"abc,def\n" * 10)
    assert refused(ws, loaded) == (
        f"文件 power_daily.csv 实际是{' ' if what[0].isascii() else ''}{what}，不是文本 CSV；"
        "请导出为 CSV（UTF-8）、xlsx 或 parquet 后重新导入。"
    )


def test_gzip_named_csv(ws, loaded):
    (loaded / "power_daily.csv").write_bytes(gzip.compress(csv_bytes(GOOD)))
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 实际是 gzip 压缩文件，只是扩展名为 .csv；请把扩展名改为 .csv.gz。"
    )


def test_gzip_csv_loads(ws, loaded):
    (loaded / "power_daily.csv.gz").write_bytes(gzip.compress(csv_bytes([HEADER, ["F9", "2024-04-01", "5"]])))
    (result,) = ingest(ws, loaded).files
    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert rows(ws, "SELECT facility_id, kwh, _row, _file FROM power_daily") == [
        ("F9", 5.0, 2, "power_daily.csv.gz")
    ]


def test_truncated_gzip(ws, loaded):
    body = csv_bytes([HEADER] + [["F1", f"2024-03-{d:02d}", str(d)] for d in range(1, 29)] * 50)
    (loaded / "power_daily.csv.gz").write_bytes(gzip.compress(body)[:300])
    message = refused(ws, loaded)
    assert message.startswith("文件 power_daily.csv.gz 是不完整的 gzip 压缩文件（解压出 ")
    assert message.endswith("，可能在复制或传输中被截断；未导入，原有数据保留。请重新获取完整文件。")


def test_damaged_gzip(ws, loaded):
    data = bytearray(gzip.compress(csv_bytes(GOOD)))
    data[-8] ^= 0xFF  # the CRC no longer matches
    (loaded / "power_daily.csv.gz").write_bytes(bytes(data))
    assert refused(ws, loaded).startswith("文件 power_daily.csv.gz 的 gzip 压缩数据已损坏")


def test_text_named_csv_gz(ws, loaded):
    write_csv(loaded / "power_daily.csv.gz", [HEADER, ["F2", "2024-04-01", "1"]])
    assert refused(ws, loaded) == (
        "文件 power_daily.csv.gz 实际是文本文件（可能是 CSV），只是扩展名为 .csv.gz；请把扩展名改为 .csv。"
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".csv.gz"])
def test_empty_file_of_any_format(ws, loaded, suffix):
    (loaded / f"power_daily{suffix}").write_bytes(b"")
    assert refused(ws, loaded) == f"文件 power_daily{suffix} 是空文件；未导入。"


def test_truncated_xlsx(ws, loaded, tmp_path):
    write_xlsx(tmp_path / "x.xlsx", GOOD)
    data = (tmp_path / "x.xlsx").read_bytes()
    (loaded / "power_daily.xlsx").write_bytes(data[: len(data) // 2])
    assert refused(ws, loaded).startswith("文件 power_daily.xlsx 是不完整的 xlsx 工作簿（zip 目录缺失）")


def test_truncated_parquet(ws, loaded, tmp_path):
    duckdb.sql(
        "SELECT 'F1' AS facility_id, DATE '2024-03-01' + i::INT AS date, i::DOUBLE AS kwh "
        "FROM range(500) t(i)"
    ).write_parquet(str(tmp_path / "p.parquet"))
    data = (tmp_path / "p.parquet").read_bytes()
    (loaded / "power_daily.parquet").write_bytes(data[: len(data) - 40])
    assert refused(ws, loaded).startswith(
        "文件 power_daily.parquet 是不完整的 parquet 文件（末尾缺少结束标记）"
    )


def test_bad_files_leave_the_rest_of_the_drop_loading(ws, loaded):
    """A drop with a binary, an empty and a cut-off file beside good ones: the good ones load,
    each bad one is named, and the lake's earlier version of its dataset stays."""
    (loaded / "power_daily.csv").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (loaded / "weather_daily.csv").write_bytes(b"")
    (loaded / "sludge_production.csv.gz").write_bytes(
        gzip.compress(b"facility_id,month,produced_t\n" * 500)[:60]
    )
    write_csv(loaded / "effluent_daily.csv", [["facility_id", "date"], ["F1", "2024-03-01"]])
    report = ingest(ws, loaded)
    outcome = {f.file: (f.status, f.message or "") for f in report.files}
    assert outcome["effluent_daily.csv"] == ("loaded", "")
    assert (
        outcome["power_daily.csv"][0] == "rejected_file"
        and "旧版 Office 文件" in outcome["power_daily.csv"][1]
    )
    assert outcome["weather_daily.csv"] == ("rejected_file", "文件 weather_daily.csv 是空文件；未导入。")
    assert "不完整的 gzip 压缩文件" in outcome["sludge_production.csv.gz"][1]
    assert_previous_version_intact(ws)
    assert rows(ws, "SELECT facility_id, date FROM effluent_daily") == [("F1", date(2024, 3, 1))]


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


def test_text_named_xlsx(ws, loaded):
    (loaded / "power_daily.xlsx").write_text("facility_id,date,kwh\n", encoding="utf-8")
    assert refused(ws, loaded) == (
        "文件 power_daily.xlsx 实际是文本文件（可能是 CSV），只是扩展名为 .xlsx；请把扩展名改为 .csv。"
    )


def test_text_named_parquet(ws, loaded):
    (loaded / "power_daily.parquet").write_text("not parquet", encoding="utf-8")
    assert refused(ws, loaded) == (
        "文件 power_daily.parquet 实际是文本文件（可能是 CSV），只是扩展名为 .parquet；请把扩展名改为 .csv。"
    )


def test_an_engine_error_refuses_only_that_file(ws, loaded, monkeypatch):
    def broken(*_args, **_kwargs):
        raise duckdb.IOException("Could not read file: Input/output error")

    monkeypatch.setattr(drop_module, "stage", broken)
    write_csv(loaded / "power_daily.csv", [HEADER, ["F2", "2024-04-01", "1"]])
    assert refused(ws, loaded) == (
        "文件 power_daily.csv 读取或写入时出错，未导入，原有数据保留：Could not read file: Input/output error"
    )


def test_a_full_disk_stops_the_ingest_with_a_sentence_and_records_nothing(ws, loaded, monkeypatch):
    """Not the file's fault: no rejected_file row, the lake as before, and what to do."""

    def full(*_args, **_kwargs):
        raise duckdb.IOException('Could not write file "lake.duckdb.wal": No space left on device')

    monkeypatch.setattr(drop_module, "stage", full)
    write_csv(loaded / "power_daily.csv", [HEADER, ["F2", "2024-04-01", "1"]])
    with pytest.raises(WorkspaceError, match=f"磁盘空间不足：写入 {ws.lake_path} 时.*请腾出空间"):
        ingest(ws, loaded)
    assert_previous_version_intact(ws)
    assert rows(ws, "SELECT status FROM _loads") == [("loaded",)]


def test_utf8_damaged_far_from_any_chinese_is_still_not_read_as_gb18030(ws, loaded, monkeypatch):
    monkeypatch.setattr(encoding, "CHUNK", 64)
    good = "设施编号,日期,用电量(千瓦时)\n".encode() + b"F1,2024-03-01,1\n" * 20
    (loaded / "power_daily.csv").write_bytes(good + b"F\xe9,2024-03-02,1\n")
    assert refused(ws, loaded).startswith(f"文件 power_daily.csv 是 UTF-8 编码，但第 {len(good) + 1} 字节处")
