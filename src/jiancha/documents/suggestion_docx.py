"""Render a procuratorial suggestion (检察建议书) as .docx.

The structure follows what a 检察建议书 must contain (《人民检察院检察建议工作规定》):
the source of the case, the facts found with their evidence, the reasons (which
quote the legal basis), concrete suggestions, the reply deadline and the objection note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from jiancha.documents.docx_style import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_BODY,
    SIZE_TABLE,
    SIZE_TITLE,
    TITLE_FONT,
    add_text,
    set_run_font,
    setup_page,
)
from jiancha.law import Provision

CHINESE_ORDINALS = "一二三四五六七八九十"
EVIDENCE_HEADER = ("序号", "数据来源", "文件", "行号", "主要内容")


@dataclass(frozen=True)
class EvidenceLine:
    """One evidence row as the document lists it."""

    source: str
    file: str
    row: int
    summary: str


@dataclass(frozen=True)
class SuggestionDraft:
    """Everything a 检察建议书 says, already worded; rendering adds only layout."""

    number: str
    procuratorate: str
    addressee: str
    kind_label: str
    source: str
    facts: tuple[str, ...]
    evidence: tuple[EvidenceLine, ...]
    reasons: tuple[str, ...]  # duty → breach → the organ's failure → harm, quoting the provisions
    legal_basis: tuple[str, ...]  # the citations the reasons quote, in order
    suggestions: tuple[str, ...]
    issued: date
    reply_due: date
    urgent: bool
    objection_note: str
    provisions: tuple[Provision, ...] = ()  # the catalogue entries quoted (verified or not)
    warnings: tuple[str, ...] = ()  # for the prosecutor before signing; never printed in the letter


def render_suggestion(draft: SuggestionDraft, path: Path) -> Path:
    """Write the draft as an A4 official document; returns the path written."""
    doc = Document()
    setup_page(doc)
    add_text(
        doc,
        draft.procuratorate,
        font=TITLE_FONT,
        size=SIZE_TITLE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    add_text(
        doc, "检察建议书", font=TITLE_FONT, size=SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    add_text(doc, draft.number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    add_text(doc, f"{draft.addressee}：", indent=False)
    sections = (
        ("案件来源", [draft.source]),
        ("查明的事实", list(draft.facts)),
        ("检察机关认为", list(draft.reasons)),
    )
    for index, (heading, paragraphs) in enumerate(sections):
        _heading(doc, index, heading)
        for text in paragraphs:
            add_text(doc, text)
        if heading == "查明的事实" and draft.evidence:
            _evidence_table(doc, draft.evidence)
    _heading(doc, len(sections), "检察建议")
    for number, text in enumerate(draft.suggestions, start=1):
        add_text(doc, f"（{CHINESE_ORDINALS[number - 1]}）{text}")
    _closing(doc, draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _heading(doc: Document, index: int, text: str) -> None:
    """A first-level heading 一、二、 in 黑体, as official documents number them."""
    add_text(doc, f"{CHINESE_ORDINALS[index]}、{text}", font=HEADING_FONT)


def _evidence_table(doc: Document, rows: tuple[EvidenceLine, ...]) -> None:
    """The evidence rows the clue rests on, each with its source file and row."""
    fill_table(
        doc,
        list(EVIDENCE_HEADER),
        [
            [str(n), line.source, line.file, str(line.row), line.summary]
            for n, line in enumerate(rows, start=1)
        ],
    )


def fill_table(doc: Document, header: list[str], rows: list[list[str]]) -> None:
    """A bordered, centred table in 五号 type with a bold header row."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _cell_text(cell, text)


def _cell_text(cell, text: str, *, bold: bool = False) -> None:
    para = cell.paragraphs[0]
    para.paragraph_format.line_spacing = Pt(14)
    set_run_font(para.add_run(text), BODY_FONT, SIZE_TABLE, bold=bold)


def _closing(doc: Document, draft: SuggestionDraft) -> None:
    """Reply deadline, objection note, and the procuratorate's name and date at the foot."""
    days = "十五日" if draft.urgent else "两个月"
    add_text(
        doc,
        f"请你单位自收到本检察建议书之日起{days}内（即{cn_date(draft.reply_due)}前）依法履行职责，"
        "并将整改落实情况书面回复本院。",
    )
    add_text(doc, draft.objection_note)
    doc.add_paragraph()
    add_text(doc, draft.procuratorate, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    add_text(doc, cn_date(draft.issued), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    add_text(doc, "（院印）", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, size=SIZE_BODY)


def cn_date(day: date) -> str:
    """A date as official documents write it: 2024年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"
