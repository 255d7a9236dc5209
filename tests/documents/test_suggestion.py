"""Issuing a 检察建议书: numbering, content, the workflow move and the reply clock."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from jiancha.documents.suggestion import draft_suggestion, issue_suggestion
from jiancha.errors import WorkflowError


def _text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_issue_numbers_records_and_starts_the_clock(store, filed_case, tmp_path):
    clue_id = filed_case()
    issued = issue_suggestion(store, clue_id, "张检察官", tmp_path / "s.docx")
    assert issued.document_no == "安新检行公建〔2024〕1号"
    assert issued.reply_due == date(2024, 12, 8)
    detail = store.get_clue(clue_id, "张检察官")
    assert detail.clue.status == "suggestion_issued"
    assert detail.suggestions[0].document_no == issued.document_no
    assert detail.suggestions[0].reply_due == date(2024, 12, 8)

    text = _text(issued.path)
    for expected in (
        "安新县人民检察院",
        "检察建议书",
        "安新检行公建〔2024〕1号",
        "安新县住房和城乡建设局：",
        "污水处理设施建而不用",
        "端村镇污水处理站",
        "sewage_facilities.csv",
        "4411",
        "两个月内（即2024年12月8日前）",
        "七日内",
        "2024年8月纳入评估的31日中，该设施有29日处于停运状态",
        "端村镇污水处理站为农村污水处理站，由安新县运林环保科技有限公司运营",
        "《中华人民共和国行政诉讼法》第二十五条第四款规定：“人民检察院在履行职责中发现",
        "督促运营单位恢复正常运行",
    ):
        assert expected in text, expected
    assert "idle_days" not in text
    assert issued.warnings == ()


def test_urgent_gets_fifteen_days_and_the_next_number(store, filed_case, tmp_path):
    first = filed_case()
    issue_suggestion(store, first, "张检察官", tmp_path / "1.docx")
    second = filed_case("AX-018")
    issued = issue_suggestion(
        store, second, "张检察官", tmp_path / "2.docx", urgent=True, kind="social_governance"
    )
    assert issued.document_no == "安新检社建〔2024〕1号"
    assert issued.reply_due == date(2024, 10, 23)
    assert "十五日内（即2024年10月23日前）" in _text(issued.path)
    third = filed_case("AX-019")
    assert (
        issue_suggestion(store, third, "张检察官", tmp_path / "3.docx").document_no
        == "安新检行公建〔2024〕2号"
    )


def test_issue_is_refused_before_a_case_is_filed_and_writes_nothing(store, new_clue, tmp_path):
    clue_id = new_clue()
    with pytest.raises(WorkflowError, match="当前状态为“新线索”，只有已立案的线索才能制发检察建议"):
        issue_suggestion(store, clue_id, "张检察官", tmp_path / "s.docx")
    assert not (tmp_path / "s.docx").exists()


def test_draft_leaves_the_clue_where_it_is(store, new_clue, tmp_path):
    clue_id = new_clue()
    drafted = draft_suggestion(store, clue_id, "张检察官", tmp_path / "d.docx")
    assert "号（草稿）" in _text(drafted.path)
    assert store.get_clue(clue_id, "张检察官").clue.status == "new"


def test_a_number_taken_meanwhile_is_skipped(store, filed_case, tmp_path, monkeypatch):
    issue_suggestion(store, filed_case(), "张检察官", tmp_path / "1.docx")
    second = filed_case("AX-018")
    real, calls = store.document_numbers, []

    def stale_first(prefix: str) -> list[str]:
        """The first read misses 1号, as if another prosecutor issued it just after we looked."""
        calls.append(prefix)
        return [] if len(calls) == 1 else real(prefix)

    monkeypatch.setattr(store, "document_numbers", stale_first)
    issued = issue_suggestion(store, second, "张检察官", tmp_path / "2.docx")
    assert issued.document_no == "安新检行公建〔2024〕2号"
    assert store.get_clue(second, "张检察官").suggestions[0].document_no == issued.document_no
    assert len(calls) == 3  # stale read, the check that 1号 is taken, the fresh read
