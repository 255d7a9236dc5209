"""Period reports: what counts where, and both files open with the right figures."""

from __future__ import annotations

import re
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from jiancha.documents.period import parse_period
from jiancha.documents.report import collect, write_report
from jiancha.documents.suggestion import issue_suggestion
from jiancha.errors import JianchaError

SNAKE = re.compile(r"\b[a-z]+(?:[._][a-z0-9]+)+\b")


@pytest.mark.parametrize(
    ("text", "start", "end", "title"),
    [
        ("2024-Q3", date(2024, 7, 1), date(2024, 9, 30), "2024年第三季度"),
        ("2024-q4", date(2024, 10, 1), date(2024, 12, 31), "2024年第四季度"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023年度"),
    ],
)
def test_periods(text, start, end, title):
    period = parse_period(text)
    assert (period.start, period.end, period.title) == (start, end, title)


@pytest.mark.parametrize("text", ["2024-Q5", "2024-13", "24-Q1", "Q3"])
def test_bad_periods_say_what_is_accepted(text):
    with pytest.raises(JianchaError, match="2024、2024-Q3 或 2024-07"):
        parse_period(text)


def test_report_counts_by_model_and_office(store, filed_case, new_clue, tmp_path):
    issue_suggestion(store, filed_case(), "张检察官", tmp_path / "s.docx")
    new_clue("AX-018")
    figures = collect(store, parse_period("2024-Q4"))
    assert [(r.name, r.values()) for r in figures.by_model] == [("污水处理设施建而不用", [2, 1, 1, 0])]
    assert [(r.name, r.values()) for r in figures.by_office] == [("安新县人民检察院", [2, 1, 1, 0])]
    assert collect(store, parse_period("2024-Q3")).total.values() == [0, 0, 0, 0]

    docx_path, xlsx_path = write_report(figures, tmp_path / "out")
    doc = Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2024年第四季度大数据法律监督工作报告" in text
    assert "共发现线索2件，立案1件，制发检察建议1件，督促整改到位0件" in text
    header = [c.text for c in doc.tables[0].rows[0].cells][1:]
    assert header == ["线索（件）", "立案（件）", "制发检察建议（件）", "整改到位（件）"]
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["污水处理设施建而不用", "2", "1", "1", "0"]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert not [t for t in [text, *cells] if SNAKE.search(t)]  # no ids or field names anywhere
    assert len(doc.inline_shapes) == 2
    sheet = load_workbook(xlsx_path)["按检察院"]
    assert [c.value for c in sheet[2]] == ["安新县人民检察院", 2, 1, 1, 0]
