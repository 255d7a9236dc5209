"""The look of a Chinese official document (公文) in python-docx terms.

GB/T 9704-2012 sets A4 paper, a 156 × 225 mm type area (margins: top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm), the title in 小标宋 二号, the body in
仿宋 三号 and first-level headings 一、二、 in 黑体. Word on a procurator's PC has
those fonts; elsewhere (LibreOffice on Linux) the East-Asian font falls back to
an installed CJK font, so the names are set on ``w:eastAsia`` where both look.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_TABLE = Pt(10.5)  # 五号


def set_run_font(run: Run, east_asian: str, size: Pt, *, bold: bool = False) -> None:
    """Give a run its Chinese font (w:eastAsia) and a Latin font for digits and letters."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def setup_page(doc: DocxDocument) -> None:
    """A4 with the GB/T 9704 margins, body style 仿宋 三号, 28-point line spacing."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    _add_page_number(doc)


def add_text(
    doc: DocxDocument,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = SIZE_BODY,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
) -> Paragraph:
    """A paragraph of one run; body paragraphs are indented by two characters."""
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size.pt * 2)
    set_run_font(para.add_run(text), font, size, bold=bold)
    return para


def _add_page_number(doc: DocxDocument) -> None:
    """Centre '— N —' page numbers in the footer (a PAGE field, so Word and LibreOffice count)."""
    footer = doc.sections[0].footer
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(para.add_run("— "), BODY_FONT, Pt(14))
    run = para.add_run()
    set_run_font(run, BODY_FONT, Pt(14))
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_run_font(para.add_run(" —"), BODY_FONT, Pt(14))
