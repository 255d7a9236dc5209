"""The runner: as-of date, skips, isolation of failures, severity, evidence and the run record."""

from __future__ import annotations

import re
import sys
from datetime import date

import pyarrow as pa
import pytest

from jiancha.errors import ModelError
from jiancha.findings import EvidenceRow, Location
from jiancha.law import Provision, builtin_catalogue
from jiancha.models import engine as engine_module
from jiancha.models.catalog import Catalog
from jiancha.models.derived import DERIVED_TABLES, DerivedTable
from jiancha.models.engine import DuckDBEngine
from jiancha.models.runner import RunSettings, run_models
from jiancha.models.testing import CollectingSink, GoldenLake

from .fixtures import FACILITIES, IDLE_SQL, march_days, plain, variant, write_model


def test_finding_carries_subject_severity_evidence_and_location(lake):
    (finding,) = lake.run("local.idle", as_of="2024-06-30")
    assert (finding.model_id, finding.subject_type, finding.subject_id, finding.period) == (
        "local.idle",
        "facility",
        "F1",
        "2024-03",
    )
    assert finding.severity == "low"  # 4 zero days < min_days + 2 = 5
    assert finding.target_agency == "雄县住建局"
    assert (
        finding.legal_basis
        == "《城镇排水与污水处理条例》第五十二条第二款；《中华人民共和国水污染防治法》第八十三条第（二）项"
    )
    assert finding.related_ids == ("F1@2024-03-01", "F1@2024-03-02", "F1@2024-03-03", "F1@2024-03-04")
    assert finding.location == Location(lon=116.1, lat=39.0, county="雄县")
    assert finding.details == {"zero_days": 4, "last_day": "2024-03-04"}
    assert [(e.dataset, e.file, e.row) for e in finding.evidence] == [
        ("sewage_facilities", "sewage_facilities.csv", 2),
        ("effluent_daily", "effluent_daily.csv", 2),
        ("effluent_daily", "effluent_daily.csv", 3),
        ("effluent_daily", "effluent_daily.csv", 4),
        ("effluent_daily", "effluent_daily.csv", 5),
    ]
    assert finding.evidence[1] == EvidenceRow(
        "effluent_daily",
        "effluent_daily.csv",
        2,
        {
            "facility_id": "F1",
            "date": "2024-03-01",
            "flow_m3": 0.0,
            "cod_mgl": None,
            "nh3n_mgl": None,
            "tp_mgl": None,
            "tn_mgl": None,
            "data_flag": None,
        },
    )


def test_severity_first_condition_that_holds_wins(lake):
    lake.add(
        "effluent_daily",
        [{"facility_id": "F2", "date": date(2024, 4, d), "flow_m3": None} for d in range(1, 7)],
    )
    found = {f.subject_id: f.severity for f in lake.run("local.idle", as_of="2024-06-30")}
    assert found == {"F1": "low", "F2": "high"}


def test_as_of_defaults_to_the_latest_date_in_the_data(lake):
    lake.add(
        "disposal_permits",
        [{"permit_no": "P1", "valid_from": date(2023, 1, 1), "valid_to": date(2029, 12, 31)}],
    )
    lake.add("vehicle_gps", [{"vehicle_plate": "冀F1", "ts": "2024-03-09 23:59:00"}])
    lake.run("local.idle")
    assert lake.last_run.as_of == date(2024, 3, 9)  # the permit's valid_to looks forward and does not count
    lake.run("local.idle", as_of=date(2024, 3, 2))
    assert lake.last_run.as_of == date(2024, 3, 2)


def test_as_of_filters_through_the_placeholder(lake):
    """With as-of 2024-03-02 only two zero days exist, fewer than min_days = 3."""
    assert lake.run("local.idle", as_of="2024-03-02") == []
    assert lake.last_record.status == "ok"


def test_model_with_an_absent_dataset_is_skipped_with_the_reason(tmp_path, models_dir):
    golden = GoldenLake(tmp_path / "lake", models_dir=models_dir)
    golden.add("sewage_facilities", FACILITIES)
    assert golden.run("local.idle", as_of="2024-06-30") == []
    record = golden.last_record
    assert (record.status, record.message, record.findings) == ("skipped", "缺少数据集：effluent_daily", 0)


def test_an_empty_dataset_is_present_not_skipped(tmp_path, models_dir):
    golden = GoldenLake(tmp_path / "lake", models_dir=models_dir)
    golden.add("sewage_facilities", FACILITIES)
    golden.add("effluent_daily", [])
    assert golden.run("local.idle", as_of="2024-06-30") == []
    assert golden.last_record.status == "ok"


