"""``jiancha law …`` and the provisions ``jiancha models show`` prints, end to end over a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.clues.store import ClueStore
from jiancha.workspace import Workspace

runner = CliRunner()


def invoke(home: Path, *args: str):
    env = {"COLUMNS": "200", "JIANCHA_LANG": "zh", "JIANCHA_USER": "zhao"}
    return runner.invoke(app, ["--home", str(home), *args], env=env)


def said(result) -> str:
    """What the user reads: the output, and the sentence of a project error (``run_cli`` prints it)."""
    return result.output + (str(result.exception) if result.exception else "")


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


def test_models_show_prints_each_provision_with_its_text(home):
    shown = invoke(home, "models", "show", "water.facility_idle")
    assert shown.exit_code == 0, shown.output
    assert "• 《城镇排水与污水处理条例》第三十一条第一款" in shown.output
    assert "城镇污水处理设施维护运营单位不得擅自停运城镇污水处理设施" in shown.output
    assert "• 《中华人民共和国行政诉讼法》第二十五条第四款\n" in shown.output
    assert "未核实" not in shown.output
    scrap = invoke(home, "models", "show", "crime.unlicensed_scrap_dealer")
    assert "• 《再生资源回收管理办法》第七条 （未核实）" in scrap.output
    assert "…在取得营业执照后30日内…" in scrap.output
    assert not (home / "store.sqlite").exists()  # reading the catalogue never creates a store


def test_law_list_and_show(home):
    listed = invoke(home, "law", "list", "--unverified")
    assert listed.exit_code == 0
    assert "recycling_measures.art7" in listed.output and "admin_litigation_law" not in listed.output
    shown = invoke(home, "law", "show", "solid_waste_law.art72.p1")
    assert shown.exit_code == 0
    assert shown.output.splitlines()[:5] == [
        "《中华人民共和国固体废物污染环境防治法》第七十二条第一款  已核实",
        "法律：中华人民共和国固体废物污染环境防治法",
        "版本：2020年修订",
        "施行日期：2020年9月1日",
        "条文：禁止擅自倾倒、堆放、丢弃、遗撒城镇污水处理设施产生的污泥和处理后的污泥。",
    ]
    missing = invoke(home, "law", "show", "solid_waste_law.art999")
    assert missing.exit_code == 1
    assert "法律依据目录中没有编号为 solid_waste_law.art999 的条文" in said(missing)


def test_add_then_verify_by_a_reviewer(home):
    added = invoke(
        home, "law", "add", "local.drainage.art5", "--law", "某市城镇排水管理办法", "--article", "第五条",
        "--summary", "排入城镇排水设施应当取得排水许可", "--text", "排水户应当取得排水许可。",
        "--in-force", "2020-01-01",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "已加入 《某市城镇排水管理办法》第五条（local.drainage.art5），状态：未核实" in added.output
    row = next(line for line in invoke(home, "law", "list").output.splitlines() if "local.drainage" in line)
    assert "未核实" in row and "本工作区" in row
    refused = invoke(home, "law", "verify", "local.drainage.art5")
    assert refused.exit_code == 1
    assert "用户 zhao 无权核实条文" in said(refused)
    with ClueStore(Workspace(home).store_url) as store:
        store.add_user("wang", "$argon2id$not-a-real-hash", "leadership", office="雄安分院")
    verified = invoke(home, "law", "verify", "local.drainage.art5", "--user", "wang")
    assert verified.exit_code == 0, verified.output
    assert "《某市城镇排水管理办法》第五条 已核实。" in verified.output
    assert "已核实" in invoke(home, "law", "show", "local.drainage.art5").output.splitlines()[0]
    with ClueStore(Workspace(home).store_url) as store:
        assert store.verify_audit().ok


def test_a_bad_date_and_a_built_in_key_are_refused(home):
    bad_date = invoke(
        home, "law", "add", "local.a.b", "--law", "某办法", "--summary", "要点", "--in-force", "2020/1/1"
    )
    assert bad_date.exit_code == 1
    assert "施行日期 2020/1/1 应写作 YYYY-MM-DD" in said(bad_date)
    builtin = invoke(home, "law", "add", "criminal_law.art264", "--law", "刑法", "--summary", "盗窃")
    assert builtin.exit_code == 1
    assert "条文编号 criminal_law.art264 是内置条文" in said(builtin)
