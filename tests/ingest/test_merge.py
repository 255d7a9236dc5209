"""``ingest --merge``: a file replaces the rows it restates and keeps the rest."""

from __future__ import annotations

from jiancha.ingest import ingest_drop

from .helpers import rows, write_csv

POWER = ["facility_id", "date", "kwh"]


def load(ws, drop, name, table, merge=True):
    for old in drop.iterdir():
        old.unlink()
    write_csv(drop / name, table)
    return ingest_drop(ws, drop, progress=False, merge=merge).files[0]


def test_keyed_rows_are_replaced_by_key_and_the_rest_kept(ws, drop):
    load(ws, drop, "power_daily.csv", [POWER, ["F1", "2024-01-01", "1"], ["F1", "2024-01-02", "2"]])
    result = load(ws, drop, "power_daily.csv", [POWER, ["F1", "2024-01-02", "20"], ["F1", "2024-01-03", "3"]])
    assert result.message == "已与原有数据合并：保留原有 1 行，本文件重述的行以本文件为准。"
    assert rows(ws, "SELECT date::VARCHAR, kwh, _row, _source_row FROM power_daily ORDER BY date") == [
        ("2024-01-01", 1.0, 2, 2),
        ("2024-01-02", 20.0, 5, 2),
        ("2024-01-03", 3.0, 6, 3),
    ]
    load(ws, drop, "power_daily.csv", [POWER, ["F1", "2024-01-01", "10"], ["F2", "2024-01-01", "7"]])
    assert rows(
        ws, "SELECT facility_id, date::VARCHAR, kwh, _row, _source_row FROM power_daily ORDER BY _row"
    ) == [
        ("F1", "2024-01-02", 20.0, 5, 2),
        ("F1", "2024-01-03", 3.0, 6, 3),
        ("F1", "2024-01-01", 10.0, 8, 2),
        ("F2", "2024-01-01", 7.0, 9, 3),
    ]
    covered = "SELECT first_date::VARCHAR, last_date::VARCHAR FROM _coverage WHERE subject IS NULL"
    assert rows(ws, covered + " ORDER BY load_id DESC LIMIT 1") == [("2024-01-01", "2024-01-03")]
    assert rows(ws, "SELECT count(*) FROM _coverage WHERE subject = 'F2'") == [(1,)]


def test_keyless_rows_are_replaced_within_the_days_the_file_covers(ws, drop):
    header = ["vehicle_plate", "ts", "lon", "lat"]
    first = [["冀F1", "2024-01-01 08:00:00", "116", "39"], ["冀F1", "2024-01-05 08:00:00", "116", "39"]]
    load(ws, drop, "vehicle_gps.csv", [header, *first])
    load(ws, drop, "vehicle_gps.csv", [header, ["冀F2", "2024-01-05 09:00:00", "116", "39"]])
    assert rows(ws, "SELECT vehicle_plate, ts::VARCHAR FROM vehicle_gps ORDER BY ts") == [
        ("冀F1", "2024-01-01 08:00:00"),
        ("冀F2", "2024-01-05 09:00:00"),
    ]


def test_without_merge_a_file_replaces_the_dataset(ws, drop):
    load(ws, drop, "power_daily.csv", [POWER, ["F1", "2024-01-01", "1"]])
    load(ws, drop, "power_daily.csv", [POWER, ["F1", "2024-01-03", "3"]], merge=False)
    assert rows(ws, "SELECT date::VARCHAR, _row FROM power_daily") == [("2024-01-03", 2)]