def test_one_failing_model_never_stops_the_others(lake, models_dir):
    write_model(
        models_dir,
        plain("local.broken"),
        "SELECT facility_id AS subject_id, no_such_column FROM sewage_facilities",
    )
    write_model(models_dir, variant("local.zzz_after"), IDLE_SQL)
    sink = CollectingSink()
    engine = DuckDBEngine(lake.path)
    try:
        run = run_models(
            engine, Catalog.load(models_dir), sink, ["local.broken", "local.idle", "local.zzz_after"],
            RunSettings(as_of=date(2024, 6, 30)),
        )  # fmt: skip
    finally:
        engine.close()
    statuses = {r.model_id: r.status for r in run.models}
    assert statuses == {"local.broken": "error", "local.idle": "ok", "local.zzz_after": "ok"}
    broken = run.models[0]
    assert broken.message.startswith(
        "模型 local.broken（broken.sql）运行出错：Binder Error: Referenced column"
    )
    assert "no_such_column" in broken.message
    assert sorted(sink.findings) == ["local.idle", "local.zzz_after"]  # the failed model synced nothing
    assert sink.runs == [run]
    assert run.models[1].sql.endswith("HAVING count(*) >= 3\n")
    assert run.models[1].parameters == {"min_days": 3}


def test_golden_run_raises_the_models_error(lake, models_dir):
    write_model(models_dir, plain("local.broken"), "SELECT 'F1' AS subject_id, '2024-3' AS period")
    with pytest.raises(ModelError) as caught:
        lake.run("local.broken", as_of="2024-06-30")
    assert str(caught.value) == (
        "模型 local.broken 的期间应为 YYYY-MM 形式的文本，但为 F1 返回了 '2024-3'"
        "（可用 strftime(日期, '%Y-%m') 生成月份）。"
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT '2024-03' AS period",
            "模型 local.bad 的查询（bad.sql）没有返回 subject_id 列；每行线索须有 subject_id 和 period。",
        ),
        (
            "SELECT 'F1' AS subject_id, '2024-03' AS period UNION ALL SELECT 'F1', '2024-03'",
            "模型 local.bad 的查询对同一对象 F1、期间 2024-03 返回了多行；每个对象每个期间只能有一行"
            "（请按 subject_id、period 汇总）。",
        ),
        (
            "SELECT 'F1' AS subject_id, '2024-03' AS period, ['effluent_daily#999'] AS evidence",
            "模型 local.bad 引用的证据行 effluent_daily#999 在湖仓中不存在。",
        ),
        (
            "SELECT 'F1' AS subject_id, '2024-03' AS period, ['power_daily#2'] AS evidence",
            "模型 local.bad 的证据 'power_daily#2' 指向数据集 power_daily，它不在该模型 YAML 的 datasets 中"
            "（sewage_facilities、effluent_daily）。",
        ),
        (
            "SELECT 'F1' AS subject_id, '2024-03' AS period, ['row 2'] AS evidence",
            "模型 local.bad 的证据 'row 2' 格式不对：应为 数据集#行号（如 effluent_daily#12），"
            "或 数据集#文件名#行号。",
        ),
        (
            "SELECT 'F1' AS subject_id, '2024-03' AS period, 'effluent_daily#2' AS evidence",
            "模型 local.bad 的查询（bad.sql）返回的 evidence 列类型是 string，应为文本列表"
            "（VARCHAR[]，如 list('effluent_daily#' || CAST(_row AS VARCHAR))）。",
        ),
    ],
)
def test_output_contract_violations_are_explained(lake, models_dir, sql, message):
    write_model(models_dir, plain("local.bad"), sql)
    with pytest.raises(ModelError) as caught:
        lake.run("local.bad", as_of="2024-06-30")
    assert str(caught.value) == message


def test_evidence_may_name_the_file(lake, models_dir):
    sql = (
        "SELECT 'F1' AS subject_id, '2024-03' AS period, "
        "['effluent_daily#effluent_daily.csv#3', 'effluent_daily#3'] AS evidence"
    )
    write_model(models_dir, plain("local.cited"), sql)
    (finding,) = lake.run("local.cited", as_of="2024-06-30")
    assert [(e.file, e.row, e.values["date"]) for e in finding.evidence] == [
        ("effluent_daily.csv", 3, "2024-03-02"),
        ("effluent_daily.csv", 3, "2024-03-02"),
    ]


def test_reference_tables_are_registered(lake, models_dir):
    sql = (
        "SELECT s.discharge_standard AS subject_id, NULL AS period, s.cod_mgl AS cod_limit "
        "FROM ref_discharge_standards AS s WHERE s.discharge_standard = 'GB18918-2002 一级A'"
    )
    write_model(models_dir, plain("local.limits", period="none"), sql)
    (finding,) = lake.run("local.limits", as_of="2024-06-30")
    assert (finding.subject_id, finding.period, finding.details["cod_limit"]) == (
        "GB18918-2002 一级A",
        None,
        50,
    )


