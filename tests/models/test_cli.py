"""``jiancha run`` and ``jiancha models …`` end to end, with the real clue store (SQLite)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues.store import ClueStore
from jiancha.errors import ModelError
from jiancha.workspace import Workspace

from .fixtures import IDLE_SQL, plain, write_model

runner = CliRunner()


@pytest.fixture
def home(tmp_path, lake) -> Path:
    """A workspace whose lake is the golden lake of the fixtures (F1 idle on March 1–4)."""
    folder = tmp_path / "home"
    folder.mkdir()
    shutil.copy(lake.path, folder / "lake.duckdb")
    shutil.copytree(lake.path.parent / "lake", folder / "lake")
    return folder


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "JIANCHA_LANG": "zh"})


def clues(home: Path):
    with ClueStore(Workspace(home).store_url) as store:
        return [(c.model_id, c.subject_id, c.period, c.severity, c.holds) for c in store.iter_clues()]


def test_run_syncs_clues_and_prints_the_summary(home, models_dir):
    result = invoke("--home", str(home), "run", "--models-dir", str(models_dir), "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert "模型运行结果（认定日期 2024-06-30）" in result.output
    row = next(line for line in result.output.splitlines() if "local.idle" in line and "│" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]][:5] == ["local.idle", "1", "1", "0", "0"]
    assert "跳过：缺少数据集" in result.output  # built-in models whose datasets are absent
    assert clues(home) == [("local.idle", "F1", "2024-03", "low", True)]


def test_param_and_config_precedence_reach_the_store(home, models_dir):
    (home / "jiancha.toml").write_text('[parameters."local.idle"]\nmin_days = 10\n', "utf-8")
    base = ["--home", str(home), "run", "--models-dir", str(models_dir), "--models", "local.idle"]
    assert invoke(*base, "--as-of", "2024-06-30").exit_code == 0
    assert clues(home) == []  # config: 10 days needed, only 4
    result = invoke(*base, "--as-of", "2024-06-30", "--param", "local.idle.min_days=4")
    assert result.exit_code == 0, result.output
    assert clues(home) == [("local.idle", "F1", "2024-03", "low", True)]
    with ClueStore(Workspace(home).store_url) as store:
        latest = store.runs(limit=1)[0]
    assert latest.as_of.isoformat() == "2024-06-30"
    assert [(m["model_id"], m["parameters"]) for m in latest.models] == [("local.idle", {"min_days": 4})]


def test_rerun_after_the_facts_change_marks_no_longer_holds(home, models_dir):
    base = ["--home", str(home), "run", "--models-dir", str(models_dir), "--models", "local.idle"]
    assert invoke(*base, "--as-of", "2024-06-30").exit_code == 0
    result = invoke(*base, "--as-of", "2024-06-30", "--param", "local.idle.min_days=9")
    row = next(line for line in result.output.splitlines() if "local.idle" in line and "│" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]][:5] == ["local.idle", "0", "0", "0", "1"]
    assert clues(home) == [("local.idle", "F1", "2024-03", "low", False)]


def test_subjects_a_model_skipped_are_listed_under_the_table_and_kept_in_the_run_history(home, models_dir):
    path = write_model(models_dir, plain("local.skipping"), "SELECT 'F1' AS subject_id, '2024-03' AS period")
    path.with_suffix(".skipped.sql").write_text(
        "SELECT facility_id AS subject_id,\n"
        "'设计规模 ' || CAST(design_capacity_m3d AS INTEGER) || ' 吨不在表中' AS reason\n"
        "FROM sewage_facilities WHERE design_capacity_m3d >= {{ min_days }} * 100",
        "utf-8",
    )
    args = ["--home", str(home), "run", "--models-dir", str(models_dir), "--models", "local.skipping"]
    result = invoke(*args, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    assert (
        "local.skipping 跳过 2 个设施：F1（设计规模 500 吨不在表中）、F2（设计规模 800 吨不在表中）"
        in result.output
    )
    result = invoke(*args, "--as-of", "2024-06-30", "--param", "local.skipping.min_days=6")
    assert "local.skipping 跳过 1 个设施：F2（设计规模 800 吨不在表中）" in result.output
    with ClueStore(Workspace(home).store_url) as store:
        history = [m["skipped_subjects"] for run in store.runs() for m in run.models]
    assert history == [
        [{"subject_id": "F2", "reason": "设计规模 800 吨不在表中"}],
        [
            {"subject_id": "F1", "reason": "设计规模 500 吨不在表中"},
            {"subject_id": "F2", "reason": "设计规模 800 吨不在表中"},
        ],
    ]


def test_failing_model_exits_1_after_running_the_rest(home, models_dir):
    write_model(models_dir, plain("local.broken"), "SELECT nope AS subject_id FROM sewage_facilities")
    result = invoke(
        "--home", str(home), "run", "--models-dir", str(models_dir), "--models", "local.broken,local.idle"
    )
    assert result.exit_code == 1
    assert "local.broken：模型 local.broken（broken.sql）运行出错：Binder Error" in result.output
    assert clues(home) == [("local.idle", "F1", "2024-03", "low", True)]


def test_bad_as_of_and_bad_param_are_usage_errors(home, models_dir):
    bad_date = invoke("--home", str(home), "run", "--as-of", "30/06/2024")
    assert bad_date.exit_code == 2
    assert "--as-of '30/06/2024' 不是日期，应写作 YYYY-MM-DD。" in bad_date.output
    with pytest.raises(ModelError, match=r"--param 'min_days=3' 的格式不对"):
        runner.invoke(app, ["--home", str(home), "run", "--param", "min_days=3"], catch_exceptions=False)


def test_models_list_show_and_validate(home, models_dir):
    listed = invoke("models", "list", "--models-dir", str(models_dir))
    assert listed.exit_code == 0
    assert "local.idle" in listed.output and "water.facility_idle" in listed.output
    (home / "jiancha.toml").write_text('[parameters."local.idle"]\nmin_days = 10\n', "utf-8")
    shown = invoke("--home", str(home), "models", "show", "local.idle", "--models-dir", str(models_dir))
    assert shown.exit_code == 0
    assert "《城镇排水与污水处理条例》第五十二条第二款" in shown.output
    param_row = next(line for line in shown.output.splitlines() if "min_days" in line)
    assert [cell.strip() for cell in param_row.split("│")[1:-1]] == [
        "min_days",
        "integer",
        "3",
        "10",
        "天数下限",
    ]
    checked = invoke("--home", str(home), "models", "validate", "local.idle", "--models-dir", str(models_dir))
    assert checked.exit_code == 0
    assert "✓ local.idle" in checked.output and "共 1 个模型，0 个有错误。" in checked.output
    write_model(models_dir, plain("local.bad"), "SELECT * FROM sewage_plants")
    failed = invoke("--home", str(home), "models", "validate", "local.bad", "--models-dir", str(models_dir))
    assert failed.exit_code == 1
    assert "✗ local.bad" in failed.output and "引用了未知的表 sewage_plants" in failed.output


def test_models_new_scaffolds_a_model_that_validates_and_passes_its_golden_test(tmp_path, home):
    target = tmp_path / "mine"
    created = invoke("models", "new", "local.zero_flow", "--models-dir", str(target))
    assert created.exit_code == 0, created.output
    folder = target / "local"
    assert sorted(p.name for p in folder.iterdir()) == [
        "test_zero_flow.py",
        "zero_flow.sql",
        "zero_flow.yaml",
    ]
    again = runner.invoke(app, ["models", "new", "local.zero_flow", "--models-dir", str(target)])
    assert again.exit_code == 1 and "文件已存在" in str(again.exception)
    checked = invoke(
        "--home", str(home), "models", "validate", "local.zero_flow", "--models-dir", str(target)
    )
    assert checked.exit_code == 0, checked.output
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "test_zero_flow.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout


def test_a_user_model_may_cite_a_provision_the_workspace_added(home, models_dir):
    path = write_model(models_dir, plain("local.cites", legal_basis=["local.drainage.art5"]), IDLE_SQL)
    validate = ("--home", str(home), "models", "validate", "local.cites", "--models-dir", str(models_dir))
    refused = invoke(*validate)
    assert refused.exit_code == 1
    assert f"模型文件 {path} 的法律依据引用了 local.drainage.art5" in refused.output.replace("\n  ", "")
    added = invoke(
        "--home", str(home), "law", "add", "local.drainage.art5", "--law", "某市城镇排水管理办法",
        "--article", "第五条", "--summary", "排水许可",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    checked = invoke(*validate)
    assert checked.exit_code == 0, checked.output
    ran = invoke("--home", str(home), "run", "--models", "local.cites", "--models-dir", str(models_dir))
    assert ran.exit_code == 0, ran.output
    with ClueStore(Workspace(home).store_url) as store:
        (clue,) = store.iter_clues()
    assert clue.legal_basis == "《某市城镇排水管理办法》第五条"
