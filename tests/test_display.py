"""How values read: nothing as —, local dates and times, labels, units, figures without float noise."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jiancha.contracts import dataset
from jiancha.display import Label, dataset_label, show, show_period, show_time
from jiancha.i18n import use_language


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        ("", "—"),
        ([], "—"),
        (True, "是"),
        (False, "否"),
        (datetime(2024, 3, 7, 14, 5, 31), "2024-03-07 14:05"),
        ("2024-03-07T14:05:00", "2024-03-07 14:05"),
        ("2024-03-07 14:05:00+08:00", "2024-03-07 14:05"),
        (date(2024, 3, 7), "2024-03-07"),
        ("2024-03-07", "2024-03-07"),
        (19200.0, "19,200"),
        (0.337, "0.337"),
        (4.840000001, "4.84"),
        (7, "7"),
        (["甲", None], "甲、—"),
    ],
)
def test_values_read_as_a_person_writes_them(value, text):
    assert show(value) == text


def test_units_and_value_labels_come_from_the_contract():
    cod = dataset_label("effluent_daily", "cod_mgl")
    assert (cod.title, cod.show(25.9)) == ("化学需氧量", "25.9毫克/升")
    assert dataset_label("admin_penalties", "fine_yuan").show(165000.0) == "165,000元"
    assert dataset_label("sewage_facilities", "facility_type").show("rural_station") == "农村污水处理站"
    assert dataset_label("sewage_facilities", "facility_type").show("unknown") == "unknown"
    with use_language("en"):
        capacity = dataset_label("sewage_facilities", "design_capacity_m3d")
        assert (capacity.title, capacity.show(500)) == ("Design capacity", "500 t/d")


def test_every_contract_field_has_an_english_title_and_titles_keep_their_header_spelling():
    cod = dataset("effluent_daily").field("cod_mgl")
    assert cod.title == "化学需氧量(mg/L)"  # what a header may say: unchanged for ingest
    from jiancha.contracts import datasets

    untitled = [f"{d.name}.{f.name}" for d in datasets().values() for f in d.fields if not f.en]
    assert untitled == []


def test_an_untitled_column_shows_words_not_an_identifier():
    assert dataset_label("effluent_daily", "made_up_column").title == "made up column"
    assert Label("x", "吨").show(None) == "—"


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [("2024-03", "2024-03", "2024-03"), ("2024-Q2", "2024年第二季度", "2024 Q2"), ("", "—", "—")],
)
def test_periods(period, zh, en):
    assert show_period(period) == zh
    with use_language("en"):
        assert show_period(period) == en


def test_times_to_the_minute():
    assert show_time("2025-06-01T09:00:00.000000") == "2025-06-01 09:00"
    assert show_time(None) == "—"


@pytest.mark.parametrize("value", [0.3372, 4.8444, 21.456, 242.0, 9999.987, 7, 0.00012])
def test_a_figure_reads_the_same_on_the_page_as_in_the_letter(value):
    from jiancha.documents import figures
    from jiancha.documents.evidence_list import field_value

    cod = dataset("effluent_daily").field("cod_mgl")
    assert show(value) == figures.number(value) == field_value(cod, value)


def test_large_figures_are_grouped_on_pages_only_and_quarters_read_alike():
    from jiancha.documents import figures
    from jiancha.documents.evidence_list import field_value

    fine = dataset("admin_penalties").field("fine_yuan")
    assert (show(21041.634), figures.number(21041.634), field_value(fine, 21041.634)) == (
        "21,041.63",
        "21041.63",
        "21041.63",
    )
    assert show(19200) == "19,200" and figures.number(19200) == "19200"
    assert show_period("2024-Q3") == figures.cn_period("2024-Q3") == "2024年第三季度"
    assert figures.number(0.00012) == "0.00012" and figures.number(0.0003372) == "0.000337"


def test_the_page_and_the_letter_name_the_subject_from_the_same_column():
    from jiancha.display import subject_name

    assert subject_name({"site_name": " ", "receiver_name": " 某回收站 ", "name": "乙"}) == "某回收站"
    assert subject_name({"name": "某化工有限公司"}) == "某化工有限公司"
    assert subject_name({"lon": 116.0}) is None
