"""How each agency writes its file: format, header language, column order, date and
number spellings, encodings — and the few bad rows ingestion must reject.

None of this changes what the data says; a correct reader recovers every value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """The habits of one file."""

    fmt: str = "csv"
    chinese_headers: bool = False
    encoding: str = "utf-8"
    shuffle_columns: bool = False
    dates: str = "iso"
    labels: bool = False
    booleans: tuple[str, str] = ("true", "false")
    list_sep: str = ";"
    thousands: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


STYLES: dict[str, Style] = {
    "sewage_facilities": Style(
        chinese_headers=True,
        encoding="utf-8-sig",
        shuffle_columns=True,
        dates="mixed",
        labels=True,
        thousands=("design_capacity_m3d",),
        extra={"填报人": "person"},
    ),
    "effluent_daily": Style("parquet"),
    "power_daily": Style(),
    "sludge_production": Style(chinese_headers=True),
    "sludge_manifests": Style(dates="slash"),
    "disposal_permits": Style(chinese_headers=True, labels=True, list_sep="、", dates="chinese"),
    "sludge_storage_inspections": Style(chinese_headers=True, booleans=("是", "否")),
    "vehicle_gps": Style("parquet"),
    "weather_daily": Style(labels=True),
    "admin_penalties": Style("xlsx", chinese_headers=True, thousands=("confiscation_yuan",)),
    "case_transfers": Style(labels=True),
    "criminal_cases": Style(chinese_headers=True, encoding="gb18030", labels=True, list_sep="、"),
    "business_registry": Style(),
    "scrap_dealer_filings": Style(chinese_headers=True, dates="chinese"),
    "police_scrap_filings": Style(chinese_headers=True, encoding="gb18030", dates="slash"),
    "grid_events": Style(dates="slash"),
    "construction_sites": Style("xlsx", chinese_headers=True),
}


def spell_date(d: dt.date, how: str, row: int) -> str:
    """A date as the agency writes it; ``mixed`` cycles through the three spellings."""
    if how == "mixed":
        how = ("iso", "slash", "chinese")[row % 3]
    if how == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if how == "chinese":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def spell_datetime(t: dt.datetime, how: str) -> str:
    if how == "slash":
        return f"{t.year}/{t.month}/{t.day} {t.hour:02d}:{t.minute:02d}"
    return t.strftime("%Y-%m-%d %H:%M:%S")


def spell_number(v: float, thousands: bool) -> str:
    if thousands:
        return f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{v:.6f}".rstrip("0").rstrip(".")


#: Rows appended to files that ingestion must reject: dataset → (what, how to make it).
#: Each copies a real row (by index) and breaks one thing, so it belongs to no case.
BAD_ROWS: dict[str, tuple[str, int, dict]] = {
    "sewage_facilities": ("重复设施编号(与第2行相同)，应按键重复拒收", 0, {}),
    "power_daily": ("日期为2024-02-30(不存在)，必填日期无法解析", 0, {"date": "2024-02-30"}),
    "sludge_manifests": ("转移量为负数(-3.5)", 0, {"manifest_no": "XALD2024X0001", "weight_t": -3.5}),
    "criminal_cases": ("罪名(必填)为空", 0, {"case_no": "XAXS2024X0001", "charge": None}),
    "business_registry": ("统一社会信用代码(必填)为空", 0, {"credit_code": None, "name": "雄县无名商贸部"}),
    "grid_events": (
        "上报时间(必填)为空",
        0,
        {"event_id": "WG2024X00001", "reported_at": None, "category": "环境卫生", "subject_name": None},
    ),
}
