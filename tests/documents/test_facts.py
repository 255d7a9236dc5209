"""Fact templates: filled from a clue's details and evidence, never crashing on missing data."""

from __future__ import annotations

from clue_records import detail

from jiancha.clues.views import EvidenceView
from jiancha.documents.facts import CONTEXT_NAMES, FactContext, state_facts, template_problems, write
from jiancha.documents.figures import MISSING_TEXT
from jiancha.models.catalog import Catalog

EFFLUENT = {
    "facility_name": "圈头村污水处理站3号",
    "operator_name": "安新县嘉远环境工程有限公司",
    "discharge_standard": "GB18918-2002 一级A",
    "exceed_days": 7,
    "first_exceed_date": "2024-03-01",
    "last_exceed_date": "2024-03-07",
    "cod_exceed_days": 7,
    "nh3n_exceed_days": 0,
    "tp_exceed_days": 0,
    "tn_exceed_days": 0,
    "penalty_window_days": 90,
    "max_cod_mgl": 242.0,
    "cod_limit": 50,
    "max_exceed_ratio": 4.84,
}


def effluent_spec():
    return Catalog.load().models["water.effluent_exceedance_unenforced"].spec


def test_the_effluent_template_writes_as_a_prosecutor_does():
    context, written = state_facts(detail("water.effluent_exceedance_unenforced", EFFLUENT), effluent_spec())
    text = "".join(written.paragraphs)
    assert context.values["subject"] == "圈头村污水处理站3号"
    assert "2024年3月1日至3月7日" in text
    assert "出水化学需氧量日均值最高242毫克/升，为排放标准（50毫克/升）的4.84倍，共7日" in text
    assert "起90日内，没有任何行政机关对安新县嘉远环境工程有限公司" in text
    assert "AX-RS-021" not in text
    assert written.warnings == ()


def test_a_missing_field_is_written_as_not_provided_and_warned():
    details = {**EFFLUENT, "operator_name": None}
    del details["penalty_window_days"]
    _, written = state_facts(detail("water.effluent_exceedance_unenforced", details), effluent_spec())
    text = "".join(written.paragraphs)
    assert f"由{MISSING_TEXT}运营" in text
    assert f"起{MISSING_TEXT}日内" in text
    assert "None" not in text
    assert len(written.warnings) == 2
    assert written.warnings[0].startswith("查明的事实第1段有1处数据未提供")
    assert "operator_name" not in " ".join(written.warnings)


def test_an_empty_clue_still_gives_sentences():
    _, written = state_facts(detail("water.effluent_exceedance_unenforced", {}), effluent_spec())
    assert written.paragraphs and all("None" not in p for p in written.paragraphs)
    assert written.warnings


def test_a_template_that_fails_falls_back_to_the_plain_default_with_a_warning():
    context = FactContext.of(detail("local.x", {"facility_name": "一号站"}), "设施零水量", None, ())
    written = write('{{ facility_name | figure("no_such.field") }}', context, "查明的事实")
    assert written.paragraphs == ("经查，一号站在2024年3月存在“设施零水量”的情形。",)
    assert "模板无法套用" in written.warnings[0]


def test_the_plain_default_names_contract_figures_with_titles_and_units():
    clue = detail(
        "local.x", {"facility_name": "一号站", "flow_m3": 0.0, "date": "2024-03-05", "zero_days": 4}
    )
    context = FactContext.of(clue, "设施零水量", None, ("effluent_daily",))
    written = write(None, context, "查明的事实")
    assert written.paragraphs == (
        "经查，一号站在2024年3月存在“设施零水量”的情形：日处理水量0吨，监测日期2024年3月5日。",
    )


def test_evidence_rows_are_read_by_dataset_and_iso_dates_never_printed():
    row = EvidenceView(
        "sewage_facilities",
        "sewage_facilities.csv",
        2,
        {"name": "一号站", "commissioned_date": "2020-03-11"},
        False,
    )
    context = FactContext.of(detail("local.x", {}, (row,)), "t", None, ())
    written = write(
        "{% set f = evidence.sewage_facilities | first %}{{ f.name }}于{{ f.commissioned_date }}投运",
        context,
        "事实",
    )
    assert written.paragraphs == ("一号站于2020年3月11日投运",)
    assert context.values["subject"] == "一号站"


def test_template_problems_name_unknown_columns_datasets_and_syntax():
    assert template_problems("{{ zero_days }}{{ subject }}", ["zero_days"], ["effluent_daily"]) == []
    assert template_problems("{{ details.anything }}", [], []) == []
    (unknown,) = template_problems("{{ zero_dayz }}", ["zero_days"], [])
    assert unknown.startswith("模板用到查询没有返回的列 zero_dayz")
    (outside,) = template_problems("{{ evidence.power_daily }}", [], ["effluent_daily"])
    assert "power_daily" in outside
    (field,) = template_problems(
        "{% set f = evidence.sewage_facilities | first %}{{ f.nmae }}{{ f.name }}"
        "{% for d in evidence.effluent_daily %}{{ d.cod }}{% endfor %}"
        "{{ (evidence.power_daily | first).kwh }}",
        [],
        ["sewage_facilities", "effluent_daily", "power_daily"],
    )
    assert field == "模板读取的证据字段 effluent_daily.cod、sewage_facilities.nmae 不在数据契约中"
    (syntax,) = template_problems("第一行\n{% if x %}", ["x"], [])
    assert syntax.startswith("模板第2行有语法错误")
    assert {"subject", "period", "agency", "evidence"} <= CONTEXT_NAMES
