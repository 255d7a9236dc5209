"""Periodic work reports: clues, cases, suggestions and rectifications by model and office.

``jiancha report --period 2024-Q3`` writes a .docx for the leadership and an .xlsx
for whoever re-cuts the figures. A clue counts in the period it was first raised;
a case, suggestion or rectification counts in the period its workflow move took
effect, so a quarter's report does not change when later quarters are worked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Font

from jiancha.clues.store import ClueStore
from jiancha.documents.charts import grouped_bars
from jiancha.documents.docx_style import SIZE_TITLE, TITLE_FONT, add_text, setup_page
from jiancha.documents.period import Period
from jiancha.documents.suggestion_docx import fill_table
from jiancha.formatting import cn_date
from jiancha.models.catalog import Catalog

MEASURES = {
    "clues": "线索",
    "case_filed": "立案",
    "suggestion_issued": "制发检察建议",
    "rectified": "整改到位",
}
#: Every figure of the report counts clues: the tables' column headings say so.
UNIT = "件"


def headings() -> list[str]:
    """The measures as table headings, with their unit: 线索（件）…"""
    return [f"{label}（{UNIT}）" for label in MEASURES.values()]


@dataclass(frozen=True)
class Row:
    """One line of a report table: a model or an office and its four counts."""

    name: str
    clues: int
    case_filed: int
    suggestion_issued: int
    rectified: int

    def values(self) -> list[int]:
        return [self.clues, self.case_filed, self.suggestion_issued, self.rectified]


@dataclass(frozen=True)
class Figures:
    """The period's counts, by model and by office, plus the total."""

    period: Period
    by_model: list[Row]
    by_office: list[Row]
    total: Row


def collect(store: ClueStore, period: Period, catalog: Catalog | None = None) -> Figures:
    """Count the period's clues and workflow moves from the store; models are named by their
    titles (from ``catalog``, the built-in library when None)."""
    counts: dict[str, dict[str, Counter[str]]] = {"model": {}, "office": {}}
    for clue in store.iter_clues():
        if period.contains(clue.first_seen.date()):
            _bump(counts, clue.model_id, clue.office, "clues")
    for move in store.transitions(period.start, period.end):
        if move.status_to in MEASURES:
            _bump(counts, move.model_id, move.office, move.status_to)
    titles = {m.id: m.spec.title.zh for m in (catalog or Catalog.load()).models.values()}
    by_model = _rows({titles.get(k, k): v for k, v in counts["model"].items()})
    by_office = _rows(counts["office"])
    total = Row("合计", *(sum(r.values()[i] for r in by_model) for i in range(len(MEASURES))))
    return Figures(period, by_model, by_office, total)


def write_report(figures: Figures, out_dir: Path) -> tuple[Path, Path]:
    """Write the .docx (with charts) and the .xlsx; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"监督工作报告_{figures.period.label}"
    return _docx(figures, out_dir, stem), _xlsx(figures, out_dir / f"{stem}.xlsx")


def _bump(counts: dict[str, dict[str, Counter[str]]], model: str, office: str, measure: str) -> None:
    counts["model"].setdefault(model, Counter())[measure] += 1
    counts["office"].setdefault(office, Counter())[measure] += 1


def _rows(groups: dict[str, Counter[str]]) -> list[Row]:
    return [Row(name, *(c[m] for m in MEASURES)) for name, c in sorted(groups.items())]


def _docx(figures: Figures, out_dir: Path, stem: str) -> Path:
    doc = Document()
    setup_page(doc)
    period = figures.period
    add_text(
        doc,
        f"{period.title}大数据法律监督工作报告",
        font=TITLE_FONT,
        size=SIZE_TITLE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    total = figures.total
    add_text(
        doc,
        f"{cn_date(period.start)}至{cn_date(period.end)}，监督模型共发现线索{total.clues}件，"
        f"立案{total.case_filed}件，制发检察建议{total.suggestion_issued}件，督促整改到位{total.rectified}件。",
    )
    for heading, rows, axis in (
        ("一、各监督模型成效", figures.by_model, "模型"),
        ("二、各检察院（检察室）办理情况", figures.by_office, "检察院"),
    ):
        add_text(doc, heading, indent=False)
        fill_table(doc, [axis, *headings()], [[r.name, *map(str, r.values())] for r in [*rows, total]])
        if rows:
            chart = grouped_bars(
                out_dir / f"{stem}_{axis}.png",
                heading[2:],
                [r.name for r in rows],
                {label: [r.values()[i] for r in rows] for i, label in enumerate(MEASURES.values())},
            )
            doc.add_picture(str(chart), width=Mm(150))
    path = out_dir / f"{stem}.docx"
    doc.save(str(path))
    return path


def _xlsx(figures: Figures, path: Path) -> Path:
    book = Workbook()
    sheets = (("按模型", "监督模型", figures.by_model), ("按检察院", "检察院（检察室）", figures.by_office))
    for index, (title, axis, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([axis, *headings()])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in [*rows, figures.total]:
            sheet.append([row.name, *row.values()])
        sheet.column_dimensions["A"].width = 42
    book.properties.title = f"{figures.period.title}大数据法律监督工作报告"
    book.save(str(path))
    return path
