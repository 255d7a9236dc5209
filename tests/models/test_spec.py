"""The YAML spec is strict: every mistake names the file, the line and the YAML path."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiancha.errors import ModelError
from jiancha.models.catalog import Catalog, load_model
from jiancha.models.spec import load_spec

from .fixtures import IDLE_SQL, variant, write_model


def spec_error(root: Path, **changes) -> str:
    path = write_model(root, variant("local.idle", **changes), IDLE_SQL)
    with pytest.raises(ModelError) as caught:
        load_spec(path)
    return str(caught.value)


def test_a_valid_spec_loads_with_its_citation(models_dir):
    spec = load_spec(models_dir / "local" / "idle.yaml")
    assert spec.parameters["min_days"].default == 3
    assert [p.citation for p in spec.provisions()] == [
        "《城镇排水与污水处理条例》第五十二条第二款",
        "《中华人民共和国水污染防治法》第八十三条第（二）项",
    ]
    assert list(spec.severity) == ["high", "low"]


def test_misspelt_key_is_named_with_its_line(tmp_path):
    message = spec_error(tmp_path, paramters={})
    assert message == (
        f"模型文件 {tmp_path}/local/idle.yaml 有 1 处错误：\n"
        "  idle.yaml:28 paramters：不认识的键（是否拼错了？请对照 ARCHITECTURE.md 的模型格式）"
    )


def test_every_bad_enum_is_reported_at_once(tmp_path):
    message = spec_error(tmp_path, business_line="police", period="week")
    assert message.splitlines()[1:] == [
        "  idle.yaml:8 business_line：取值 'police' 不在允许的范围内，"
        "应为 'criminal', 'civil', 'administrative' or 'public_interest'",
        "  idle.yaml:10 period：取值 'week' 不在允许的范围内，应为 'month', 'quarter' or 'none'",
    ]


def test_unknown_dataset_lists_the_contract(tmp_path):
    message = spec_error(tmp_path, datasets=["sewage_facilities", "effluent"])
    assert message.splitlines()[1].startswith(
        "  idle.yaml:11 datasets：契约中没有数据集 effluent（已知：sewage_facilities、"
    )


def test_parameter_type_and_default_are_checked(tmp_path):
    bad_type = spec_error(tmp_path, parameters={"n": {"type": "int", "default": 3, "title": {"zh": "n"}}})
    assert bad_type.splitlines()[1] == (
        "  idle.yaml:16 parameters.n.type：取值 'int' 不在允许的范围内，"
        "应为 'integer', 'number', 'string', 'date' or 'boolean'"
    )
    bad_default = spec_error(
        tmp_path, parameters={"n": {"type": "integer", "default": "three", "title": {"zh": "n"}}}
    )
    assert bad_default.splitlines()[1].startswith("  idle.yaml:15 parameters.n：应为整数，现为 'three'")


def test_as_of_is_reserved(tmp_path):
    message = spec_error(
        tmp_path, parameters={"as_of": {"type": "date", "default": "2024-01-01", "title": {"zh": "x"}}}
    )
    assert message.splitlines()[1] == (
        "  idle.yaml:14 parameters：参数名 'as_of' 不可用：须为标识符，且不能是 as_of（运行日期由系统提供）"
    )


def test_missing_nested_field_and_unknown_severity_level(tmp_path):
    assert spec_error(tmp_path, legal_basis=[]).splitlines()[1] == "  idle.yaml:22 legal_basis：不能为空"
    assert spec_error(tmp_path, legal_basis=["城镇排水与污水处理条例 第五十二条"]).splitlines()[1] == (
        "  idle.yaml:22 legal_basis："
        "法律依据应写条文编号（如 water_pollution_law.art50.p2，见 jiancha law list），"
        "现为 '城镇排水与污水处理条例 第五十二条'"
    )
    assert spec_error(tmp_path, severity={"urgent": "true"}).splitlines()[1] == (
        "  idle.yaml:26 severity.urgent：取值 'urgent' 不在允许的范围内，应为 'high', 'medium' or 'low'"
    )


def test_unknown_derived_table(tmp_path):
    assert spec_error(tmp_path, derived=["party_graph"]).splitlines()[1] == (
        "  idle.yaml:28 derived：没有派生表 party_graph（可用：penalty_facts、entity_lookup）"
    )


def test_id_must_match_the_file_name(tmp_path):
    path = write_model(tmp_path, variant("local.idle"), IDLE_SQL)
    renamed = path.with_name("zero_flow.yaml")
    path.rename(renamed)
    with pytest.raises(ModelError) as caught:
        load_spec(renamed)
    assert str(caught.value) == (
        f"模型文件 {renamed}：id local.idle 的最后一段应与文件名 zero_flow 相同"
        "（应改为 …zero_flow 或把文件改名为 idle.yaml）。"
    )


def test_yaml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", "utf-8")
    with pytest.raises(ModelError, match=rf"^模型文件 {path} 不是有效的 YAML"):
        load_spec(path)


def test_sql_file_is_required_unless_ibis(tmp_path):
    path = write_model(tmp_path, variant("local.idle"))
    with pytest.raises(ModelError, match=r"缺少查询文件 .*idle.sql"):
        load_model(path)
    both = write_model(tmp_path, variant("local.idle", ibis="mypkg.models:idle"), IDLE_SQL)
    with pytest.raises(ModelError, match=r"既有 SQL 文件 idle.sql 又在 YAML 中写了 ibis"):
        load_model(both)


def test_catalog_keeps_broken_files_apart_and_rejects_duplicate_ids(models_dir):
    write_model(models_dir, variant("local.broken", period="week"), IDLE_SQL)
    catalog = Catalog.load(models_dir)
    assert "local.idle" in catalog.models and "water.facility_idle" in catalog.models
    assert [p.name for p in catalog.problems if p.is_relative_to(models_dir)] == ["broken.yaml"]
    assert catalog.references["ref_discharge_standards"].name == "discharge_standards.csv"
    with pytest.raises(ModelError, match=r"没有编号为 local.broken 的模型（文件 .*broken.yaml 未能加载"):
        catalog.select(["local.broken"])
    write_model(models_dir / "copy", variant("local.idle"), IDLE_SQL)
    with pytest.raises(ModelError, match=r"^模型编号 local.idle 重复："):
        Catalog.load(models_dir)
