"""``models validate``: every model checked on an empty contract-shaped lake, errors with file and line."""

from __future__ import annotations

from jiancha.law import Provision, builtin_catalogue
from jiancha.models.catalog import Catalog
from jiancha.models.validate import Verdict, validate_models

from .fixtures import IDLE_SQL, plain, variant, write_model


def verdict(models_dir, spec, sql) -> Verdict:
    write_model(models_dir, spec, sql)
    (result,) = validate_models(Catalog.load(models_dir), [spec["id"]])
    return result


def test_the_sample_model_validates(models_dir):
    assert validate_models(Catalog.load(models_dir), ["local.idle"]) == [Verdict("local.idle", True)]


def test_every_built_in_model_that_loads_validates():
    catalog = Catalog.load()
    failures = [v for v in validate_models(catalog, list(catalog.models)) if not v.ok]
    assert failures == []


def test_unknown_column_names_the_line(models_dir):
    sql = (
        "SELECT\n    facility_id AS subject_id,\n    strftime(date, '%Y-%m') AS period\n"
        "FROM sewage_facilities"
    )
    result = verdict(models_dir, plain("local.bad"), sql)
    assert not result.ok
    assert result.message.startswith(
        '模型 local.bad（bad.sql）运行出错：Binder Error: Referenced column "date" not found'
    )
    assert "LINE 3:" in result.message


def test_syntax_error_names_line_and_column(models_dir):
    result = verdict(
        models_dir, plain("local.bad"), "SELECT facility_id AS subject_id,\nFROM sewage_facilities\nWHERE ("
    )
    assert result.message.startswith("模型 local.bad（bad.sql 第 3 行第 7 列）SQL 语法错误：")


def test_unknown_table_is_named(models_dir):
    result = verdict(
        models_dir, plain("local.bad"), "SELECT 'x' AS subject_id, '2024-01' AS period\nFROM sewage_plants"
    )
    assert result.message.startswith(
        "模型 local.bad（bad.sql 第 2 行）引用了未知的表 sewage_plants；可用的表："
    )


def test_dataset_used_but_not_declared_is_an_error(models_dir):
    sql = "SELECT facility_id AS subject_id, '2024-01' AS period FROM power_daily"
    result = verdict(models_dir, plain("local.bad"), sql)
    assert result.message.startswith("模型 local.bad（bad.sql 第 1 行）引用了未知的表 power_daily")


def test_undeclared_placeholder_is_an_error(models_dir):
    sql = (
        "SELECT facility_id AS subject_id, '2024-01' AS period\n"
        "FROM sewage_facilities\nWHERE x > {{ max_days }}"
    )
    result = verdict(models_dir, plain("local.bad"), sql)
    assert result.message.startswith("模型 local.bad（bad.sql 第 3 行）引用了未声明的参数 {{ max_days }}")


def test_workspace_config_values_are_validated(models_dir):
    write_model(models_dir, variant("local.idle"), "SELECT 1")
    (result,) = validate_models(
        Catalog.load(models_dir), ["local.idle"], {"local.idle": {"min_days": "many"}}
    )
    assert result.message.startswith(
        "模型 local.idle 的参数 min_days（来自 jiancha.toml）：应为整数，现为 'many'"
    )


def test_missing_output_columns_are_reported_without_data(models_dir):
    result = verdict(models_dir, plain("local.bad"), "SELECT facility_id FROM sewage_facilities")
    assert result.message == (
        "模型 local.bad 的查询（bad.sql）没有返回 subject_id、period 列；每行线索须有 subject_id 和 period。"
    )


def test_severity_condition_on_a_missing_column(models_dir):
    spec = variant("local.bad", severity={"high": "idle_days > 3", "low": "true"})
    result = verdict(
        models_dir, spec, "SELECT facility_id AS subject_id, '2024-01' AS period FROM sewage_facilities"
    )
    assert 'Referenced column "idle_days" not found' in result.message


def test_files_that_do_not_load_are_reported_under_their_name(models_dir):
    write_model(models_dir, variant("local.broken", period="week"), "SELECT 1")
    verdicts = {v.model_id: v for v in validate_models(Catalog.load(models_dir))}
    assert verdicts["local.idle"].ok
    assert not verdicts["broken"].ok
    assert "broken.yaml:10 period：取值 'week' 不在允许的范围内" in verdicts["broken"].message


