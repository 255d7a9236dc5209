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
        "两个月内（即2024年12月8日前）",
        "七日内",
        "2024年8月纳入评估的31日中，该设施有29日处于停运状态",
        "端村镇污水处理站为农村污水处理站，由安新县运林环保科技有限公司运营",
        "《中华人民共和国行政诉讼法》第二十五条第四款规定：“人民检察院在履行职责中发现",
        "督促运营单位恢复正常运行",
    ):
        assert expected in text, expected
    assert "idle_days" not in text
    assert "water.facility_idle" not in text and clue_id not in text
    assert issued.warnings == ()


def test_the_evidence_is_an_attachment_after_the_signature(store, filed_case, tmp_path):
    issued = issue_suggestion(store, filed_case(), "张检察官", tmp_path / "s.docx")
    doc = Document(str(issued.path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert doc.tables == []  # no inline evidence table in the letter
    signed = paragraphs.index("2024年10月8日")
    heading = paragraphs.index("附件：证据清单")
    assert signed < heading
    assert paragraphs[heading + 1 : heading + 3] == [
        "1．污水处理设施名录（雄安新区生态环境局提供），文件 sewage_facilities.csv"
        "（2024年9月2日10时05分导入）第18行：设施名称 端村镇污水处理站；运行状态 运行。",
        "2．设施用电日数据（国网雄安新区供电公司提供），文件 power_daily.csv（2024年9月2日10时05分导入）"
        "第4411行：日期 2024年8月1日；用电量(千瓦时) 0.2。",
    ]
    assert "上述事实有2项共享数据记录为证（见附件）。" in paragraphs[:signed]


def test_a_clue_whose_run_left_no_load_record_still_lists_file_and_row(store, tmp_path):
    from tests.documents.conftest import idle_finding

    store.sync_findings("old-run", "water.facility_idle", [idle_finding()])
    clue_id = next(iter(store.iter_clues())).id
    text = _text(draft_suggestion(store, clue_id, "张检察官", tmp_path / "d.docx").path)
    assert "文件 power_daily.csv第4411行" in text


def test_public_interest_urgent_gets_fifteen_days_and_the_next_number(store, filed_case, tmp_path):
    first = filed_case()
    issue_suggestion(store, first, "张检察官", tmp_path / "1.docx")
    second = filed_case("AX-018")
    issued = issue_suggestion(store, second, "张检察官", tmp_path / "2.docx", urgent=True)
    assert issued.document_no == "安新检行公建〔2024〕2号"
    assert issued.reply_due == date(2024, 10, 23)
    assert "十五日内（即2024年10月23日前）" in _text(issued.path)


def test_social_governance_has_two_months_or_the_prosecutors_date(store, filed_case, tmp_path):
    first = filed_case()
    calm = issue_suggestion(store, first, "张检察官", tmp_path / "1.docx", kind="social_governance")
    assert (calm.document_no, calm.reply_due) == ("安新检社建〔2024〕1号", date(2024, 12, 8))
    assert "两个月以内（即2024年12月8日前）作出相应处理" in _text(calm.path)
    urgent = issue_suggestion(
        store,
        filed_case("AX-018"),
        "张检察官",
        tmp_path / "2.docx",
        kind="social_governance",
        urgent=True,
        reply_by=date(2024, 10, 18),
    )
    assert urgent.reply_due == date(2024, 10, 18)
    assert "因情况紧急，请你单位于2024年10月18日前作出相应处理" in _text(urgent.path)
    kept = store.get_clue(first, "张检察官")
    assert (kept.suggestions[0].kind, kept.clue.due_on) == ("social_governance", date(2024, 12, 8))


@pytest.mark.parametrize(
    ("kind", "urgent", "reply_by", "sentence"),
    [
        ("social_governance", True, None, "须由检察官确定回复期限"),
        ("social_governance", True, date(2024, 10, 1), "不晚于制发日"),
        ("social_governance", False, date(2024, 10, 20), "只有情况紧急时才能另定回复期限"),
        ("public_interest", True, date(2024, 10, 20), "不能另定日期"),
    ],
)
def test_reply_terms_that_do_not_fit_are_refused_before_anything_happens(
    store, filed_case, tmp_path, kind, urgent, reply_by, sentence
):
    clue_id = filed_case()
    for act in (issue_suggestion, draft_suggestion):
        with pytest.raises(WorkflowError, match=sentence):
            act(store, clue_id, "张检察官", tmp_path / "s.docx", kind=kind, urgent=urgent, reply_by=reply_by)
    assert not (tmp_path / "s.docx").exists()
    assert store.get_clue(clue_id, "张检察官").clue.status == "case_filed"
    assert store.document_numbers("安新") == []


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


def test_the_layout_is_gb_t_9704(store, filed_case, tmp_path):
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document(str(issue_suggestion(store, filed_case(), "张检察官", tmp_path / "s.docx").path))
    section = doc.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / Mm(1)) for m in margins] == [37, 35, 28, 26]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    parts = [doc.element.body, section.footer._element, section.even_page_footer._element]
    runs = [r for part in parts for r in part.iter(qn("w:r"))]
    assert runs and all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in runs)
    title = doc.paragraphs[1].runs[0]
    assert (doc.paragraphs[1].text, title.font.size.pt) == ("检察建议书", 22)
    assert title._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("本院在履行法律监督职责中"))
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.paragraphs[2].text == "安新检行公建〔2024〕1号" and doc.paragraphs[3].text.endswith("：")
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.paragraphs[0].text == "—  —"
        assert {r.font.size.pt for r in footer.paragraphs[0].runs} == {14}


def test_the_reply_date_is_read_one_way_for_the_cli_and_the_form():
    from jiancha.clues.workflow import parse_reply_date
    from jiancha.errors import JianchaError

    assert parse_reply_date(" 2024-10-20 ") == date(2024, 10, 20)
    assert parse_reply_date("") is None and parse_reply_date(None) is None
    with pytest.raises(JianchaError, match="--reply-by“下周”不是日期；请写成 2024-10-20"):
        parse_reply_date("下周", "--reply-by")
    with pytest.raises(JianchaError, match="回复期限“明天”不是日期"):
        parse_reply_date("明天")
