"""Every spelling the contract allows, per type, through the coercion SQL; and what is refused."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from jiancha.contracts import dataset
from jiancha.ingest.coerce import install_macros, parse_text, sql_str


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    install_macros(connection)
    return connection


def coerce(con: duckdb.DuckDBPyConnection, ds: str, field: str, text: str) -> object:
    expr = parse_text(sql_str(text), dataset(ds).field(field))
    return con.execute(f"SELECT {expr}").fetchone()[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", 12.5),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("-3", -3.0),
        ("1e3", 1000.0),
        ("1,23", None),
        ("12,34.5", None),
        ("nan", None),
        ("inf", None),
        ("十二", None),
        ("12吨", None),
    ],
)
def test_number_spellings(con, text, expected):
    assert coerce(con, "effluent_daily", "flow_m3", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("264", 264), ("1,234", 1234), ("12.0", 12), ("12.5", None), ("abc", None)],
)
def test_integer_spellings(con, text, expected):
    assert coerce(con, "criminal_cases", "charge_article", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("2024-03-05 00:00:00", date(2024, 3, 5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2024-02-30", None),
        ("2023-02-29", None),
        ("2024-13-01", None),
        ("05/03/2024", None),
        ("20240305", None),
        ("infinity", None),
        ("epoch", None),
    ],
)
def test_date_spellings(con, text, expected):
    assert coerce(con, "effluent_daily", "date", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05 14:30:00", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T14:30:00", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05 14:30", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T14:30", datetime(2024, 3, 5, 14, 30)),
        ("2024/3/5 14:30:00", datetime(2024, 3, 5, 14, 30)),
        ("2024/3/5 14:30", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05 14:30:00.250", datetime(2024, 3, 5, 14, 30, 0, 250000)),
        ("2024-03-05T06:30:00Z", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T14:30:00+08:00", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05 06:30+0000", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T01:30:00-05:00", datetime(2024, 3, 5, 14, 30)),
        ("2024-03-05T20:00:00+09:30", datetime(2024, 3, 5, 18, 30)),
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024-02-30 10:00:00", None),
        ("2024-03-05 25:00:00", None),
        ("昨天下午", None),
        ("infinity", None),
        ("-infinity", None),
        ("epoch", None),
    ],
)
def test_datetime_spellings(con, text, expected):
    assert coerce(con, "criminal_cases", "occurred_at", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("是", True),
        ("Y", True),
        ("y", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("否", False),
        ("N", False),
        ("有", None),
        ("2", None),
    ],
)
def test_boolean_spellings(con, text, expected):
    assert coerce(con, "sludge_storage_inspections", "has_roof", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("town_plant", "town_plant"),
        ("城镇污水处理厂", "town_plant"),
        ("rural_station", "rural_station"),
        ("农村污水处理站", "rural_station"),
        ("industrial", "industrial"),
        ("工业污水处理设施", "industrial"),
        ("污水站", None),
        ("Town_Plant", None),
    ],
)
def test_enum_by_code_or_label(con, text, expected):
    assert coerce(con, "sewage_facilities", "facility_type", text) == expected


def test_enum_whose_codes_are_chinese(con):
    assert coerce(con, "weather_daily", "county", "容城县") == "容城县"
    assert coerce(con, "weather_daily", "county", "容城") is None
    assert coerce(con, "effluent_daily", "data_flag", "停运") == "F"
    assert coerce(con, "effluent_daily", "data_flag", "F") == "F"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", "2024-03"),
        ("2024-3", "2024-03"),
        ("2024/03", "2024-03"),
        ("2024年3月", "2024-03"),
        ("2024-03-01", "2024-03"),
        ("2024-13", None),
        ("三月", None),
        ("epoch", None),
    ],
)
def test_month_spellings(con, text, expected):
    assert coerce(con, "sludge_production", "month", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张三;李四", ["张三", "李四"]),
        ("张三；李四", ["张三", "李四"]),
        ("张三、李四", ["张三", "李四"]),
        ("张三,李四", ["张三", "李四"]),
        (" 张三 ; ;雄县某某回收站 ", ["张三", "雄县某某回收站"]),
        (";", None),
    ],
)
def test_list_separators(con, text, expected):
    assert coerce(con, "criminal_cases", "suspect_names", text) == expected


def test_list_of_enum_codes_or_labels(con):
    assert coerce(con, "disposal_permits", "methods", "焚烧；landfill、土地利用") == [
        "incineration",
        "landfill",
        "land_use",
    ]
    assert coerce(con, "disposal_permits", "methods", "焚烧;随便倒") is None


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!"])
def test_excel_error_text_is_never_a_value(con, error):
    assert coerce(con, "sewage_facilities", "name", error) is None
    assert coerce(con, "criminal_cases", "suspect_names", error) is None
    assert coerce(con, "effluent_daily", "flow_m3", error) is None
