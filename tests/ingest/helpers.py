"""Writers for each file format and readers of the lake, shared by the ingest tests."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from jiancha.ingest import IngestReport, ingest_drop
from jiancha.lake import open_lake
from jiancha.workspace import Workspace


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merge: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def set_cached_values(path: Path, cells: dict[str, tuple[str, str]]) -> None:
    """Give formula cells the cached value Excel would have stored: {"C3": (type, value)}.

    openpyxl writes formulas without results; Excel and LibreOffice store the last
    computed value beside the formula, which is what a reader sees.
    """
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, (kind, value) in cells.items():
        start = sheet.index(f'<c r="{ref}"')
        end = sheet.index("</c>", start) + len("</c>")
        formula = sheet[sheet.index("<f>", start) : sheet.index("</f>", start) + len("</f>")]
        type_attr = f' t="{kind}"' if kind else ""
        sheet = sheet[:start] + f'<c r="{ref}"{type_attr}>{formula}<v>{value}</v></c>' + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def ingest(ws: Workspace, drop: Path) -> IngestReport:
    return ingest_drop(ws, drop, progress=False)


def rows(ws: Workspace, sql: str) -> list[tuple]:
    con = open_lake(ws)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def rejections(report: IngestReport) -> list[tuple]:
    return [(r.row, r.field, r.value, r.severity) for r in report.rejections]
