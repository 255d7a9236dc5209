"""Render a procuratorial suggestion (检察建议书) as .docx in the 公文 layout.

The structure follows what a 检察建议书 must contain (《人民检察院检察建议工作规定》第十六条):
the source of the case, the facts found, the reasons (which quote the legal basis),
concrete suggestions, the reply period and the objection note; then the procuratorate's
name and date, and the evidence as the attachment 「附件：证据清单」 on its own page, so
that the letter itself stays two or three pages long however many rows a clue rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt

from jiancha.documents.docx_style import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_TABLE,
    SIZE_TITLE,
    TITLE_FONT,
    add_text,
    characters,
    set_run_font,
    setup_page,
    text_width,
)
from jiancha.formatting import cn_date
from jiancha.law import Provision

CHINESE_ORDINALS = "一二三四五六七八九十"
ATTACHMENT_HEADING = "附件：证据清单"
DATE_RIGHT_INSET = 4  # characters between the date and the right edge (GB/T 9704 7.3.5.2)


@dataclass(frozen=True)
class SuggestionDraft:
    """Everything a 检察建议书 says, already worded; rendering adds only layout."""

    number: str
    procuratorate: str
    addressee: str
    kind_label: str
    source: str
    facts: tuple[str, ...]
    reasons: tuple[str, ...]  # duty → breach → the organ's failure → harm, quoting the provisions
    suggestions: tuple[str, ...]
    issued: date
    reply_due: date
    reply_term: str  # the sentence asking for the reply, with its period and date
    objection_note: str
    attachment: tuple[str, ...]  # the evidence list's items, each already worded
    warnings: tuple[str, ...] = ()  # for the prosecutor before signing; never printed in the letter
    unverified: tuple[Provision, ...] = ()  # unverified provisions the reasons would quote (cited or not)


def render_suggestion(draft: SuggestionDraft, path: Path) -> Path:
    """Write the draft as an A4 official document; returns the path written."""
    doc = Document()
    setup_page(doc)
    _masthead(doc, draft)
    sections = (
        ("案件来源", [draft.source]),
        ("查明的事实", list(draft.facts)),
        ("检察机关认为", list(draft.reasons)),
    )
    for index, (heading, paragraphs) in enumerate(sections):
        _heading(doc, index, heading)
        for text in paragraphs:
            add_text(doc, text)
    _heading(doc, len(sections), "检察建议")
    for number, text in enumerate(draft.suggestions, start=1):
        add_text(doc, f"（{CHINESE_ORDINALS[number - 1]}）{text}")
    _closing(doc, draft)
    if draft.attachment:
        _attachment(doc, draft.attachment)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _masthead(doc: DocxDocument, draft: SuggestionDraft) -> None:
    """The procuratorate and 检察建议书 in 小标宋 二号, the 文号 line, then the addressee (主送)."""
    for title in (draft.procuratorate, "检察建议书"):
        add_text(doc, title, font=TITLE_FONT, size=SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    add_text(doc, draft.number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    add_text(doc, f"{draft.addressee}：", align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)


def _heading(doc: DocxDocument, index: int, text: str) -> None:
    """A first-level heading 一、二、 in 黑体, as official documents number them."""
    add_text(doc, f"{CHINESE_ORDINALS[index]}、{text}", font=HEADING_FONT)


def _closing(doc: DocxDocument, draft: SuggestionDraft) -> None:
    """Reply period, objection note, then the procuratorate's name centred over the date.

    No seal line: the seal is stamped over the name and the date (GB/T 9704 7.3.5.1).
    """
    add_text(doc, draft.reply_term)
    # The signature never stands on a page of its own (GB/T 9704 7.3.5.4): the last paragraph,
    # the blank line, the name and the date are kept together.
    kept = [add_text(doc, draft.objection_note), doc.add_paragraph()]
    day = cn_date(draft.issued)
    name_inset = DATE_RIGHT_INSET + max(0.0, (text_width(day) - text_width(draft.procuratorate)) / 2)
    for text, inset in ((draft.procuratorate, name_inset), (day, DATE_RIGHT_INSET)):
        para = add_text(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        para.paragraph_format.right_indent = characters(inset)
        kept.append(para)
    for para in kept[:-1]:
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.keep_together = True


def _attachment(doc: DocxDocument, items: tuple[str, ...]) -> None:
    """The evidence list on a new page: 「附件：证据清单」 in 黑体, then the numbered items."""
    heading = add_text(
        doc, ATTACHMENT_HEADING, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False
    )
    heading.paragraph_format.page_break_before = True
    for number, text in enumerate(items, start=1):
        add_text(doc, f"{number}．{text}")


def fill_table(doc: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
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
    para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    para.paragraph_format.line_spacing = Pt(14)
    set_run_font(para.add_run(text), BODY_FONT, SIZE_TABLE, bold=bold)