def test_ibis_model_runs_through_the_same_path(lake, models_dir, monkeypatch):
    module = models_dir / "zero_flow_ibis.py"
    module.write_text(
        "import ibis\n\n"
        "def query(con, params):\n"
        "    e = con.table('effluent_daily')\n"
        "    zero = e.filter((e.flow_m3.fill_null(0) == 0) & (e.date <= params['as_of']))\n"
        "    return (zero.group_by(subject_id=zero.facility_id, period=zero.date.strftime('%Y-%m'))\n"
        "            .aggregate(zero_days=zero.count())\n"
        "            .filter(lambda t: t.zero_days >= params['min_days']))\n",
        "utf-8",
    )
    monkeypatch.syspath_prepend(str(models_dir))
    write_model(models_dir, variant("local.idle_ibis", ibis="zero_flow_ibis:query"))
    (finding,) = lake.run("local.idle_ibis", as_of="2024-06-30")
    assert (finding.subject_id, finding.period, finding.severity, finding.details) == (
        "F1",
        "2024-03",
        "low",
        {"zero_days": 4},
    )
    sys.modules.pop("zero_flow_ibis", None)


def test_cli_params_for_an_unknown_model_are_refused(lake):
    engine = DuckDBEngine(lake.path)
    try:
        with pytest.raises(ModelError, match=r"^--param 指定的模型 local.idel 不存在"):
            run_models(
                engine, Catalog.load(lake.models_dir), CollectingSink(), None,
                RunSettings(parameters={"local.idel": {"min_days": "2"}}),
            )  # fmt: skip
    finally:
        engine.close()


def test_no_dates_at_all_asks_for_as_of(tmp_path, models_dir):
    golden = GoldenLake(tmp_path / "lake", models_dir=models_dir)
    golden.add("sewage_facilities", FACILITIES)
    golden.add("effluent_daily", [])
    with pytest.raises(ModelError, match=r"^无法确定认定日期：已导入的数据集中没有任何日期。请用 --as-of"):
        golden.run("local.idle")


def test_golden_lake_refuses_unknown_fields(tmp_path):
    golden = GoldenLake(tmp_path)
    with pytest.raises(
        ModelError, match=r"^数据集 effluent_daily 没有字段 flow（契约字段：facility_id、date、"
    ):
        golden.add("effluent_daily", [{"facility_id": "F1", "date": march_days(1)[0], "flow": 1.0}])


def test_golden_lake_explains_values_of_the_wrong_type(tmp_path):
    golden = GoldenLake(tmp_path)
    with pytest.raises(ModelError, match=r"^数据集 effluent_daily 的测试行写不进湖仓：.*日期用 date"):
        golden.add("effluent_daily", [{"facility_id": "F1", "date": "not a date"}])


def test_users_reference_tables_join_the_librarys(lake, models_dir):
    (models_dir / "reference").mkdir()
    (models_dir / "reference" / "county_heads.csv").write_text(
        "county,head\n雄县,张三\n安新县,李四\n", "utf-8"
    )
    sql = "SELECT county AS subject_id, NULL AS period, head FROM ref_county_heads WHERE county = '雄县'"
    write_model(models_dir, plain("local.heads", period="none", datasets=["sewage_facilities"]), sql)
    (finding,) = lake.run("local.heads", as_of="2024-06-30")
    assert (finding.subject_id, finding.details) == ("雄县", {"head": "张三"})
    (models_dir / "reference" / "discharge_standards.csv").write_text("a\n1\n", "utf-8")
    with pytest.raises(ModelError, match=r"^参照表 ref_discharge_standards 重复："):
        Catalog.load(models_dir)


def test_derived_tables_are_computed_once_and_registered(lake, models_dir, monkeypatch):
    calls = []

    schema = pa.schema([("name", pa.string()), ("credit_code", pa.string()), ("entity_id", pa.string())])

    def lookup(con):
        calls.append(con.execute("SELECT count(*) FROM sewage_facilities").fetchone()[0])
        return pa.table({"name": ["一号站"], "credit_code": [None], "entity_id": ["E1"]}, schema=schema)

    monkeypatch.setitem(DERIVED_TABLES, "entity_lookup", DerivedTable("entity_lookup", "x:y"))
    monkeypatch.setattr(DerivedTable, "load", lambda self: lookup)
    sql = (
        "SELECT l.entity_id AS subject_id, NULL AS period FROM sewage_facilities AS f\n"
        "JOIN entity_lookup AS l\n"
        "  ON l.name = f.name AND l.credit_code IS NOT DISTINCT FROM f.operator_credit_code"
    )
    for model_id in ("local.entities", "local.entities_again"):
        write_model(models_dir, plain(model_id, period="none", derived=["entity_lookup"]), sql)
    engine = DuckDBEngine(lake.path)
    sink = CollectingSink()
    try:
        run_models(engine, Catalog.load(models_dir), sink, ["local.entities", "local.entities_again"])
    finally:
        engine.close()
    assert calls == [2]
    assert [f.subject_id for f in sink.findings["local.entities_again"]] == ["E1"]


