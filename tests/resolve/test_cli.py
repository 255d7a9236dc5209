"""The commands: resolve, entities show, link and split — and the audit entry a decision leaves."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiancha.cli import app
from jiancha.cli.app import console
from jiancha.clues.store import ClueStore
from jiancha.resolve.credit_code import check_digit

CODE = "91130629MA0DCBXL6" + check_digit("91130629MA0DCBXL6")
ROWS = {
    "business_registry": [{"credit_code": CODE, "name": "河北雄安绿源环保科技有限公司", "legal_rep": "张三"}],
    "grid_events": [
        {"event_id": "G1", "reported_at": "2024-01-05 09:00", "subject_name": "（雄安）绿源环保科技"},
        {"event_id": "G2", "reported_at": "2024-01-06 09:00", "subject_name": "老王废品站"},
        {"event_id": "G3", "reported_at": "2024-01-07 09:00", "subject_name": "王记回收"},
    ],
}


@pytest.fixture
def home(make_lake, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = make_lake(ROWS).parent
    monkeypatch.setenv("JIANCHA_HOME", str(path))
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)
    monkeypatch.setattr(console, "width", 200)
    return path


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["--lang", "zh", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_resolve_then_show_explains_the_match(home: Path) -> None:
    out = _run("resolve")
    assert re.search(r"│ 识别出的主体\s+│ 4\s+│", out)
    assert re.search(r"│ 参数估计\s+│ 先验值（写法过少，未估计）\s+│", out)
    shown = _run("entities", "show", "绿源环保科技")
    assert f"code:{CODE}" in shown
    assert "（雄安）绿源环保科技" in shown
    assert "grid_events.subject_name#2" in shown
    assert "名称一致" in shown  # the comparison level that joined them, with its weight
    assert "+16.9" in shown  # log2(0.6 / 0.000005), the prior weight of an exact folded name
    assert "已是最新" in _run("resolve")


def test_link_and_split_are_kept_and_audited(home: Path) -> None:
    _run("resolve")
    out = _run(
        "entities", "link", "老王废品站", "王记回收", "--reason", "同一经营者，现场核实", "--by", "检察官甲"
    )
    assert "已记录决定" in out
    shown = _run("entities", "show", "王记回收")
    assert "老王废品站" in shown and "人工关联" in shown
    _run("entities", "split", "（雄安）绿源环保科技", "--reason", "网格员误记", "--by", "检察官乙")
    alone = _run("entities", "show", "（雄安）绿源环保科技")
    assert "name:绿源环保科技" in alone and "河北雄安绿源环保科技有限公司" in alone

    with sqlite3.connect(home / "store.sqlite") as db:
        rows = db.execute("SELECT action, user, reason FROM audit_log ORDER BY seq").fetchall()
    assert rows == [
        ("entity_link", "检察官甲", "同一经营者，现场核实"),
        ("entity_split", "检察官乙", "网格员误记"),
    ]
    with ClueStore(f"sqlite:///{home / 'store.sqlite'}") as store:
        report = store.verify_audit()
    assert report.ok and report.entries == 2


def test_decision_about_an_unknown_spelling_is_refused(home: Path) -> None:
    result = CliRunner().invoke(app, ["entities", "split", "不存在的公司", "--reason", "x"])
    assert result.exit_code == 1
    assert "湖仓中没有写作“不存在的公司”的单位或个人" in str(result.exception)