def test_sql_that_would_differ_on_spark_is_a_warning(models_dir):
    sql = (
        "SELECT facility_id AS subject_id, strftime(date, '%Y-%m') AS period, dayofweek(date) AS weekday\n"
        "FROM effluent_daily"
    )
    result = verdict(models_dir, plain("local.weekday"), sql)
    assert result.ok
    assert result.warnings == (
        "dayofweek()/dow 在 DuckDB 与 Spark 上编号不同（周日为 0 或 1），换到 Spark 会整体错一天；"
        "请改用 isodow() 或 extract(isodow FROM …)。",
    )
    assert validate_models(Catalog.load(models_dir), ["local.idle"])[0].warnings == ()


def test_a_fact_template_reading_a_column_the_query_lacks_is_refused(models_dir):
    spec = plain("local.facts", facts={"zh": "经查，{{ subject }}有{{ zero_dayz }}日零水量。"})
    result = verdict(models_dir, spec, (models_dir / "local" / "idle.sql").read_text("utf-8"))
    assert not result.ok
    assert result.message.startswith(
        "模型 local.facts（facts.yaml）facts.zh：模板用到查询没有返回的列 zero_dayz"
    )


def test_a_fact_template_that_does_not_parse_is_refused(models_dir):
    spec = plain("local.facts", facts={"zh": "经查，{% if zero_days %}有零水量。"})
    result = verdict(models_dir, spec, (models_dir / "local" / "idle.sql").read_text("utf-8"))
    assert not result.ok
    assert "facts.zh：模板第1行有语法错误" in result.message


def test_a_legal_basis_key_not_in_the_catalogue_is_rejected_naming_the_file_and_the_key(models_dir):
    path = write_model(models_dir, plain("local.cites", legal_basis=["local.drainage.art5"]), IDLE_SQL)
    (result,) = validate_models(Catalog.load(models_dir), ["local.cites"])
    assert not result.ok
    assert result.message.startswith(
        f"模型文件 {path} 的法律依据引用了 local.drainage.art5，法律依据目录中没有这一条文；"
    )


def test_a_key_the_workspace_added_is_accepted_when_its_catalogue_is_given(models_dir):
    write_model(models_dir, plain("local.cites", legal_basis=["local.drainage.art5"]), IDLE_SQL)
    added = Provision(
        "local.drainage.art5", "某市城镇排水管理办法", "", None, "第五条", "", "", "", "排水许可", "", False
    )
    law = builtin_catalogue().with_additions([added])
    verdicts = validate_models(Catalog.load(models_dir), ["local.cites"], law=law)
    assert verdicts == [Verdict("local.cites", True)]


def test_reasons_chosen_by_a_column_the_query_lacks_and_a_case_template_are_checked(models_dir):
    reasons = {
        "duty": {"zh": "{{ subject }}负有职责。"},
        "by": "ground_kindz",
        "cases": {"detention": {"breach": {"zh": "{{ zero_dayz }}日未移送。"}}},
    }
    spec = plain("local.facts", reasons=reasons)
    result = verdict(models_dir, spec, (models_dir / "local" / "idle.sql").read_text("utf-8"))
    assert not result.ok
    assert "reasons.cases.detention.breach.zh：模板用到查询没有返回的列 zero_dayz" in result.message
    assert "reasons.by：按列 ground_kindz 选择理由，但查询没有返回该列" in result.message


def test_a_figure_or_label_naming_a_field_the_contract_lacks_is_refused(models_dir):
    facts = {
        "zh": '经查，{{ subject }}零水量{{ zero_days | figure("sewage_facilities.capacity") }}，'
        '类型为{{ "rural_station" | label(reference="sewage_facility.facility_type") }}，'
        '另有{{ zero_days | figure("日") }}、{{ "rural_station" | label("类型") }}。'
    }
    spec = plain("local.facts", facts=facts)
    result = verdict(models_dir, spec, (models_dir / "local" / "idle.sql").read_text("utf-8"))
    assert not result.ok
    assert result.message.startswith("模型 local.facts（facts.yaml）facts.zh：")
    assert (
        'figure("sewage_facilities.capacity") 的字段 sewage_facilities.capacity 不在数据契约中'
        in result.message
    )
    assert 'label("sewage_facility.facility_type") 的字段 sewage_facility.facility_type' in result.message
    assert 'label("类型") 应写明字段' in result.message and 'figure("日")' not in result.message


def test_a_figure_and_label_naming_contract_fields_validate(models_dir):
    facts = {
        "zh": '经查，{{ subject }}设计规模{{ 500 | figure("sewage_facilities.design_capacity_m3d") }}，'
        '类型为{{ "rural_station" | label("sewage_facilities.facility_type") }}。'
    }
    spec = plain("local.facts", facts=facts)
    assert verdict(models_dir, spec, (models_dir / "local" / "idle.sql").read_text("utf-8")).ok
