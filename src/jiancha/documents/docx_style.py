"""The look of a Chinese official document (公文, GB/T 9704-2012) in python-docx terms.

A4 paper with a 156 × 225 mm type area (margins: top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm) holding 22 lines a page; the title in 小标宋 二号, the body in 仿宋 三号,
first-level headings 一、二、 in 黑体, page numbers in 四号 宋体 as "— 1 —" below the type
area (odd pages on the right, even pages on the left, one character in).

Word on a procurator's PC has the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 宋体).
Every run names its Chinese font on ``w:eastAsia`` (digits and Latin letters in Times New
Roman), so an office suite without them falls back to an installed CJK font; the fontconfig
file ``data/fonts.conf`` (``jiancha documents fontconfig``) tells LibreOffice which one.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu, Mm, Pt, Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_PAGE_NUMBER = Pt(14)  # 四号
SIZE_TABLE = Pt(10.5)  # 五号

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE = 22
#: 225 mm of type area / 22 lines, rounded down to whole twips (579, Word's 公文 setting),
#: so that 22 lines always fit.
LINE_PITCH = Twips(int((PAGE_HEIGHT - MARGINS["top"] - MARGINS["bottom"]) / 635 / LINES_PER_PAGE))
CHARS_PER_LINE = 28
#: 三号 characters are 16 pt wide, so 28 of them overrun the 156 mm line by 5.8 pt: each is
#: narrowed by a quarter point (w:spacing, in twentieths of a point), as Word's 公文 grid does.
BODY_CHAR_SPACING = -5
#: Page numbers sit 7 mm below the type area (GB/T 9704 7.5): the footer's baseline band
#: starts there, so its bottom is about one 四号 line lower.
FOOTER_DISTANCE = Emu(int(Mm(35 - 7) - SIZE_PAGE_NUMBER * 1.3))


def set_run_font(run: Run, east_asian: str, size: Pt, *, bold: bool = False) -> None:
    """Give a run its Chinese font (w:eastAsia) and a Latin font for digits and letters."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    if size == SIZE_BODY:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_CHAR_SPACING))
        rpr.append(spacing)


def setup_page(doc: DocxDocument) -> None:
    """A4, the GB/T 9704 margins and 22-line grid, body style 仿宋 三号, page numbers."""
    for section in doc.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.footer_distance = FOOTER_DISTANCE
        _line_grid(section)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False  # every page holds its 22 lines
    _page_numbers(doc)


def _line_grid(section: Section) -> None:
    """The document grid Word uses for "22 lines a page" (w:docGrid, type lines)."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))
    sect_pr.append(grid)


def add_text(
    doc: DocxDocument,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = SIZE_BODY,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
) -> Paragraph:
    """A paragraph of one run; body paragraphs are justified and indented by two characters."""
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Pt(size.pt * 2)
    set_run_font(para.add_run(text), font, size, bold=bold)
    return para


def characters(count: float, size: Pt = SIZE_BODY) -> Pt:
    """A width of ``count`` Chinese characters at ``size`` (the unit 公文 indents are given in)."""
    return Pt(size.pt * count)


def text_width(text: str) -> float:
    """How many Chinese characters wide ``text`` is: digits and Latin letters count half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _page_numbers(doc: DocxDocument) -> None:
    """'— N —' in 四号 宋体: odd pages right, even pages left, one character in (a PAGE field)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(para: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    para.alignment = align
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    inset = characters(1, SIZE_PAGE_NUMBER)
    fmt.left_indent, fmt.right_indent = (inset, None) if align == WD_ALIGN_PARAGRAPH.LEFT else (None, inset)
    set_run_font(para.add_run("— "), PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)
    run = para.add_run()
    set_run_font(run, PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_run_font(para.add_run(" —"), PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)
