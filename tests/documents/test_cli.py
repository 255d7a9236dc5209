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
        (
            ("documents", "suggestion", "{clue}", "-o", "{tmp}/s.docx", "--urgent", "--reply-by", "下周"),
            "--reply-by“下周”不是日期",
        ),
        (
            (
                "documents",
                "suggestion",
                "{clue}",
                "-o",
                "{tmp}/s.docx",
                "--draft",
                "--type",
                "social_governance",
                "--reply-by",
                "2099-01-01",
            ),
            "只有情况紧急时才能另定回复期限",
        ),
        (
            (
                "documents",
                "suggestion",
                "{clue}",
                "-o",
                "{tmp}/s.docx",
                "--draft",
                "--type",
                "social_governance",
                "--urgent",
            ),
            "须由检察官确定回复期限",
        ),
    ],
)
def test_refusals_are_sentences_with_exit_code_1(store, new_clue, tmp_path, capsys, args, sentence):
    filled = [a.format(clue=new_clue(), tmp=tmp_path) for a in args]
    with pytest.raises(SystemExit) as exited:
        run_cli(["--home", str(tmp_path), "--lang", "zh", *filled])
    assert exited.value.code == 1
    assert sentence in capsys.readouterr().err


def test_an_urgent_social_governance_suggestion_takes_the_prosecutors_date(store, filed_case, tmp_path):
    clue_id = filed_case()
    reply_by = date.fromordinal(date.today().toordinal() + 10)
    result = invoke(
        tmp_path,
        "documents",
        "suggestion",
        clue_id,
        "-o",
        str(tmp_path / "s.docx"),
        "--type",
        "social_governance",
        "--urgent",
        "--reply-by",
        reply_by.isoformat(),
    )
    assert result.exit_code == 0, result.output
    assert f"答复期限{reply_by:%Y-%m-%d}" in "".join(result.output.split())
    assert store.get_clue(clue_id, "r").clue.due_on == reply_by


def test_fontconfig_prints_the_font_substitutions(tmp_path):
    result = invoke(tmp_path, "documents", "fontconfig")
    assert result.exit_code == 0, result.output
    assert "<family>仿宋_GB2312</family>" in result.output and "Noto Serif CJK SC" in result.output


def test_the_cli_lists_unverified_provisions_and_cites_them_only_when_confirmed(store, dealer_case, tmp_path):
    citation = "《再生资源回收管理办法》第七条"
    args = ("documents", "suggestion", dealer_case, "-o", str(tmp_path / "s.docx"), "--user", "张检察官")
    drafted = invoke(tmp_path, *args, "--draft")
    assert drafted.exit_code == 0, drafted.output
    assert "以下条文尚未核实，未写入草稿" in drafted.output and citation in drafted.output
    issued = invoke(tmp_path, *args, "--confirm-unverified")
    assert issued.exit_code == 0, issued.output
    assert "经确认已写入文书（已记入审计日志）" in issued.output
    assert citation in "\n".join(p.text for p in Document(str(tmp_path / "s.docx")).paragraphs)
    history = store.get_clue(dealer_case, "张检察官").history
    assert [h.user for h in history if h.action == "provisions.unverified_confirmed"] == ["张检察官"]


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
