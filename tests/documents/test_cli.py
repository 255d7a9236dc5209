"""``jiancha documents suggestion`` and ``jiancha report`` from a shell."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from typer.testing import CliRunner

from jiancha.cli import app, run_cli


@pytest.fixture(autouse=True)
def _workspace_store(monkeypatch):
    """The CLI must open the workspace's SQLite store, the one the fixtures filled."""
    monkeypatch.delenv("JIANCHA_DATABASE_URL", raising=False)


def invoke(tmp_path, *args: str):
    return CliRunner().invoke(app, ["--home", str(tmp_path), "--lang", "zh", *args])


def test_suggestion_issues_and_report_counts_it(store, filed_case, tmp_path):
    clue_id = filed_case()
    result = invoke(
        tmp_path,
        "documents",
        "suggestion",
        clue_id,
        "--output",
        str(tmp_path / "s.docx"),
        "--user",
        "张检察官",
    )
    year = date.today().year
    assert result.exit_code == 0, result.output
    assert f"已制发 安新检行公建〔{year}〕1号" in result.output
    assert "检察建议书" in "\n".join(p.text for p in Document(str(tmp_path / "s.docx")).paragraphs)

    result = invoke(tmp_path, "report", "--period", str(year), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / f"监督工作报告_{year}.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ("documents", "suggestion", "{clue}", "--output", "{tmp}/s.docx"),
            "只有已立案的线索才能制发检察建议",
        ),
        (("report", "--period", "2024-Q5"), "请写成 2024、2024-Q3 或 2024-07"),
    ],
)
def test_refusals_are_sentences_with_exit_code_1(store, new_clue, tmp_path, capsys, args, sentence):
    filled = [a.format(clue=new_clue(), tmp=tmp_path) for a in args]
    with pytest.raises(SystemExit) as exited:
        run_cli(["--home", str(tmp_path), "--lang", "zh", *filled])
    assert exited.value.code == 1
    assert sentence in capsys.readouterr().err


def test_a_draft_lacking_data_says_so_and_still_writes_the_letter(store, finding, tmp_path):
    thin = replace(finding("AX-099"), details={"idle_days": 29})
    store.sync_findings("run-thin", "water.facility_idle", [thin])
    clue_id = next(c.id for c in store.iter_clues() if c.subject_id == "AX-099")
    result = invoke(
        tmp_path, "documents", "suggestion", clue_id, "--draft", "--output", str(tmp_path / "d.docx")
    )
    assert result.exit_code == 0, result.output
    assert "请注意" in result.output and "数据未提供" in result.output and "查明的事实第" in result.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "d.docx")).paragraphs)
    assert "（数据未提供）" in text and "None" not in text
