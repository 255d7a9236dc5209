"""The reasons: duty → breach → failure → harm, each quoting its provisions from the catalogue."""

from __future__ import annotations

from datetime import date

from clue_records import detail

from jiancha.clues.views import EvidenceView
from jiancha.documents import content
from jiancha.documents.facts import state_facts
from jiancha.documents.reasons import argue, quote
from jiancha.documents.suggestion import build_draft
from jiancha.law import builtin_catalogue
from jiancha.models.catalog import Catalog
from jiancha.models.spec import ModelSpec

LAW = builtin_catalogue()
FACTS = "经查，你单位自2024年1月起销售假冒“远东”牌电线电缆，截至案发销售金额共计6.8万元。"
PENALTY = {
    "party_name": "安新县福祥科技有限公司",
    "decision_date": "2024-03-08",
    "case_cause": "产品质量",
    "fine_yuan": 10000.0,
    "criminal_thresholds": "销售伪劣产品金额68000.0元",
    "hit_sales": True,
    "fake_goods_sales_yuan": 68000.0,
    "transfer_window_days": 90,
}


def _spec(model_id: str) -> ModelSpec:
    return Catalog.load().models[model_id].spec


def _penalty(**details) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    clue = detail(
        "linkage.penalty_not_transferred",
        {**PENALTY, **details},
        (EvidenceView("admin_penalties", "admin_penalties.xlsx", 19, {"facts": FACTS}, False),),
        subject_type="penalty",
        subject_id="雄安市监罚〔2024〕18号",
        period="",
        target_agency="雄安新区市场监督管理局",
    )
    spec = _spec("linkage.penalty_not_transferred")
    kind = content.default_kind(spec.business_line, spec.id)
    draft = build_draft(clue, spec, kind, "（草稿）", date(2024, 10, 8), urgent=False, law=LAW)
    return draft.facts, draft.reasons, draft.warnings


def test_the_penalty_letter_states_its_ground_when_the_reader_gave_one():
    ground = LAW.get("environmental_protection_law.art63.i3")
    facts, reasons, warnings = _penalty(
        reading_zh="决定书载明“销售金额共计6.8万元”，即68000元，达到五万元的追诉标准。",
        ground_zh="应当移送公安机关追究刑事责任。",
        ground_basis=[ground.key],
    )
    assert "决定书载明“销售金额共计6.8万元”" in "".join(facts)
    assert "应当移送公安机关追究刑事责任。" in "".join(facts)
    assert "上述事实中" not in "".join(facts)
    assert ground.citation in reasons[0] and ground.text[:20] in reasons[0]
    assert warnings == ()


def test_without_the_readers_columns_it_reads_well_from_the_figures():
    facts, reasons, warnings = _penalty()
    assert "上述事实中，销售伪劣产品金额6.8万元，已达到刑事追诉标准。" in facts
    assert reasons[0].startswith("《行政执法机关移送涉嫌犯罪案件的规定》第三条第一款规定：“")
    assert "不得以行政处罚代替移送" in reasons[1]
    assert reasons[-1] == "据此，本院依法向你单位提出纠正违法检察建议。"
    assert warnings == ()


def test_a_ground_the_catalogue_lacks_is_left_out_with_a_warning():
    _, reasons, warnings = _penalty(ground_basis=["no_such_law.art1"])
    assert "no_such_law" not in "".join(reasons)
    assert len(warnings) == 1 and "no_such_law.art1" in warnings[0]


def test_the_steps_run_duty_breach_failure_harm_then_the_kinds_basis():
    spec = _spec("water.facility_idle")
    clue = detail("water.facility_idle", {"facility_name": "端村镇污水处理站", "idle_days": 29})
    context, _ = state_facts(clue, spec)
    argued = argue(context, spec, content.kind("public_interest"), LAW)
    duty, breach, failure, harm, closing = argued.paragraphs
    assert duty.startswith("《中华人民共和国水污染防治法》第五十条第三款规定：“")
    assert "《城镇排水与污水处理条例》第三十一条第一款规定：“" in breach
    assert "未发现并纠正" in failure
    assert "社会公共利益受到侵害" in harm
    article = LAW.get("admin_litigation_law.art25.p4")
    assert closing == f"{quote(article)}据此，本院依法向你单位提出公益诉讼检察建议。"
    assert article.text in closing
    assert [p.key for p in argued.provisions][-1] == article.key


def test_a_model_without_reasons_quotes_its_legal_bases_and_uses_the_plain_steps():
    spec = _spec("water.facility_idle").model_copy(update={"reasons": None})
    clue = detail("water.facility_idle", {"facility_name": "端村镇污水处理站"})
    context, _ = state_facts(clue, spec)
    argued = argue(context, spec, content.kind("public_interest"), LAW)
    assert all(LAW.get(key).citation in argued.paragraphs[0] for key in spec.legal_basis)
    assert argued.paragraphs[0].endswith("安新县住房和城乡建设局对端村镇污水处理站负有法定监督管理职责。")
    assert argued.paragraphs[3] == content.kind("public_interest").harm


def test_a_provision_without_text_is_cited_with_its_summary():
    provision = LAW.get("suggestion_rules.art11")
    assert provision.text == ""
    assert quote(provision) == f"依照{provision.citation}，{provision.summary}。"
    item = LAW.get("water_pollution_law.art83.i3")
    assert quote(item).endswith("的。”")


def test_left_out_keys_are_not_quoted():
    spec = _spec("crime.unlicensed_scrap_dealer")
    clue = detail(
        "crime.unlicensed_scrap_dealer", {"dealer_name": "安新县永益废品收购站"}, subject_type="dealer"
    )
    context, _ = state_facts(clue, spec)
    kind = content.kind("social_governance")
    unverified = LAW.get("recycling_measures.art7")
    assert unverified.key in [p.key for p in argue(context, spec, kind, LAW).provisions]
    argued = argue(context, spec, kind, LAW, leave_out=frozenset({unverified.key}))
    assert unverified.key not in [p.key for p in argued.provisions]
    assert unverified.citation not in "".join(argued.paragraphs)