def test_a_failing_derived_table_fails_only_the_models_that_need_it(lake, models_dir, monkeypatch):
    def broken(con):
        raise RuntimeError("penalty text reader crashed")

    monkeypatch.setattr(DerivedTable, "load", lambda self: broken)
    sql = "SELECT facility_id AS subject_id, NULL AS period FROM sewage_facilities, penalty_facts"
    write_model(models_dir, plain("local.needs_facts", period="none", derived=["penalty_facts"]), sql)
    engine = DuckDBEngine(lake.path)
    try:
        run = run_models(
            engine, Catalog.load(models_dir), CollectingSink(), ["local.needs_facts", "local.idle"],
            RunSettings(as_of=date(2024, 6, 30)),
        )  # fmt: skip
    finally:
        engine.close()
    assert [(r.model_id, r.status, r.message) for r in run.models] == [
        (
            "local.needs_facts",
            "error",
            "派生表 penalty_facts 计算失败：RuntimeError: penalty text reader crashed",
        ),
        ("local.idle", "ok", None),
    ]


@pytest.mark.parametrize(
    ("skipped_sql", "message"),
    [
        (
            "SELECT * FROM read_csv('/etc/passwd')",
            "模型 local.skipping（skipping.skipped.sql 第 1 行）调用了表函数",
        ),
        (
            "SELECT facility_id AS subject_id FROM sewage_facilities",
            "skipping.skipped.sql 没有返回 reason 列",
        ),
        (
            "SELECT facility_id AS subject_id, NULL AS reason FROM sewage_facilities",
            "skipping.skipped.sql 返回了 subject_id 或 reason 为空的行（'F1'，None）",
        ),
    ],
)
def test_a_bad_skipped_query_fails_its_model(lake, models_dir, skipped_sql, message):
    path = write_model(models_dir, plain("local.skipping"), "SELECT 'F1' AS subject_id, '2024-03' AS period")
    path.with_suffix(".skipped.sql").write_text(skipped_sql, "utf-8")
    with pytest.raises(ModelError, match=re.escape(message)):
        lake.run("local.skipping", as_of="2024-06-30")


def test_one_subject_with_several_reasons_is_listed_once(lake, models_dir):
    path = write_model(models_dir, plain("local.skipping"), "SELECT 'F1' AS subject_id, '2024-03' AS period")
    path.with_suffix(".skipped.sql").write_text(
        "SELECT 'F2' AS subject_id, r AS reason\n"
        "FROM (VALUES ('执行标准为空'), ('设计规模为空'), ('执行标准为空')) AS t(r)",
        "utf-8",
    )
    assert [f.subject_id for f in lake.run("local.skipping", as_of="2024-06-30")] == ["F1"]
    assert [(s.subject_id, s.reason) for s in lake.last_record.skipped_subjects] == [
        ("F2", "执行标准为空；设计规模为空")
    ]


@pytest.mark.parametrize("inline_rows", [500, 0])
def test_evidence_rows_come_back_whether_listed_in_the_query_or_joined(lake, monkeypatch, inline_rows):
    monkeypatch.setattr(engine_module, "INLINE_ROWS", inline_rows)
    (finding,) = lake.run("local.idle", as_of="2024-06-30")
    assert [(e.dataset, e.row, e.values.get("date")) for e in finding.evidence] == [
        ("sewage_facilities", 2, None),
        ("effluent_daily", 2, "2024-03-01"),
        ("effluent_daily", 3, "2024-03-02"),
        ("effluent_daily", 4, "2024-03-03"),
        ("effluent_daily", 5, "2024-03-04"),
    ]
    assert finding.evidence[0].values["name"] == "一号站"


def test_a_golden_run_resolves_the_keys_in_the_catalogue_it_is_given(lake, models_dir):
    write_model(models_dir, variant("local.cites", legal_basis=["local.drainage.art5"]), IDLE_SQL)
    with pytest.raises(ModelError, match=r"引用了 local\.drainage\.art5"):
        lake.run("local.cites", as_of="2024-06-30")
    added = Provision(
        "local.drainage.art5", "某市排水办法", "", None, "第五条", "", "", "", "排水许可", "", False
    )
    (finding,) = lake.run("local.cites", as_of="2024-06-30", law=builtin_catalogue().with_additions([added]))
    assert finding.legal_basis == "《某市排水办法》第五条"
