"""The built-in legal-basis catalogue: it loads, each provision once, and every model's keys resolve."""

from __future__ import annotations

from datetime import date

import pytest

from jiancha import library
from jiancha.errors import JianchaError
from jiancha.law import LawCatalogue, Provision, UnknownProvision, builtin_catalogue
from jiancha.law.catalogue import load_catalogue
from jiancha.models.catalog import Catalog

ART_25_4 = (
    "人民检察院在履行职责中发现生态环境和资源保护、食品药品安全、国有财产保护、国有土地使用权出让等领域"
    "负有监督管理职责的行政机关违法行使职权或者不作为，致使国家利益或者社会公共利益受到侵害的，"
    "应当向行政机关提出检察建议，督促其依法履行职责。行政机关不依法履行职责的，人民检察院依法向人民法院提起诉讼。"
)
#: The items the checked texts could not confirm; everything else the catalogue holds was checked.
UNVERIFIED = {
    "procuratorate_linkage_rules.whole",
    "hebei_theft_amount.amount",
    "recycling_measures.art7",
    "daqing_river_standard.limits",
}


def provision(key: str, **changes) -> Provision:
    fields = dict(
        key=key,
        law="某市城镇排水管理办法",
        version="2020年",
        in_force=date(2020, 1, 1),
        article="第五条",
        paragraph="",
        item="",
        text="",
        summary="排水许可",
        source="市政府公报",
        verified=False,
    )
    return Provision(**{**fields, **changes})


def cited_by_models() -> dict[str, list[str]]:
    return {model.id: model.spec.legal_basis for model in Catalog.load().models.values()}


def test_article_25_paragraph_4_is_held_whole_and_verified():
    p = builtin_catalogue().get("admin_litigation_law.art25.p4")
    assert p.text == ART_25_4
    assert p.citation == "《中华人民共和国行政诉讼法》第二十五条第四款"
    assert (p.version, p.in_force, p.verified) == ("2017年修正", date(2017, 7, 1), True)


def test_every_provision_has_a_title_an_article_or_is_flagged_and_a_source():
    for p in builtin_catalogue():
        assert p.law and p.summary and p.source, p.key
        assert p.article or not p.verified, f"{p.key}: a provision without an article must be unverified"
        assert "待核对" not in p.text + p.summary and "凭记忆" not in p.summary, p.key
        assert p.wording == (p.text or p.summary)


def test_only_the_items_that_could_not_be_checked_are_unverified():
    assert {p.key for p in builtin_catalogue() if not p.verified} == UNVERIFIED


def test_every_key_a_built_in_model_cites_resolves():
    catalogue = builtin_catalogue()
    for model_id, keys in cited_by_models().items():
        missing = [key for key in keys if key not in catalogue]
        assert missing == [], model_id


def test_citations_follow_the_checked_texts():
    cited = cited_by_models()
    dumping = {"water.manifest_route_mismatch", "water.sludge_storage_noncompliant"}
    for model_id in dumping:
        assert "solid_waste_law.art72.p1" in cited[model_id]
        assert "urban_drainage_regulation.art53.p2" in cited[model_id]
    # Water pollution law art. 51 speaks of 去向 records only: cited where the clue is about them.
    citing_51 = [m for m, keys in cited.items() if "water_pollution_law.art51" in keys]
    assert citing_51 == ["water.sludge_unaccounted"]
    # The 2021 linkage rules' articles were not found: no model cites them; the criminal procedure rules do.
    assert not [m for m, keys in cited.items() if "procuratorate_linkage_rules.whole" in keys]
    assert "procuratorate_criminal_rules.art557.p3" in cited["linkage.penalty_not_transferred"]
    assert "procuratorate_criminal_rules.art563" in cited["linkage.transfer_not_filed"]
    # Drainage regulation articles with fines are cited by their paragraph.
    for keys in cited.values():
        assert not {"urban_drainage_regulation.art52", "urban_drainage_regulation.art53"} & set(keys)
    for model_id, keys in cited.items():
        if model_id.startswith("water.") and model_id != "water.monitoring_data_anomaly":
            assert keys[-1] == "admin_litigation_law.art25.p4", model_id


def test_the_model_files_carry_no_unchecked_citation_notes():
    for path in library.ROOT.rglob("*.yaml"):
        text = path.read_text("utf-8")
        assert "待核对" not in text and "凭记忆" not in text, path


def test_a_key_twice_is_refused():
    with pytest.raises(JianchaError, match=r"条文编号 local\.a\.b 重复"):
        LawCatalogue([provision("local.a.b"), provision("local.a.b")])


def test_a_catalogue_file_listing_a_provision_twice_is_refused(tmp_path):
    entry = "      - {key: art1, article: 第一条, text: '', summary: 要点}\n"
    path = tmp_path / "provisions.yaml"
    path.write_text(
        "laws:\n  - id: local_rules\n    law: 某办法\n    version: ''\n    in_force: null\n"
        "    source: 公报\n    provisions:\n" + entry + entry,
        "utf-8",
    )
    with pytest.raises(JianchaError, match=r"local_rules\.art1 重复"):
        load_catalogue(path)


def test_an_unknown_key_is_a_sentence_naming_it():
    with pytest.raises(UnknownProvision) as caught:
        builtin_catalogue().get("water_pollution_law.art999")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, JianchaError)
    assert str(caught.value).startswith("法律依据目录中没有编号为 water_pollution_law.art999 的条文")


def test_additions_join_after_the_built_in_provisions_but_never_replace_one():
    merged = builtin_catalogue().with_additions([provision("local.drainage.art5")])
    assert "local.drainage.art5" in merged and not merged.is_builtin("local.drainage.art5")
    assert list(merged)[-1].citation == "《某市城镇排水管理办法》第五条"
    assert len(merged) == len(builtin_catalogue()) + 1
    with pytest.raises(JianchaError, match="内置条文不能被替换"):
        builtin_catalogue().with_additions([provision("admin_litigation_law.art25.p4")])
