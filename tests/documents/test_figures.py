"""The filters fact templates write with: Chinese dates, periods, figures, multiples and names."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiancha.documents import figures
from jiancha.documents.figures import MISSING_TEXT, Missing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", "2024年3月5日"),
        ("2024/3/5", "2024年3月5日"),
        (date(2024, 10, 8), "2024年10月8日"),
        ("2024-03-03T21:48:00", "2024年3月3日"),
    ],
)
def test_dates_in_chinese(value, expected):
    assert figures.cn_date(value) == expected


def test_datetime_keeps_the_time_unless_midnight():
    assert figures.cn_datetime("2024-03-03T21:48:00") == "2024年3月3日21时48分"
    assert figures.cn_datetime("2024-03-03T21:00:00") == "2024年3月3日21时"
    assert figures.cn_datetime(datetime(2024, 3, 3)) == "2024年3月3日"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-03-01", "2024-03-07", "2024年3月1日至3月7日"),
        ("2024-12-28", "2025-01-03", "2024年12月28日至2025年1月3日"),
        ("2024-03-01", "2024-03-01", "2024年3月1日"),
    ],
)
def test_date_ranges(start, end, expected):
    assert figures.date_range(start, end) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2024-03", "2024年3月"),
        ("2024-Q1", "2024年第一季度"),
        ("2024-Q4", "2024年第四季度"),
        ("2024", "2024年"),
    ],
)
def test_periods(period, expected):
    assert figures.cn_period(period) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(242.0, "242"), (0.5850, "0.585"), (4.8444, "4.844"), (21041.634, "21041.63"), (7, "7"), (True, "是")],
)
def test_numbers_without_trailing_zeros(value, expected):
    assert figures.number(value) == expected


def test_figures_take_the_contract_unit_or_the_one_given():
    assert figures.figure(242.0, "effluent_daily.cod_mgl") == "242毫克/升"
    assert figures.figure(24, "sludge_manifests.weight_t") == "24吨"
    assert figures.figure(21041.6, "立方米") == "21041.6立方米"
    with pytest.raises(ValueError, match=r"没有字段 effluent_daily\.nothing"):
        figures.unit_of("effluent_daily.nothing")


def test_money_multiple_percent():
    assert figures.money(68000.0) == "6.8万元"
    assert figures.money(9000) == "9000元"
    assert figures.multiple(242, 50) == "4.84倍"
    assert figures.multiple(1.4) == "1.4倍"
    assert figures.percent(0.85) == "85%"
    assert figures.percent(0.304) == "30.4%"


def test_labels_and_names():
    assert figures.label("rural_station", "sewage_facilities.facility_type") == "农村污水处理站"
    assert figures.label("incineration", "sludge_manifests.disposal_method") == "焚烧"
    assert figures.names(["苏辉", "董军", "苏辉", None]) == "苏辉、董军"
    assert figures.names(" 雄县信润废品收购站 ") == "雄县信润废品收购站"


@pytest.mark.parametrize("name", sorted(figures.FILTERS))
def test_every_filter_passes_a_missing_value_through(name):
    assert str(figures.FILTERS[name](None)) == MISSING_TEXT
    assert isinstance(figures.FILTERS[name](Missing()), Missing)


def test_a_missing_second_figure_is_missing_too():
    assert isinstance(figures.multiple(242, None), Missing)
    assert isinstance(figures.date_range("2024-03-01", None), Missing)
